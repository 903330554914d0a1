"""Conversations: a thread belongs to its parties (workspaces, and for email, outside contacts); its
history belongs to those workspaces, not to the person who started it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from backline.accounts.models import Workspace
from backline.bookings.models import Booking


def new_reply_token() -> str:
    """The secret in a thread's reply address (reply+<token>@<inbound domain>): unguessable, lower-case
    (some mail systems fold the local part's case), and short enough for any address."""
    return secrets.token_hex(12)


class ThreadKind(models.TextChoices):
    BOOKING = "booking", "Booking"  # an inquiry or booking: its buyer and, where there is one, its act
    SUPPORT = "support", "Headliner and support"  # a booking's headliner and the acts supporting it
    DIRECT = "direct", "Direct"  # between workspaces
    EMAIL = "email", "Email"  # a workspace's email with people outside Backline (its contacts)
    INTERNAL = "internal", "Internal"  # inside one workspace: its channel, or a thread among chosen members


class Thread(models.Model):
    kind = models.CharField(max_length=12, choices=ThreadKind.choices)
    subject = models.CharField(max_length=200)
    # The workspace that started the thread (an email thread's owner).
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="started_threads")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="threads")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    reply_token = models.CharField(max_length=32, unique=True, default=new_reply_token, editable=False)
    # An internal thread that every member of its workspace is in, now and later (one per workspace).
    is_channel = models.BooleanField(default=False)

    class Meta:
        db_table = "messaging_thread"
        ordering = ["-last_message_at", "-id"]
        constraints = [
            # One conversation per booking among all its parties (support threads are separate).
            models.UniqueConstraint(fields=["booking"], condition=Q(kind="booking"), name="thread_one_per_booking"),
            models.UniqueConstraint(fields=["workspace"], condition=Q(is_channel=True), name="thread_one_channel"),
            models.CheckConstraint(condition=Q(is_channel=False) | Q(kind="internal"), name="thread_channel_internal"),
        ]

    def __str__(self) -> str:
        return self.subject


class ThreadParty(models.Model):
    """A party to a thread: a workspace (all its members with messages.view read it) or an outside
    contact (who writes by email to the thread's reply address)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="parties")
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="thread_parties")
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="thread_parties")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "messaging_threadparty"
        constraints = [
            models.CheckConstraint(condition=Q(workspace__isnull=False, contact__isnull=True)
                                   | Q(workspace__isnull=True, contact__isnull=False), name="thread_party_one_kind"),
            models.UniqueConstraint(fields=["thread", "workspace"], condition=Q(workspace__isnull=False),
                                    name="thread_party_workspace_once"),
            models.UniqueConstraint(fields=["thread", "contact"], condition=Q(contact__isnull=False),
                                    name="thread_party_contact_once"),
        ]
        indexes = [models.Index(fields=["workspace", "thread"], name="thread_party_inbox")]

    def __str__(self) -> str:
        return str(self.workspace or self.contact)


class ThreadMember(models.Model):
    """A person in an internal thread that is not for the whole workspace. An internal thread has its
    workspace as its one party; without member rows (the channel, or a thread for "everyone") every
    member of the workspace reads it, and one who joins later reads it too. With member rows only
    those people do, while they are members of the workspace: leaving the workspace removes them."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_member_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.thread}"


class MessageSource(models.TextChoices):
    APP = "app", "Written in Backline"
    EMAIL_OUT = "email_out", "Sent by email"
    EMAIL_IN = "email_in", "Received by email"


class Message(models.Model):
    """One message. ``body`` is what the author wrote (plain text or Markdown); ``body_html`` is its
    rendering, sanitised with nh3 when the message is saved; raw HTML is never shown."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="messages")
    author_name = models.CharField(max_length=200, blank=True)  # as shown when the author is gone or outside
    author_email = models.EmailField(blank=True)
    body = models.TextField(max_length=20000)
    body_html = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=MessageSource.choices, default=MessageSource.APP)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "messaging_message"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_time")]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"messaging/attachments/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    """A file on a message, stored through Django's storage (local disk or S3); served only to the
    thread's parties, never from a public address."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "messaging_attachment"

    def __str__(self) -> str:
        return self.filename


class ThreadRead(models.Model):
    """How far one person has read a thread: messages after ``last_read_at`` by others are unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads")
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "messaging_threadread"
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once")]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread} up to {self.last_read_at}"
