"""The outbox, delivery side.

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
import random
import smtplib
import time
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch
from django.utils import timezone

from backline.conversations import services as conversations
from backline.core import audit
from backline.notifications.models import NotificationType

from ..models import EmailStatus, OutboundEmail, SuppressionReason
from ..refusals import refusal_in_words
from .suppressions import opt_out_url, sendable, suppress

ERROR_MAX = 500  # characters of a delivery error kept on the email

log = logging.getLogger(__name__)

BACKOFF_CAP_SECONDS = 3600

try:  # anymail is installed, but the outbox must work with any email backend
    from anymail.exceptions import AnymailError, AnymailRecipientsRefused
except ImportError:  # pragma: no cover
    class AnymailError(Exception):
        pass

    class AnymailRecipientsRefused(AnymailError):
        pass

SEND_ERRORS = (OSError, smtplib.SMTPException, AnymailError)


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
        return conversations.thread_url(email.thread, email.workspace.slug)
    except NoReverseMatch:  # pragma: no cover - the threads part's page
        return ""


def _tell_sender(email: OutboundEmail, title: str, body: str) -> None:
    if email.created_by_id is None:
        return
    from backline.notifications.services import notify

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
                         f"“{current.subject}” was tried {current.attempts} times and given up: "
                         f"{refusal_in_words(error).lower()}. The email's page has the mail server's own words.")
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
                     f"“{current.subject}” could not be delivered: {refusal_in_words(error).lower()}. "
                     "Backline will not write to this address again.")
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
