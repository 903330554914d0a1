"""What the email provider tells us about the outreach we sent: anymail's normalised ``tracking`` events,
arriving through our webhook (webhooks.py) once the call is verified.

Every event is stored once as an ``EmailEvent``: ``(provider, event_id)`` is unique, so a webhook the
provider delivers twice changes nothing the second time. The email's status only ever moves forward:

    queued/failed < sent < delivered < opened < bounced < complained < replied

- a bounce or a complaint wins over delivered and opened (the address is not worth writing to again);
- a reply is the end of the line: a human answered, so a later bounce, complaint or open is recorded
  (its event, its ``*_at`` time, the suppression) but the email stays "replied";
- each ``*_at`` time is set from the event's own time the first time that kind of event arrives, and
  never changed by a later one (an "opened" arriving after "replied" only fills ``opened_at`` if empty);
- drafts and cancelled emails never change status (they were not sent);
- only an email that went out (``went_out``: sent, delivered, opened, replied, bounced or complained,
  or with a send time) can be replied to: "replied" is refused while an email is queued or failed (a
  queued email marked replied would never be sent).

Everything taken from the provider is stored without NUL characters (``no_nul``): PostgreSQL refuses
them in text and in ``jsonb``.

Side effects: a hard bounce (anymail reject reason ``bounced`` or ``invalid``) suppresses the address for
every workspace; a complaint suppresses it for the email's workspace (and so does an unsubscribe, as an
opt-out). The email's author is told of a bounce or a complaint (notification type ``email_reply``).
Bounces, complaints and opt-outs also cancel the follow-up reminder. The EmailEvent rows are the history;
only suppressions write an audit entry (through the outbox's ``suppress``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping

from anymail.signals import EventType, RejectReason, tracking
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import NoReverseMatch
from django.utils import timezone

from backline.notifications.models import NotificationType

from ..models import EmailEvent, EmailStatus, OutboundEmail, Suppression, SuppressionReason
from ..refusals import refusal_in_words
from .suppressions import suppress as suppress_address

logger = logging.getLogger("backline.mail.tracking")

S = EmailStatus
# How far along an email is; an event moves it only to a higher rank.
STATUS_RANK = {S.QUEUED: 0, S.FAILED: 0, S.SENT: 1, S.DELIVERED: 2, S.OPENED: 3, S.BOUNCED: 4, S.COMPLAINED: 5,
               S.REPLIED: 6}
# Never moved by the provider's events: not sent.
UNSENT = frozenset({S.DRAFT, S.CANCELLED})
# Emails that left us: only these can have been answered.
WENT_OUT = frozenset({S.SENT, S.DELIVERED, S.OPENED, S.REPLIED, S.BOUNCED, S.COMPLAINED})
# Never "replied": not (or not yet) sent.
NOT_REPLYABLE = UNSENT | {S.QUEUED, S.FAILED}


def went_out() -> Q:
    """The condition on OutboundEmail for an email that went out (a reply can only answer one of those)."""
    return Q(status__in=WENT_OUT) | Q(sent_at__isnull=False)


def no_nul(value):
    """``value`` (a string, or JSON-like dicts and lists of them) without NUL characters."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, Mapping):
        return {no_nul(k): no_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [no_nul(v) for v in value]
    return value

# anymail event type → the status it stands for, and the time it stamps.
EVENT_STATUS = {
    EventType.SENT: S.SENT,
    EventType.DELIVERED: S.DELIVERED,
    EventType.OPENED: S.OPENED,
    EventType.CLICKED: S.OPENED,  # a click is an open the tracking pixel missed
    EventType.BOUNCED: S.BOUNCED,
    EventType.REJECTED: S.BOUNCED,  # the provider refused to send it: as good as a bounce
    EventType.COMPLAINED: S.COMPLAINED,
}
STATUS_STAMP = {S.SENT: "sent_at", S.DELIVERED: "delivered_at", S.OPENED: "opened_at", S.BOUNCED: "bounced_at",
                S.COMPLAINED: "complained_at", S.REPLIED: "replied_at"}
HARD_BOUNCE_REASONS = frozenset({RejectReason.BOUNCED, RejectReason.INVALID})
SOFT_BOUNCE_TYPES = frozenset({"SoftBounce", "Transient"})  # Postmark's bounce "Type" for temporary failures

METADATA_KEY = "backline_email_id"  # set by the outbox on every message it sends


def thread_link(thread, workspace_slug: str) -> str:
    """The thread's page as the workspace sees it ("" without a thread, or while no page exists)."""
    from backline.conversations.services import thread_url

    if thread is None:
        return ""
    try:
        return thread_url(thread, workspace_slug)
    except NoReverseMatch:
        return ""


# --- status ------------------------------------------------------------------------------------------

def advance_status(email: OutboundEmail, status: str, at) -> list[str]:
    """Move ``email`` to ``status`` if that is further along, and stamp ``status``'s time if empty.
    Answers the changed field names (the caller saves them); changes nothing on drafts or cancelled,
    nor makes a queued or failed email "replied"."""
    if email.status in UNSENT or (status == S.REPLIED and email.status in NOT_REPLYABLE):
        return []
    changed = []
    stamp = STATUS_STAMP.get(status)
    if stamp and getattr(email, stamp) is None:
        setattr(email, stamp, at)
        changed.append(stamp)
    if STATUS_RANK.get(status, -1) > STATUS_RANK.get(email.status, 0):
        email.status = status
        changed.append("status")
    return changed


def mark_replied(email: OutboundEmail, at) -> bool:
    """A reply arrived: the email is "replied" (whatever it was, unless it never went out) and its
    follow-up stops.
    Answers whether this was its first reply. ``email`` must be locked by the caller."""
    first = email.replied_at is None
    changed = advance_status(email, S.REPLIED, at)
    if changed:
        email.save(update_fields=changed)
    return first and "replied_at" in changed


# --- suppressions --------------------------------------------------------------------------------------

def suppress(*, address: str, reason: str, workspace_id: int | None = None,
             source_email: OutboundEmail | None = None) -> Suppression | None:
    """Outreach may no longer go to ``address`` (from any workspace when ``workspace_id`` is None):
    the outbox's own idempotent, audited suppression."""

    address = (address or "").strip().lower()
    if not address or "@" not in address:
        return None
    return suppress_address(workspace_id=workspace_id, email=address[:254], reason=reason, source_email=source_email)[0]


# --- events ----------------------------------------------------------------------------------------------

def event_id_of(event) -> str:
    """The provider's id for the event, or, for providers that send none (Postmark's deliveries and
    opens), a stable one derived from what the event is about."""
    given = no_nul(str(event.event_id or "")).strip()
    if given and len(given) <= 200:
        return given
    if given:
        return "sha256:" + hashlib.sha256(given.encode()).hexdigest()
    stamp = event.timestamp.isoformat() if event.timestamp else ""
    basis = "|".join([str(event.message_id or ""), str(event.event_type or ""), stamp, str(event.recipient or "")])
    return "derived:" + hashlib.sha256(basis.encode()).hexdigest()


def _payload(esp_event) -> dict:
    """The raw event as JSON (form posts as a dict), without the provider's signature block."""
    if hasattr(esp_event, "lists"):  # a QueryDict (form-encoded webhooks)
        data = {k: v if len(v) > 1 else v[0] for k, v in esp_event.lists()}
    elif isinstance(esp_event, Mapping):
        data = dict(esp_event)
    else:
        return {}
    data.pop("signature", None)
    try:
        return no_nul(json.loads(json.dumps(data, default=str)))
    except (TypeError, ValueError):
        return {}


def _email_id_from(metadata) -> int | None:
    raw = (metadata or {}).get(METADATA_KEY) if isinstance(metadata, Mapping) else None
    if isinstance(raw, bool) or raw is None:
        return None
    text = str(raw).strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def _recipient(event) -> str:
    return no_nul(str(event.recipient or "")).strip().lower()


def _message_ids(message_id: str) -> list[str]:
    bare = message_id.strip().strip("<>")
    return [bare, f"<{bare}>"] if bare else []


def find_email(event, *, lock: bool = False) -> OutboundEmail | None:
    """The outreach email an event is about: by our id in the message's metadata, else by the
    provider's message id (or our Message-ID header). When the event names a recipient, it must be the
    email's (one email, one recipient)."""
    qs = OutboundEmail.objects.select_for_update(of=("self",)) if lock else OutboundEmail.objects
    qs = qs.select_related("workspace", "thread", "created_by")
    recipient = _recipient(event)

    def fits(email):
        return email is not None and (not recipient or email.to_email.lower() == recipient)

    email_id = _email_id_from(getattr(event, "metadata", None))
    if email_id is not None:
        email = qs.filter(pk=email_id).first()
        if fits(email):
            return email
    ids = _message_ids(no_nul(str(event.message_id or "")))
    if ids:
        for field in ("provider_message_id__in", "header_message_id__in"):
            candidates = qs.filter(**{field: ids})
            if recipient:
                candidates = candidates.filter(to_email__iexact=recipient)
            email = candidates.order_by("-id").first()
            if email is not None:
                return email
    return None


def tracking_event_record(*, provider: str, event) -> EmailEvent | None:
    """Store one tracking event and apply it to its email. Answers the new EmailEvent, or None when
    the same event was recorded before (a duplicate delivery: nothing changes)."""
    if event.event_type in (EventType.INBOUND, EventType.INBOUND_FAILED):
        return None
    provider = (provider or "unknown").lower()[:40]
    event_id = event_id_of(event)
    at = event.timestamp or timezone.now()
    with transaction.atomic():
        # Lock the email first, so two deliveries of one event are applied one after the other; the
        # unique (provider, event_id) insert then tells the second that it is a duplicate.
        email = find_email(event, lock=True)
        description = " ".join(no_nul(str(event.description or event.mta_response or "")).split())[:500]
        try:
            with transaction.atomic():
                row = EmailEvent.objects.create(
                    email=email, provider=provider, event_id=event_id, event_type=no_nul(str(event.event_type))[:20],
                    occurred_at=at, recipient=no_nul(str(event.recipient or "")).strip()[:254], description=description,
                    payload=_payload(event.esp_event))
        except IntegrityError:
            logger.info("Duplicate %s tracking event %s ignored", provider, event_id)
            return None
        if email is not None:
            _apply(email, event, at, description)
        else:
            logger.info("%s %s event for an unknown message (%s)", provider, event.event_type, event.message_id)
    return row


def _is_hard_bounce(event) -> bool:
    if event.reject_reason not in HARD_BOUNCE_REASONS:
        return False
    esp = event.esp_event
    return not (isinstance(esp, Mapping) and esp.get("Type") in SOFT_BOUNCE_TYPES)


def _apply(email: OutboundEmail, event, at, description: str) -> None:
    etype = event.event_type
    address = _recipient(event) or email.to_email
    first_bounce, first_complaint = email.bounced_at is None, email.complained_at is None
    changed: list[str] = []
    status = EVENT_STATUS.get(etype)
    if status is not None:
        changed += advance_status(email, status, at)
    if etype in (EventType.BOUNCED, EventType.REJECTED) and _is_hard_bounce(event):
        suppress(address=address, reason=SuppressionReason.BOUNCED, source_email=email)
    elif etype == EventType.COMPLAINED:
        suppress(address=address, reason=SuppressionReason.COMPLAINED, workspace_id=email.workspace_id,
                 source_email=email)
    elif etype == EventType.UNSUBSCRIBED:
        suppress(address=address, reason=SuppressionReason.OPTED_OUT, workspace_id=email.workspace_id,
                 source_email=email)
    stops = status in (S.BOUNCED, S.COMPLAINED) or etype == EventType.UNSUBSCRIBED
    if stops and email.follow_up_due_at is not None and email.follow_up_reminded_at is None:
        email.follow_up_due_at = None
        changed.append("follow_up_due_at")
    if changed:
        email.save(update_fields=sorted(set(changed)))
    if status == S.BOUNCED and first_bounce and "bounced_at" in changed:
        _tell_author(email, "bounced", description)
    elif status == S.COMPLAINED and first_complaint and "complained_at" in changed:
        _tell_author(email, "complained", description)


def _tell_author(email: OutboundEmail, what: str, description: str) -> None:
    author = email.created_by
    if author is None or not author.is_active:
        return
    from backline.notifications.services import notify

    if what == "bounced":
        title = f"Your email to {email.to_name or email.to_email} bounced"
        body = (f"“{email.subject}” could not be delivered to {email.to_email}. "
                f"{refusal_in_words(description)}. No more outreach will go to this address "
                "until it is corrected.")
    else:
        title = f"{email.to_name or email.to_email} marked your email as spam"
        body = (f"“{email.subject}” was reported as spam by {email.to_email}. Your workspace will not send "
                "outreach to this address again.")
    url = thread_link(email.thread, email.workspace.slug)
    workspace_id = email.workspace_id
    transaction.on_commit(lambda: notify(users=[author], type=NotificationType.EMAIL_REPLY, title=title[:200],
                                         body=body, url=url, workspace_id=workspace_id))


@receiver(tracking, dispatch_uid="backline.mail.tracking")
def on_tracking(sender, event, esp_name, **kwargs):
    """anymail's tracking signal, sent by our verified webhook view for each event of a call."""
    tracking_event_record(provider=esp_name, event=event)
