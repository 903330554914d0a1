"""What mail adds to conversations' inbox (registered as ``conversations.inbox_mail.InboxMail`` in
``MailConfig.ready``): email threads' delivery statuses and the
count of held incoming mail (``selectors.pending_count``)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from . import selectors
from .models import EmailStatus, OutboundEmail


def latest_status():
    return Subquery(OutboundEmail.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-id")
                    .values("status")[:1])


def statuses(thread, since: int, joined_at) -> list[tuple[int, str]]:
    """One query: the thread's emails shown on the page (messages from ``since`` on), newest first."""
    return list(OutboundEmail.objects.filter(thread=thread, message_id__gte=since, message__created_at__gte=joined_at)
                .order_by("-message_id").values_list("message_id", "status")[:100])


def status_label(status: str) -> str:
    return EmailStatus(status).label if status in EmailStatus.values else ""


def register() -> None:
    from backline.conversations.inbox_mail import InboxMail, register_inbox_mail

    register_inbox_mail(InboxMail(latest_status=latest_status, statuses=statuses, status_label=status_label,
                                  held_count=selectors.pending_count))
