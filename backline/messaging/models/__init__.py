"""Messaging's models, one module per concern: notifications, threads, outreach email, contacts."""

from .contacts import Contact, ContactRole
from .notifications import DEFAULT_CHANNEL, Channel, Notification, NotificationPreference, NotificationType
from .outreach import (
    EmailEvent,
    EmailStatus,
    EmailTemplate,
    OutboundEmail,
    QuarantinedEmail,
    QuarantineReason,
    QuarantineStatus,
    SenderIdentity,
    Suppression,
    SuppressionReason,
    TemplateKind,
)
from .threads import Attachment, Message, MessageSource, Thread, ThreadKind, ThreadParty, ThreadRead

__all__ = [
    "Attachment", "Channel", "Contact", "ContactRole", "DEFAULT_CHANNEL", "EmailEvent", "EmailStatus", "EmailTemplate",
    "Message", "MessageSource", "Notification", "NotificationPreference", "NotificationType", "OutboundEmail",
    "QuarantineReason", "QuarantineStatus", "QuarantinedEmail", "SenderIdentity", "Suppression", "SuppressionReason",
    "TemplateKind", "Thread", "ThreadKind", "ThreadParty", "ThreadRead",
]
