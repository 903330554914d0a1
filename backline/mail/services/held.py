"""Incoming email held for review (inbound.py decides what is held). A workspace's outreach managers
(``outreach.manage``) see the mail held for it — replies to its threads from people who are not part of
them — and release each one into its thread or discard it. Mail that names no thread stays with the
site's staff (Django admin). Another workspace's held mail is 404, exactly as a missing one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from backline.conversations import services as conversations
from backline.conversations.models import Message, MessageSource
from backline.core import audit
from backline.core.errors import Conflict, Invalid

from .. import contact_book
from ..models import QuarantinedEmail, QuarantineStatus
from ..permissions import access_quarantine
from .inbound import replied_email, reply_body, tell_author_of_reply
from .tracking import mark_replied

AUDITED = ("status", "decided_by", "decided_at")


def _pending(item: QuarantinedEmail) -> None:
    if item.status != QuarantineStatus.PENDING:
        raise Conflict(f"This email was already {QuarantineStatus(item.status).label.lower()}.",
                       code="already_decided", conflicting={"quarantine_id": item.pk, "status": item.status})


def _decide(item: QuarantinedEmail, *, actor, status: str) -> dict:
    before = audit.snapshot(item, AUDITED)
    item.status = status
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save(update_fields=list(AUDITED))
    return before


def _sender_contact(item: QuarantinedEmail, *, actor, add_contact: bool):
    """The workspace's contact with the sender's address; with ``add_contact``, created if missing
    and made a party to the thread, so the sender's next replies arrive directly."""
    contact = None
    if item.from_email:
        contact = contact_book.find(workspace_id=item.workspace_id, email=item.from_email)
    if not add_contact:
        return contact
    try:
        validate_email(item.from_email)
    except ValidationError:
        raise Invalid("The sender's address is not a valid email address, so it cannot become a contact.",
                      errors={"add_contact": ["The sender's address is not valid."]}) from None
    if contact is None:
        contact = contact_book.add(actor=actor, workspace_id=item.workspace_id,
                                 name=(item.from_name or item.from_email.split("@")[0])[:200], email=item.from_email,
                                 notes="Added when their email was released from the held mail.")
    conversations.thread_contact_add(thread=item.thread, contact=contact)
    return contact


def quarantine_release(*, actor, quarantine_id: int, add_contact: bool = False,
                       workspace_id: int | None = None) -> tuple[QuarantinedEmail, Message]:
    """Post the held email to its thread as received by email from its sender (optionally adding the
    sender as a contact who may write to the thread). The thread's latest outreach email that went out
    becomes "replied": a person vouched that this is the answer to it (one still queued or failed is
    left alone: it was never received, and stays to be sent)."""
    with transaction.atomic():
        item = access_quarantine(user=actor, quarantine_id=quarantine_id, lock=True, workspace_id=workspace_id).item
        _pending(item)
        if item.thread is None:
            raise Conflict("This email names no conversation of yours, so it cannot be posted; discard it instead.",
                           code="no_thread")
        contact = _sender_contact(item, actor=actor, add_contact=add_contact)
        author_email = item.from_email if "@" in item.from_email else ""
        message = conversations.add_message(
            thread=item.thread, body=reply_body(item.text), source=MessageSource.EMAIL_IN, author_contact=contact,
            author_name=item.from_name or (contact.name if contact else "") or item.from_email or "Unknown sender",
            author_email=author_email[:254])
        email = replied_email(item.thread, lock=True)
        if email is not None and mark_replied(email, item.received_at):
            tell_author_of_reply(email, who=message.author_name, preview=message.body)
        before = _decide(item, actor=actor, status=QuarantineStatus.RELEASED)
        audit.record(actor=actor, action="quarantine.released", obj=item, workspace_id=item.workspace_id, before=before,
                     after={**audit.snapshot(item, AUDITED), "message_id": message.pk, "thread_id": item.thread_id,
                            "contact_id": contact.pk if contact else None})
    return item, message


def quarantine_discard(*, actor, quarantine_id: int, workspace_id: int | None = None) -> QuarantinedEmail:
    """Throw the held email away (it stays listed as discarded, with who did it and when)."""
    with transaction.atomic():
        item = access_quarantine(user=actor, quarantine_id=quarantine_id, lock=True, workspace_id=workspace_id).item
        _pending(item)
        before = _decide(item, actor=actor, status=QuarantineStatus.DISCARDED)
        audit.record(actor=actor, action="quarantine.discarded", obj=item, workspace_id=item.workspace_id,
                     before=before, after=audit.snapshot(item, AUDITED))
    return item
