"""Mail: the workspace's sender identity, the outbox (every email is a row committed before it is
sent), the provider's tracking events, suppressed addresses and held (quarantined) incoming mail.

The tables keep the names they had in the ``messaging`` app (``db_table``): ADR 0009."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from backline.accounts.models import Workspace
from backline.bookings.models import Booking
from backline.conversations.models import Message, Thread


class SenderIdentity(models.Model):
    """Who a workspace's outreach comes from. Without a row: the workspace's name and the site's
    DEFAULT_FROM_EMAIL address. ``hourly_limit`` overrides the site's OUTREACH_HOURLY_LIMIT."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="sender_identity")
    from_name = models.CharField(max_length=100)
    from_email = models.EmailField()
    signature = models.TextField(blank=True, max_length=2000)
    hourly_limit = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "messaging_senderidentity"

    def __str__(self) -> str:
        return f"{self.from_name} <{self.from_email}>"


class EmailStatus(models.TextChoices):
    DRAFT = "draft", "Draft"  # a follow-up prepared for the sender, not yet sent
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    OPENED = "opened", "Opened"
    REPLIED = "replied", "Replied"
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Marked as spam"
    FAILED = "failed", "Failed"  # the outbox gave up after its last retry
    CANCELLED = "cancelled", "Cancelled"


class OutboundEmail(models.Model):
    """One outreach email to one recipient, and the outbox row it is delivered from. The row is
    committed first; a task delivers it (retrying with exponential backoff until OUTBOX_MAX_ATTEMPTS),
    so nothing is lost when the mail server is down and nothing is sent twice."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="outbound_emails")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    message = models.OneToOneField(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="email")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="emails")
    # the template it was written from: outreach's model, named, not imported (ADR 0009)
    template = models.ForeignKey("outreach.EmailTemplate", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="emails")
    follow_up_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    to_email = models.EmailField()
    to_name = models.CharField(max_length=200, blank=True)
    from_email = models.EmailField()
    from_name = models.CharField(max_length=100, blank=True)
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)

    status = models.CharField(max_length=12, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    header_message_id = models.CharField(max_length=200, unique=True)  # our Message-ID header, <...@...>
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)

    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "messaging_outboundemail"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["workspace", "created_at"], name="outbox_workspace_time"),
            models.Index(fields=["follow_up_due_at"], condition=Q(follow_up_reminded_at__isnull=True, replied_at__isnull=True),
                         name="outbox_follow_up_due"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"


class EmailEvent(models.Model):
    """A tracking event from the provider's webhook (anymail's normalised form). ``(provider, event_id)``
    is unique, so a duplicate delivery of the same webhook changes nothing twice."""

    email = models.ForeignKey(OutboundEmail, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=20)
    occurred_at = models.DateTimeField()
    recipient = models.EmailField(blank=True)
    description = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "messaging_emailevent"
        ordering = ["occurred_at", "id"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="email_event_once")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.recipient}"


class SuppressionReason(models.TextChoices):
    BOUNCED = "bounced", "The address bounced"
    COMPLAINED = "complained", "The recipient marked our email as spam"
    OPTED_OUT = "opted_out", "The recipient opted out"


class Suppression(models.Model):
    """An address outreach must not be sent to. ``workspace`` empty: no workspace may write to it (a
    hard bounce); otherwise only that workspace may not (an opt-out or complaint)."""

    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="suppressions")
    email = models.EmailField()  # stored lower-case
    reason = models.CharField(max_length=12, choices=SuppressionReason.choices)
    source_email = models.ForeignKey(OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "messaging_suppression"
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=Q(workspace__isnull=True), name="suppression_global_once"),
            models.UniqueConstraint(fields=["workspace", "email"], condition=Q(workspace__isnull=False),
                                    name="suppression_workspace_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


class QuarantineReason(models.TextChoices):
    NO_TOKEN = "no_token", "Not addressed to a thread's reply address"
    UNKNOWN_TOKEN = "unknown_token", "The reply address names no thread (forged or mistyped)"
    STRANGER = "stranger", "The sender is not part of the thread"


class QuarantineStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    RELEASED = "released", "Posted to the thread"
    DISCARDED = "discarded", "Discarded"


class QuarantinedEmail(models.Model):
    """Incoming mail that could not be trusted to its thread, kept for a person to release or discard.
    ``workspace`` is whose review queue it is in (the thread's owner; empty when no thread was found,
    for the site's staff)."""

    received_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=16, choices=QuarantineReason.choices)
    status = models.CharField(max_length=12, choices=QuarantineStatus.choices, default=QuarantineStatus.PENDING)
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="quarantined")
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="quarantined_emails")
    token = models.CharField(max_length=100, blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    to = models.TextField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "messaging_quarantinedemail"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["workspace", "status"], name="quarantine_queue")]

    def __str__(self) -> str:
        return f"{self.subject} from {self.from_email}"
