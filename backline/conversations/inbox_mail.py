"""The seam between conversations and mail (ADR 0009): mail sits above conversations (it posts emails
into threads), so what the inbox shows of email comes through this registry, filled by mail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Value


@dataclass(frozen=True)
class InboxMail:
    """What mail adds to the inbox, registered by the mail app in ``ready()``: conversations sits below
    mail and never imports it (ADR 0009). Without mail, email threads show no delivery status.

    - ``latest_status()``: a query expression for a thread's latest email status (``OuterRef("pk")`` is
      the thread);
    - ``statuses(thread, since_message_id, joined_at)``: ``(message_id, status)`` of the emails shown;
    - ``status_label(status)``: the status in words;
    - ``held_count(workspace)``: incoming mail held for the workspace's review."""

    latest_status: Callable = lambda: Value(None)  # noqa: E731
    statuses: Callable = lambda thread, since, joined_at: []  # noqa: E731
    status_label: Callable[[str], str] = lambda status: ""  # noqa: E731
    held_count: Callable = lambda workspace: 0  # noqa: E731


_inbox_mail = InboxMail()


def register_inbox_mail(mail: InboxMail) -> None:
    global _inbox_mail
    _inbox_mail = mail


def inbox_mail() -> InboxMail:
    return _inbox_mail
