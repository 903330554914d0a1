"""The outbox, queueing side: every outreach email is a row committed first and delivered afterwards by
a task (``delivery.py``), so nothing is lost when the mail server is down and nothing is sent twice.

Queueing (``email_queue``) refuses bad input before anything is written: an invalid address, control
characters in a header (header injection) or in the body (NUL and the other C0 controls but tab and
line breaks), an empty subject or body, an address that bounced or opted
out (``Suppression``), or more mail than the workspace's hourly limit (``RateLimited``, with when to
retry). The queued row carries the text and HTML bodies (with the sender's signature and an opt-out
link), the thread's reply address and our own ``Message-ID``. Suppressions and opt-out tokens live in
``suppressions.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from backline.accounts.models import Workspace
from backline.bookings.models import Booking
from backline.bookings.permissions import act_sees_q
from backline.conversations import services as conversations
from backline.conversations.models import MessageSource, ThreadKind, ThreadParty
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound, RateLimited
from backline.core.markdown import render_markdown
from backline.core.text import breaks_line, control_error

from .. import contact_book
from ..models import EmailStatus, OutboundEmail, SenderIdentity
from .suppressions import opt_out_url, sendable

WINDOW = dt.timedelta(hours=1)
SUBJECT_MAX = 200
NAME_MAX = 200
BODY_MAX = 20000


# --- small helpers other parts use ----------------------------------------------------------------

def _control_free(value: str) -> str:
    """``value`` without control characters or line/paragraph separators (for names in headers)."""
    return "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))



def sender_for(workspace) -> tuple[str, str]:
    """(from_name, from_email): the workspace's sender identity, or its name and the site's
    DEFAULT_FROM_EMAIL address."""
    try:
        identity = workspace.sender_identity
    except SenderIdentity.DoesNotExist:
        identity = None
    if identity is not None:
        return _control_free(identity.from_name).strip()[:100], identity.from_email
    return _control_free(workspace.name).strip()[:100], parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def reply_address(thread) -> str:
    """The thread's reply address: replies to it come back through the inbound webhook into the thread."""
    return f"reply+{thread.reply_token}@{settings.INBOUND_EMAIL_DOMAIN}"


def _hourly_limit(workspace_id: int) -> int:
    limit = SenderIdentity.objects.filter(workspace_id=workspace_id).values_list("hourly_limit", flat=True).first()
    return limit if limit is not None else settings.OUTREACH_HOURLY_LIMIT


def hourly_allowance(*, workspace_id: int, now: dt.datetime | None = None) -> tuple[int, int]:
    """(how many more emails the workspace may queue this hour, seconds until the next one may be
    queued once none may — that is, until enough counted ones leave the sliding hour; otherwise until
    the oldest counted one leaves it, 0 when none is counted). Counts non-draft emails created in the
    last hour."""
    now = now or timezone.now()
    limit = _hourly_limit(workspace_id)
    counted = (OutboundEmail.objects.filter(workspace_id=workspace_id, created_at__gt=now - WINDOW)
               .exclude(status=EmailStatus.DRAFT))
    count = counted.count()
    remaining = max(0, limit - count)
    if not count:
        return remaining, 0
    # With none left, one more fits when the (count - limit + 1)-th oldest leaves the window.
    index = max(0, count - limit) if remaining == 0 else 0
    oldest = counted.order_by("created_at").values_list("created_at", flat=True)[index]
    return remaining, max(1, math.ceil((oldest + WINDOW - now).total_seconds()))


def contact_merged(*, keep, other) -> int:
    """Contact ``other`` is being merged into ``keep`` (the contacts app's merge, in its transaction):
    the emails sent to it are now ``keep``'s. Answers how many."""
    return OutboundEmail.objects.filter(contact=other).update(contact=keep)


# --- follow-up drafts (outreach prepares them; the rows are the outbox's) -------------------------------

def follow_up_draft_create(*, email: OutboundEmail, template, subject: str, body_text: str,
                           now: dt.datetime) -> OutboundEmail:
    """A draft follow-up of ``email`` for its sender to check and send: status ``draft``, never
    delivered as it is (sending it queues a new email). The original is marked handled."""
    from_name, from_email = sender_for(email.workspace)
    draft = OutboundEmail.objects.create(
        workspace=email.workspace, thread_id=email.thread_id, booking_id=email.booking_id, contact=email.contact,
        template=template, follow_up_of=email, created_by=email.created_by, to_email=email.to_email,
        to_name=email.to_name, from_email=from_email, from_name=from_name, reply_to=email.reply_to,
        subject=subject, body_text=body_text, status=EmailStatus.DRAFT,
        header_message_id=make_msgid(domain=from_email.rpartition("@")[2] or "backline"), created_at=now)
    follow_up_close(email=email, now=now)
    return draft


def follow_up_close(*, email: OutboundEmail, now: dt.datetime) -> None:
    """``email``'s follow-up is handled (drafted, or not needed): no reminder comes for it again."""
    OutboundEmail.objects.filter(pk=email.pk).update(follow_up_reminded_at=now)


def draft_cancel(*, draft: OutboundEmail) -> bool:
    """A follow-up draft is sent as a new email or thrown away: the draft row becomes ``cancelled``.
    Answers whether it was still a draft."""
    return bool(OutboundEmail.objects.filter(pk=draft.pk, status=EmailStatus.DRAFT).update(status=EmailStatus.CANCELLED))


# --- queueing --------------------------------------------------------------------------------------

@dataclass
class _Prepared:
    to_email: str
    to_name: str
    subject: str
    body: str


def _validate(*, to_email: str, to_name: str, subject: str, body: str) -> _Prepared:
    errors: dict[str, list[str]] = {}
    address = (to_email or "").strip()
    try:
        address = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        errors["to_email"] = [f"Not a valid email address: {exc}"]
    if breaks_line(to_name or ""):
        errors["to_name"] = ["The name may not contain line breaks or other control characters."]
    elif len((to_name or "").strip()) > NAME_MAX:
        errors["to_name"] = [f"At most {NAME_MAX} characters."]
    if breaks_line(subject or ""):
        errors["subject"] = ["The subject may not contain line breaks or other control characters."]
    elif not (subject or "").strip():
        errors["subject"] = ["The subject is empty."]
    elif len(subject.strip()) > SUBJECT_MAX:
        errors["subject"] = [f"At most {SUBJECT_MAX} characters."]
    if not (body or "").strip():
        errors["body"] = ["The message is empty."]
    elif problem := control_error(body):  # tabs and line breaks are fine; NUL cannot even be stored
        errors["body"] = [problem]
    elif len(body.strip()) > BODY_MAX:
        errors["body"] = [f"At most {BODY_MAX} characters."]
    if errors:
        first = next(iter(errors))
        raise Invalid(f"The email cannot be sent: {first.replace('_', ' ')}: {errors[first][0]}", errors=errors)
    return _Prepared(to_email=address, to_name=(to_name or "").strip(), subject=subject.strip(), body=body.strip())


def _refuse_suppressed(workspace_id: int, addresses: list[str]) -> None:
    refused = sendable(workspace_id=workspace_id, emails=addresses)
    if refused:
        listed = "; ".join(f"{address} {why}" for address, why in sorted(refused.items()))
        raise Invalid(f"Not sent: {listed}. Outreach to this address is stopped.", code="address_suppressed",
                      errors={"to_email": [f"{address} {why}." for address, why in sorted(refused.items())]})


def _check_allowance(workspace_id: int, wanted: int, now: dt.datetime) -> None:
    remaining, wait = hourly_allowance(workspace_id=workspace_id, now=now)
    if wanted > remaining:
        limit = _hourly_limit(workspace_id)
        minutes = max(1, math.ceil(wait / 60))
        raise RateLimited(
            f"This workspace may send {limit} emails an hour; {remaining} more fit now. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            retry_after=wait, limit=limit, remaining=remaining)


def _lock_workspace(workspace_id: int) -> Workspace:
    """The workspace, locked so that two requests cannot both pass the hourly limit (on SQLite the
    IMMEDIATE transaction already holds the database's write lock; FOR UPDATE is skipped there)."""
    workspace = (Workspace.objects.select_for_update(of=("self",)).select_related("sender_identity")
                 .filter(pk=workspace_id).first())
    if workspace is None:
        raise NotFound("No such workspace.")
    return workspace


def _scoped(workspace: Workspace, *, booking_id, contact_id, template_id, follow_up_of_id, thread):
    """The referenced objects, each checked to belong to ``workspace`` (another's is 404, like a missing one)."""
    booking = contact = template = follow_up_of = None
    if booking_id is not None:
        # the buyer's own bookings, and the act's as the act may see them (not a venue's own inquiry)
        booking = Booking.objects.filter(Q(workspace=workspace) | (Q(act__workspace=workspace) & act_sees_q()),
                                         pk=booking_id).first()
        if booking is None:
            raise NotFound("No such booking.")
    if contact_id is not None:
        contact = contact_book.get(workspace_id=workspace.pk, contact_id=contact_id)
        if contact is None:
            raise NotFound("No such contact.")
    if template_id is not None:
        # outreach's template, read through the relation it declares on the workspace (ADR 0009)
        template = workspace.email_templates.filter(pk=template_id).first()
        if template is None:
            raise NotFound("No such template.")
    if follow_up_of_id is not None:
        follow_up_of = OutboundEmail.objects.filter(workspace=workspace, pk=follow_up_of_id).first()
        if follow_up_of is None:
            raise NotFound("No such email.")
    if thread is not None and not (thread.workspace_id == workspace.pk or
                                   ThreadParty.objects.filter(thread=thread, workspace=workspace).exists()):
        raise NotFound("No such thread.")
    if thread is not None and thread.kind == ThreadKind.INTERNAL:
        raise Conflict("An internal conversation never goes out by email.", code="internal_only")
    return booking, contact, template, follow_up_of


@dataclass(frozen=True)
class _Sender:
    from_name: str
    from_email: str
    signature: str
    signature_html: str

    @classmethod
    def of(cls, workspace: Workspace) -> _Sender:
        from_name, from_email = sender_for(workspace)
        try:
            signature = (workspace.sender_identity.signature or "").strip()
        except SenderIdentity.DoesNotExist:
            signature = ""
        return cls(from_name, from_email, signature, render_markdown(signature) if signature else "")


def _bodies(*, workspace: Workspace, body: str, body_html: str, sender: _Sender, unsubscribe: str) -> tuple[str, str]:
    """The text part (body, signature, opt-out footer) and the HTML part (the sanitised Markdown
    rendering in a simple layout, with the same)."""
    text = body
    if sender.signature:
        text += f"\n\n-- \n{sender.signature}"
    text += (f"\n\n---\nYou received this email from {workspace.name} through Backline. "
             f"To stop emails from {workspace.name}: {unsubscribe}\n")
    html = render_to_string("mail/email_layout.html", {
        "workspace_name": workspace.name, "content": body_html, "signature": sender.signature_html,
        "opt_out_url": unsubscribe,
    })
    return text, html


def _create(*, actor, workspace: Workspace, prepared: _Prepared, thread, booking, contact, template, follow_up_of,
            follow_up_days: int | None, now: dt.datetime, sender: _Sender) -> OutboundEmail:
    if thread is None:
        thread = conversations.email_thread_for(workspace=workspace, subject=prepared.subject, contact=contact,
                                              booking=booking, created_by=actor)
    message = conversations.add_message(thread=thread, body=prepared.body, source=MessageSource.EMAIL_OUT, author=actor,
                                      author_workspace=workspace, notify=False)
    unsubscribe = opt_out_url(workspace_id=workspace.pk, email=prepared.to_email)
    # The message's rendering is the email's HTML content: the same sanitised Markdown, rendered once.
    text, html = _bodies(workspace=workspace, body=prepared.body, body_html=message.body_html, sender=sender,
                         unsubscribe=unsubscribe)
    domain = sender.from_email.rpartition("@")[2] or settings.INBOUND_EMAIL_DOMAIN
    email = OutboundEmail.objects.create(
        workspace=workspace, thread=thread, message=message, booking=booking, contact=contact, template=template,
        follow_up_of=follow_up_of, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        to_email=prepared.to_email, to_name=prepared.to_name, from_email=sender.from_email, from_name=sender.from_name,
        reply_to=reply_address(thread), subject=prepared.subject, body_text=text, body_html=html,
        status=EmailStatus.QUEUED, header_message_id=make_msgid(domain=domain), created_at=now,
        follow_up_due_at=now + dt.timedelta(days=follow_up_days) if follow_up_days else None)
    audit.record(actor=actor, action="outbound_email.queued", obj=email, workspace_id=workspace.pk,
                 after={"to": prepared.to_email, "subject": prepared.subject, "thread": thread.pk,
                        "template": template.pk if template else None})
    return email


def _deliver_on_commit(ids: list[int]) -> None:
    """After commit: one delivery task per email, or one task for a batch (sharing one connection)."""
    def _go():
        from ..tasks import deliver_email, deliver_emails

        if len(ids) == 1:
            deliver_email.delay(ids[0])
        else:
            deliver_emails.delay(ids)

    transaction.on_commit(_go)


def _check_follow_up_days(days: int | None, field: str = "follow_up_days") -> None:
    if days is not None and (not isinstance(days, int) or days < 0 or days > 365):
        raise Invalid("Follow-up days must be between 0 and 365.", errors={field: ["Give 0 to 365 days."]})


def email_queue(*, actor, workspace_id: int, to_email: str, to_name: str = "", subject: str, body: str,
                thread=None, booking_id: int | None = None, contact_id: int | None = None,
                template_id: int | None = None, follow_up_of_id: int | None = None,
                follow_up_days: int | None = None, deliver: bool = True) -> OutboundEmail:
    """Queue one outreach email from the workspace (the caller has checked the actor's OUTREACH_SEND).
    It is recorded in its thread (the given one, or the workspace's email thread with the contact) and
    delivered after commit by ``tasks.deliver_email`` (``deliver=False``: only by the periodic sweep)."""
    prepared = _validate(to_email=to_email, to_name=to_name, subject=subject, body=body)
    _check_follow_up_days(follow_up_days)
    with transaction.atomic():
        now = timezone.now()
        workspace = _lock_workspace(workspace_id)
        booking, contact, template, follow_up_of = _scoped(
            workspace, booking_id=booking_id, contact_id=contact_id, template_id=template_id,
            follow_up_of_id=follow_up_of_id, thread=thread)
        _refuse_suppressed(workspace.pk, [prepared.to_email])
        _check_allowance(workspace.pk, 1, now)
        email = _create(actor=actor, workspace=workspace, prepared=prepared, thread=thread, booking=booking,
                        contact=contact, template=template, follow_up_of=follow_up_of, follow_up_days=follow_up_days,
                        now=now, sender=_Sender.of(workspace))
        if deliver:
            _deliver_on_commit([email.pk])
    return email


def email_queue_many(*, actor, workspace_id: int, emails: list[dict], deliver: bool = True) -> list[OutboundEmail]:
    """Queue several emails at once, all or nothing: each item takes ``email_queue``'s keyword
    arguments (to_email, to_name, subject, body, thread, booking_id, contact_id, template_id,
    follow_up_of_id, follow_up_days) and gets the same checks. Every item is validated first (errors
    name the item: ``emails[3].subject``), the suppression list is read once, the hourly limit is
    checked for the whole batch under one workspace lock, and one delivery task for the batch is
    scheduled after commit."""
    prepared: list[_Prepared] = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(emails):
        try:
            prepared.append(_validate(to_email=item.get("to_email", ""), to_name=item.get("to_name", ""),
                                      subject=item.get("subject", ""), body=item.get("body", "")))
            _check_follow_up_days(item.get("follow_up_days"))
        except Invalid as exc:
            for field, messages in exc.errors.items():
                errors[f"emails[{index}].{field}"] = messages
    if errors:
        raise Invalid(f"{len({k.split('.')[0] for k in errors})} of {len(emails)} emails cannot be sent.", errors=errors)
    if not prepared:
        return []
    with transaction.atomic():
        now = timezone.now()
        workspace = _lock_workspace(workspace_id)
        _refuse_suppressed(workspace.pk, [p.to_email for p in prepared])
        _check_allowance(workspace.pk, len(prepared), now)
        sender = _Sender.of(workspace)
        created = []
        for item, ready in zip(emails, prepared, strict=True):
            thread = item.get("thread")
            booking, contact, template, follow_up_of = _scoped(
                workspace, booking_id=item.get("booking_id"), contact_id=item.get("contact_id"),
                template_id=item.get("template_id"), follow_up_of_id=item.get("follow_up_of_id"), thread=thread)
            created.append(_create(actor=actor, workspace=workspace, prepared=ready, thread=thread, booking=booking,
                                   contact=contact, template=template, follow_up_of=follow_up_of,
                                   follow_up_days=item.get("follow_up_days"), now=now, sender=sender))
        if deliver:
            _deliver_on_commit([e.pk for e in created])
    return created
