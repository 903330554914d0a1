"""The outbox: every outreach email is a row committed first and delivered afterwards by a task, so
nothing is lost when the mail server is down and nothing is sent twice.

Queueing (``email_queue``) refuses bad input before anything is written: an invalid address, control
characters in a header (header injection) or in the body (NUL and the other C0 controls but tab and
line breaks), an empty subject or body, an address that bounced or opted
out (``Suppression``), or more mail than the workspace's hourly limit (``RateLimited``, with when to
retry). The queued row carries the text and HTML bodies (with the sender's signature and an opt-out
link), the thread's reply address and our own ``Message-ID``.

Delivery (``deliver_one`` / ``deliver_due``, called by ``tasks.deliver_email`` and the periodic
``tasks.deliver_outbox``) claims one due row at a time in a short transaction (``select_for_update
(skip_locked=True)`` on PostgreSQL; SQLite's IMMEDIATE transactions serialise the claim), re-checks it
is still queued and due, counts the attempt and leases the row for ``OUTBOX_CLAIM_SECONDS`` so no other
worker takes it while it is being sent, sends it *outside* any transaction (a slow mail server never
holds a database lock), then records the result with a conditional update. Right before each send the
lease is renewed with a conditional update that also checks the claim is still ours (``renew_lease``):
an email of a slow batch whose lease ran out and that another worker claimed is skipped, never sent
twice. A failed attempt waits ``OUTBOX_BACKOFF_SECONDS * 2**(attempts-1)`` (at most an hour, with
jitter) and the row stays queued; after ``OUTBOX_MAX_ATTEMPTS`` it is ``failed`` and its sender is
told. A permanent refusal of the recipient (SMTP 5xx) makes it ``bounced`` and suppresses the address
everywhere. An email whose address was suppressed after it was queued is ``cancelled`` instead of sent.

Status changes made here: queued → sent, failed, bounced or cancelled; never backwards.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
import smtplib
import time
import unicodedata
from dataclasses import dataclass
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from backline.accounts.models import Workspace
from backline.bookings.models import Booking
from backline.core import audit
from backline.core.email import absolute_url
from backline.core.errors import Invalid, NotFound, RateLimited
from backline.core.text import control_error

from . import thread_core
from .markdown import render_markdown
from .models import (
    Contact,
    EmailStatus,
    EmailTemplate,
    MessageSource,
    NotificationType,
    OutboundEmail,
    SenderIdentity,
    Suppression,
    SuppressionReason,
    ThreadParty,
)

log = logging.getLogger(__name__)

OPT_OUT_SALT = "backline.optout"
WINDOW = dt.timedelta(hours=1)
BACKOFF_CAP_SECONDS = 3600
SUBJECT_MAX = 200
NAME_MAX = 200
BODY_MAX = 20000
ERROR_MAX = 500

try:  # anymail is installed, but the outbox must work with any email backend
    from anymail.exceptions import AnymailError, AnymailRecipientsRefused
except ImportError:  # pragma: no cover
    class AnymailError(Exception):
        pass

    class AnymailRecipientsRefused(AnymailError):
        pass

SEND_ERRORS = (OSError, smtplib.SMTPException, AnymailError)


# --- small helpers other parts use ----------------------------------------------------------------

def _control_free(value: str) -> str:
    """``value`` without control characters or line/paragraph separators (for names in headers)."""
    return "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))


def _has_control(value: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value)


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


def opt_out_token(*, workspace_id: int, email: str) -> str:
    """A signed (not encrypted, never expiring) token naming the workspace and the address; the same
    for the same pair, so every email to an address carries the same link."""
    return signing.Signer(salt=OPT_OUT_SALT).sign_object({"w": workspace_id, "e": email.strip().lower()}, compress=True)


def opt_out_read(token: str) -> tuple[int, str] | None:
    """(workspace_id, email) a genuine opt-out token names, or None for a forged or broken one. Opt-out
    links never expire: an old email's link must keep working."""
    try:
        data = signing.Signer(salt=OPT_OUT_SALT).unsign_object(token)
        return int(data["w"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def opt_out_url(*, workspace_id: int, email: str) -> str:
    """The absolute address at which the recipient stops the workspace's email (a signed token)."""
    return absolute_url(reverse("email_opt_out", args=[opt_out_token(workspace_id=workspace_id, email=email)]))


def _suppression_reason(suppression: Suppression) -> str:
    day = timezone.localtime(suppression.created_at).date().isoformat()
    if suppression.reason == SuppressionReason.BOUNCED:
        return f"bounced on {day}"
    if suppression.reason == SuppressionReason.COMPLAINED:
        return f"marked our email as spam on {day}"
    return f"opted out on {day}"


def sendable(*, workspace_id: int, emails: list[str]) -> dict[str, str]:
    """address (lower-case) → why the workspace may not write to it ("bounced on <date>", "opted out on
    <date>", "marked our email as spam on <date>"), for those it may not; empty when all may. One query."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if not wanted:
        return {}
    found: dict[str, str] = {}
    rows = (Suppression.objects.filter(email__in=wanted).filter(Q(workspace__isnull=True) | Q(workspace_id=workspace_id))
            .order_by("created_at", "id"))
    for suppression in rows:
        found.setdefault(suppression.email, _suppression_reason(suppression))  # the first reason wins
    return found


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


def suppress(*, workspace_id: int | None, email: str, reason: str, source_email: OutboundEmail | None = None,
             actor=None) -> tuple[Suppression, bool]:
    """Stop mail to ``email`` (from one workspace, or from every one when ``workspace_id`` is None);
    idempotent: (the suppression, whether it is new). Queued mail to the address is cancelled when its
    delivery comes round."""
    address = email.strip().lower()
    with transaction.atomic():
        existing = Suppression.objects.filter(email=address, workspace_id=workspace_id).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                suppression = Suppression.objects.create(workspace_id=workspace_id, email=address, reason=reason,
                                                         source_email=source_email)
        except IntegrityError:  # a concurrent request suppressed it first
            return Suppression.objects.get(email=address, workspace_id=workspace_id), False
        audit.record(actor=actor, action="suppression.created", obj=suppression, workspace_id=workspace_id,
                     after={"email": address, "reason": reason})
    return suppression, True


def opt_in_again(*, workspace_id: int, email: str, actor=None) -> bool:
    """Undo the address's own opt-out from the workspace (the recipient changed their mind on the
    opt-out page). Bounces and complaints stay. Answers whether an opt-out was removed."""
    address = email.strip().lower()
    with transaction.atomic():
        suppression = (Suppression.objects.select_for_update()
                       .filter(workspace_id=workspace_id, email=address, reason=SuppressionReason.OPTED_OUT).first())
        if suppression is None:
            return False
        audit.record(actor=actor, action="suppression.removed", obj=suppression, workspace_id=workspace_id,
                     before={"email": address, "reason": suppression.reason})
        suppression.delete()
    return True


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
    if _has_control(to_name or ""):
        errors["to_name"] = ["The name may not contain line breaks or other control characters."]
    elif len((to_name or "").strip()) > NAME_MAX:
        errors["to_name"] = [f"At most {NAME_MAX} characters."]
    if _has_control(subject or ""):
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
        booking = Booking.objects.filter(Q(workspace=workspace) | Q(act__workspace=workspace), pk=booking_id).first()
        if booking is None:
            raise NotFound("No such booking.")
    if contact_id is not None:
        contact = Contact.objects.filter(workspace=workspace, pk=contact_id).first()
        if contact is None:
            raise NotFound("No such contact.")
    if template_id is not None:
        template = EmailTemplate.objects.filter(workspace=workspace, pk=template_id).first()
        if template is None:
            raise NotFound("No such template.")
    if follow_up_of_id is not None:
        follow_up_of = OutboundEmail.objects.filter(workspace=workspace, pk=follow_up_of_id).first()
        if follow_up_of is None:
            raise NotFound("No such email.")
    if thread is not None and not (thread.workspace_id == workspace.pk or
                                   ThreadParty.objects.filter(thread=thread, workspace=workspace).exists()):
        raise NotFound("No such thread.")
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
    html = render_to_string("messaging/email/outreach_email.html", {
        "workspace_name": workspace.name, "content": body_html, "signature": sender.signature_html,
        "opt_out_url": unsubscribe,
    })
    return text, html


def _create(*, actor, workspace: Workspace, prepared: _Prepared, thread, booking, contact, template, follow_up_of,
            follow_up_days: int | None, now: dt.datetime, sender: _Sender) -> OutboundEmail:
    if thread is None:
        thread = thread_core.email_thread_for(workspace=workspace, subject=prepared.subject, contact=contact,
                                              booking=booking, created_by=actor)
    message = thread_core.add_message(thread=thread, body=prepared.body, source=MessageSource.EMAIL_OUT, author=actor,
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
        from .tasks import deliver_email, deliver_emails

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


# --- delivery --------------------------------------------------------------------------------------

def _due(now: dt.datetime) -> Q:
    return Q(status=EmailStatus.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def backoff_seconds(attempts: int) -> float:
    """How long to wait after the ``attempts``-th failed attempt: OUTBOX_BACKOFF_SECONDS doubled after
    each failure, at most an hour, plus up to 10% jitter (so retries of many emails spread out)."""
    base = min(BACKOFF_CAP_SECONDS, settings.OUTBOX_BACKOFF_SECONDS * 2 ** max(0, attempts - 1))
    return min(BACKOFF_CAP_SECONDS, base * (1 + random.random() * 0.1))


def _thread_link(email: OutboundEmail) -> str:
    if email.thread_id is None:
        return ""
    try:
        return thread_core.thread_url(email.thread, email.workspace.slug)
    except NoReverseMatch:  # pragma: no cover - the threads part's page
        return ""


def _tell_sender(email: OutboundEmail, title: str, body: str) -> None:
    if email.created_by_id is None:
        return
    from .services import notify

    notify(users=[email.created_by], type=NotificationType.EMAIL_REPLY, title=title, body=body,
           url=_thread_link(email), workspace_id=email.workspace_id)


def _lease_until(now: dt.datetime) -> dt.datetime:
    return max(now, timezone.now()) + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)


def _cancel_stopped(emails: list[OutboundEmail]) -> list[OutboundEmail]:
    """Cancel those of ``emails`` whose address was suppressed since they were queued; answers the rest.
    One query per workspace among them."""
    by_workspace: dict[int, list[OutboundEmail]] = {}
    for email in emails:
        by_workspace.setdefault(email.workspace_id, []).append(email)
    keep = []
    for workspace_id, group in by_workspace.items():
        stopped = sendable(workspace_id=workspace_id, emails=[e.to_email for e in group])
        for email in group:
            why = stopped.get(email.to_email.lower())
            if why:
                mark_cancelled(email, reason=f"{email.to_email.lower()} {why}")
            else:
                keep.append(email)
    return keep


def claim(email_id: int, *, now: dt.datetime | None = None) -> OutboundEmail | None:
    """Take a due, queued email for sending, or None if it is not (any more) queued, not due, or being
    sent by another worker. Counts the attempt and leases the row for OUTBOX_CLAIM_SECONDS. An email
    whose address was suppressed since it was queued is cancelled here instead."""
    claimed = _claim(Q(pk=email_id), now=now or timezone.now(), limit=1)
    return claimed[0] if claimed else None


def claim_batch(*, now: dt.datetime | None = None, limit: int = 100, ids: list[int] | None = None) -> list[OutboundEmail]:
    """Take up to ``limit`` due, queued emails (of ``ids``, if given), oldest due first, in one short
    transaction; rows another worker holds are skipped (PostgreSQL), and SQLite's IMMEDIATE transaction
    serialises claimers. Same rules as ``claim``."""
    where = Q(pk__in=ids) if ids is not None else Q()
    return _claim(where, now=now or timezone.now(), limit=limit)


def _claim(where: Q, *, now: dt.datetime, limit: int) -> list[OutboundEmail]:
    with transaction.atomic():
        rows = list(OutboundEmail.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(_due(now), where).order_by("next_attempt_at", "id")[:limit])
        if not rows:
            return []
        rows = _cancel_stopped(rows)
        if not rows:
            return []
        lease = _lease_until(now)
        OutboundEmail.objects.filter(pk__in=[e.pk for e in rows]).update(attempts=F("attempts") + 1,
                                                                          next_attempt_at=lease)
        for email in rows:
            email.attempts += 1
            email.next_attempt_at = lease
    return rows


def renew_lease(email: OutboundEmail) -> bool:
    """Extend a claimed email's lease by OUTBOX_CLAIM_SECONDS from now, right before it is sent, if the
    claim is still ours: the row is still queued, on the attempt we counted, under the lease we set (one
    conditional UPDATE). False when it is not: our lease ran out while earlier emails of the batch were
    being sent and another worker claimed it (a new attempt and lease), or it was handed back or decided
    — then it is not ours to send. So however slow a batch is, no email is sent by two workers."""
    lease = _lease_until(timezone.now())
    renewed = OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.QUEUED, attempts=email.attempts,
                                           next_attempt_at=email.next_attempt_at).update(next_attempt_at=lease)
    if renewed:
        email.next_attempt_at = lease
    return bool(renewed)


def release(emails: list[OutboundEmail]) -> None:
    """Hand claimed but unattempted emails back: the attempt is not counted and they are due at once."""
    now = timezone.now()
    with transaction.atomic():
        for email in emails:
            OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.QUEUED, attempts=email.attempts).update(
                attempts=F("attempts") - 1, next_attempt_at=now if email.attempts > 1 else None)


# Statuses the provider's tracking moves an email to after it was sent.
TRACKED_LATER = (EmailStatus.DELIVERED, EmailStatus.OPENED, EmailStatus.REPLIED, EmailStatus.BOUNCED,
                 EmailStatus.COMPLAINED)


def mark_sent(email: OutboundEmail, *, provider_message_id: str = "") -> None:
    """queued → sent. If the provider's tracking already moved it on (delivered before we recorded the
    send), only the send time and provider id are filled in; the status never goes backwards."""
    now = timezone.now()
    with transaction.atomic():
        moved = (OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.QUEUED, attempts=email.attempts)
                 .update(status=EmailStatus.SENT, sent_at=now, provider_message_id=provider_message_id[:200],
                         next_attempt_at=None, last_error=""))
        if not moved:
            OutboundEmail.objects.filter(pk=email.pk, sent_at__isnull=True, status__in=TRACKED_LATER).update(
                sent_at=now, provider_message_id=provider_message_id[:200])
            return
        email.status, email.sent_at, email.provider_message_id = EmailStatus.SENT, now, provider_message_id[:200]
        audit.record(actor=None, action="outbound_email.sent", obj=email, workspace_id=email.workspace_id,
                     before={"status": EmailStatus.QUEUED}, after={"status": EmailStatus.SENT,
                                                                  "attempts": email.attempts})


def mark_attempt_failed(email: OutboundEmail, *, error: str) -> None:
    """A failed attempt: the email waits (exponential backoff) and stays queued; after the last allowed
    attempt it is failed and its sender is told."""
    now = timezone.now()
    error = (error or "Unknown error")[:ERROR_MAX]
    with transaction.atomic():
        current = (OutboundEmail.objects.select_for_update(of=("self",)).select_related("workspace", "created_by", "thread")
                   .filter(pk=email.pk, status=EmailStatus.QUEUED, attempts=email.attempts).first())
        if current is None:  # someone else recorded this attempt's outcome already
            return
        current.last_error = error
        if current.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            current.status, current.next_attempt_at = EmailStatus.FAILED, None
            current.save(update_fields=["status", "next_attempt_at", "last_error"])
            audit.record(actor=None, action="outbound_email.failed", obj=current, workspace_id=current.workspace_id,
                         before={"status": EmailStatus.QUEUED},
                         after={"status": EmailStatus.FAILED, "attempts": current.attempts, "error": error})
            _tell_sender(current, f"Email to {current.to_email} could not be delivered",
                         f"“{current.subject}” was tried {current.attempts} times and given up. Last error: {error}")
        else:
            current.next_attempt_at = now + dt.timedelta(seconds=backoff_seconds(current.attempts))
            current.save(update_fields=["next_attempt_at", "last_error"])
    email.status, email.last_error, email.next_attempt_at = current.status, current.last_error, current.next_attempt_at


def mark_bounced(email: OutboundEmail, *, error: str) -> None:
    """The receiving server refused the recipient for good (SMTP 5xx): bounced, the address is
    suppressed for every workspace, and the sender is told."""
    now = timezone.now()
    error = (error or "Recipient refused")[:ERROR_MAX]
    with transaction.atomic():
        current = (OutboundEmail.objects.select_for_update(of=("self",)).select_related("workspace", "created_by", "thread")
                   .filter(pk=email.pk, status=EmailStatus.QUEUED, attempts=email.attempts).first())
        if current is None:
            return
        current.status, current.bounced_at, current.last_error, current.next_attempt_at = (
            EmailStatus.BOUNCED, now, error, None)
        current.save(update_fields=["status", "bounced_at", "last_error", "next_attempt_at"])
        audit.record(actor=None, action="outbound_email.bounced", obj=current, workspace_id=current.workspace_id,
                     before={"status": EmailStatus.QUEUED}, after={"status": EmailStatus.BOUNCED, "error": error})
        suppress(workspace_id=None, email=current.to_email, reason=SuppressionReason.BOUNCED, source_email=current)
        _tell_sender(current, f"Email to {current.to_email} bounced",
                     f"The receiving server refused “{current.subject}”: {error}. Backline will not write to this address again.")
    email.status = current.status


def mark_cancelled(email: OutboundEmail, *, reason: str) -> None:
    """queued → cancelled: the address was suppressed (opted out, bounced, complained) after queueing."""
    with transaction.atomic():
        moved = OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.QUEUED).update(
            status=EmailStatus.CANCELLED, next_attempt_at=None, last_error=f"Not sent: {reason}"[:ERROR_MAX])
        if moved:
            email.status = EmailStatus.CANCELLED
            audit.record(actor=None, action="outbound_email.cancelled", obj=email, workspace_id=email.workspace_id,
                         before={"status": EmailStatus.QUEUED}, after={"status": EmailStatus.CANCELLED, "reason": reason})


def build_message(email: OutboundEmail, *, connection=None) -> EmailMultiAlternatives:
    """The email as it leaves: text and HTML parts, our Message-ID, the thread's Reply-To, and the
    one-click List-Unsubscribe headers (RFC 2369, RFC 8058)."""
    unsubscribe = opt_out_url(workspace_id=email.workspace_id, email=email.to_email)
    unsubscribe_mail = f"mailto:{email.reply_to or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}?subject=unsubscribe"
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body_text,
        from_email=formataddr((email.from_name, email.from_email)),
        to=[formataddr((email.to_name, email.to_email))],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"Message-ID": email.header_message_id, "List-Unsubscribe": f"<{unsubscribe}>, <{unsubscribe_mail}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        connection=connection)
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.metadata = {"backline_email_id": str(email.pk)}  # anymail: comes back in tracking events
    message.tags = ["outreach"]
    return message


def _permanent_refusal(exc: Exception) -> str | None:
    """The refusal text when ``exc`` is the receiving side refusing the recipient for good, else None."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        codes = [code for code, _ in exc.recipients.values()]
        if all(500 <= int(code) < 600 for code in codes):
            return "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                             for code, msg in exc.recipients.values())
    if isinstance(exc, AnymailRecipientsRefused):
        return str(exc)
    return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{type(exc).__name__}: {exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def _new_connection():
    conn = get_connection(fail_silently=False)
    if getattr(conn, "timeout", "absent") is None:  # SMTP without EMAIL_TIMEOUT would wait forever
        conn.timeout = settings.OUTBOX_SEND_TIMEOUT
    return conn


def _close(conn) -> None:
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - a broken connection is thrown away either way
        log.debug("closing a broken email connection failed", exc_info=True)


OK, BROKEN, UNREACHABLE = "ok", "broken", "unreachable"


def _send_claimed(email: OutboundEmail, conn) -> tuple[str | None, str]:
    """Send a claimed email over ``conn`` and record the outcome; answers (resulting status, the
    connection's state: OK to reuse, BROKEN (open a new one) or UNREACHABLE (the server is down)). The
    lease is renewed first; if the claim is no longer ours the email is left alone: (None, OK)."""
    if not renew_lease(email):
        log.info("outbox: email %s is no longer this worker's to send (its lease ran out and it was taken)", email.pk)
        return None, OK
    try:
        conn.open()
    except SEND_ERRORS as exc:
        mark_attempt_failed(email, error=f"Could not reach the mail server: {_describe(exc)}")
        return email.status, UNREACHABLE
    message = build_message(email, connection=conn)
    try:
        message.send(fail_silently=False)
    except SEND_ERRORS as exc:
        refusal = _permanent_refusal(exc)
        if refusal is not None:
            mark_bounced(email, error=refusal)
            return email.status, OK  # the server answered: the connection is fine
        log.warning("outbox: attempt %s of email %s failed: %s", email.attempts, email.pk, _describe(exc))
        mark_attempt_failed(email, error=_describe(exc))
        return email.status, BROKEN
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)  # anymail: the provider's id (one recipient: one id)
    mark_sent(email, provider_message_id="" if provider_id is None else str(provider_id))
    return EmailStatus.SENT, OK


def deliver_one(email_id: int, *, now: dt.datetime | None = None) -> str | None:
    """Deliver one email if it is queued and due; answers its status afterwards, or None if it was not
    this call's to send (already sent or cancelled, not due, or being sent elsewhere)."""
    email = claim(email_id, now=now)
    if email is None:
        return None
    conn = _new_connection()
    try:
        status, _ = _send_claimed(email, conn)
    finally:
        _close(conn)
    return status


def deliver_many(ids: list[int]) -> dict[str, int]:
    """Deliver the given emails that are due, over shared connections (the task scheduled when a batch
    is queued). Answers counts by outcome."""
    counts: dict[str, int] = {}
    for start in range(0, len(ids), max(1, settings.OUTBOX_BATCH_SIZE)):
        chunk = ids[start:start + settings.OUTBOX_BATCH_SIZE]
        if not _send_batch(claim_batch(ids=chunk, limit=len(chunk)), counts):
            break
    return counts


def deliver_due(*, now: dt.datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Deliver every email that is due (queued, its next attempt time passed or unset): claim a batch of
    OUTBOX_BATCH_SIZE, send it over one connection, repeat until none is due (or ``limit`` were
    claimed). If the mail server cannot be reached the sweep stops and the rest wait for the next one.
    Answers counts by outcome."""
    counts: dict[str, int] = {}
    taken = 0
    while limit is None or taken < limit:
        size = settings.OUTBOX_BATCH_SIZE if limit is None else min(settings.OUTBOX_BATCH_SIZE, limit - taken)
        batch = claim_batch(now=now, limit=max(1, size))
        if not batch:
            break
        taken += len(batch)
        if not _send_batch(batch, counts):
            break
    return counts


def _send_batch(batch: list[OutboundEmail], counts: dict[str, int]) -> bool:
    """Send claimed emails over one connection (a new one after a broken one). Answers False when the
    server could not be reached: that email's attempt is counted, the rest are handed back unattempted.
    Each email's lease is renewed right before it is sent (and it is skipped if another worker took it
    meanwhile); once half the batch's lease is gone the rest are handed back so other workers need not
    wait for it to run out."""
    if not batch:
        return True
    started = time.monotonic()
    conn = _new_connection()
    try:
        for index, email in enumerate(batch):
            if time.monotonic() - started > settings.OUTBOX_CLAIM_SECONDS / 2:
                release(batch[index:])
                return True
            status, state = _send_claimed(email, conn)
            if status is not None:
                counts[status] = counts.get(status, 0) + 1
            if state == UNREACHABLE:
                release(batch[index + 1:])
                return False
            if state == BROKEN:
                _close(conn)
                conn = _new_connection()
    finally:
        _close(conn)
    return True
