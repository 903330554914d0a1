"""In-app notifications and what each person wants to be told, and how."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from backline.accounts.models import Workspace


class NotificationType(models.TextChoices):
    INVITATION = "invitation", "Invitations to a workspace"
    HOLD_PLACED = "hold_placed", "Holds placed"
    HOLD_PROMOTED = "hold_promoted", "A hold moved up to 1st"
    HOLD_CHALLENGED = "hold_challenged", "Your 1st hold is challenged"
    OFFER = "offer", "Offers, counter-offers and quotes"
    CONFIRMED = "confirmed", "Shows confirmed"
    CLOSED = "closed", "Cancelled, declined, released, expired or lost"
    PERFORMER_CONFLICT = "performer_conflict", "Performers booked twice"
    POLL_OPENED = "poll_opened", "Date polls to answer"
    ACT_EVENT = "act_event", "Act events scheduled or cancelled"
    INQUIRY = "inquiry", "New inquiries"
    HOLD_EXPIRING = "hold_expiring", "Holds about to expire"
    MESSAGE = "message", "New messages in your conversations"
    EMAIL_REPLY = "email_reply", "Replies to, and bounces of, your outreach email"
    FOLLOW_UP = "follow_up", "Follow-up reminders for unanswered email"
    QUARANTINE = "quarantine", "Incoming email held for review"
    REPRESENTATION = "representation", "Agencies representing acts: requests and answers"
    NETWORK = "network", "Venue networks: invitations, shared shows and the sharing board"
    VERIFICATION = "verification", "Verification by Backline withdrawn"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app only"
    EMAIL = "email", "In the app and by email at once"
    DIGEST = "digest", "In the app and in a daily email digest"
    OFF = "off", "Off"


DEFAULT_CHANNEL = Channel.IN_APP


class Notification(models.Model):
    """One thing one person is told. ``url`` is a path on this site (the booking, poll or event page
    as the recipient sees it). ``digested_at`` is when it went out by email (at once or in a digest),
    so no email ever repeats it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    type = models.CharField(max_length=24, choices=NotificationType.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=2000)
    url = models.CharField(max_length=300, blank=True)
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "messaging_notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a person wants one type of notification; without a row, in the app only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    type = models.CharField(max_length=24, choices=NotificationType.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=DEFAULT_CHANNEL)

    class Meta:
        db_table = "messaging_notificationpreference"
        constraints = [models.UniqueConstraint(fields=["user", "type"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return self.get_type_display()
