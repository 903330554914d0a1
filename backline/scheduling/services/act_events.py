"""An act's own events (rehearsals, travel, other dates): every participant with an account becomes
busy through a commitment, and calendar feeds follow the event's changes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from backline.accounts.permissions import SCHEDULE_MANAGE
from backline.artists.models import ActMember
from backline.core import audit
from backline.core.errors import Invalid, InvalidTransition
from backline.core.events import emit
from backline.core.timeutil import check_span
from backline.core.validation import validate_model

from .. import events
from ..models import ActEvent, Commitment, CommitmentStatus, EventKind, EventStatus
from ..permissions import access_act, access_event
from ..workflow import transition
from .commitments import commitments_sync

EVENT_FIELDS = ("kind", "title", "starts_at", "ends_at", "time_zone", "location", "notes")


def _participants(act, member_ids) -> list[ActMember]:
    members = list(ActMember.objects.filter(act=act))
    if member_ids is None:
        return members
    chosen = [m for m in members if m.pk in set(member_ids)]
    if len(chosen) != len(set(member_ids)):
        raise Invalid("Unknown member.", errors={"participant_ids": ["Choose members of this act's line-up."]})
    return chosen


def _event_title(event: ActEvent) -> str:
    return f"{event.title} · {event.act.workspace.name}"


def _sync_event_commitments(event: ActEvent, actor) -> None:
    users = [m.user_id for m in event.participants.all() if m.user_id]
    status = CommitmentStatus.CANCELLED if event.status == EventStatus.CANCELLED else CommitmentStatus.CONFIRMED
    commitments_sync(source_type="act_event", source_id=event.pk, workspace_id=event.act.workspace_id,
                     user_ids=users if status != CommitmentStatus.CANCELLED else [], title=_event_title(event),
                     starts_at=event.starts_at, ends_at=event.ends_at, time_zone=event.time_zone,
                     location=event.location, status=status, actor=actor)


def _check_event_times(event: ActEvent, *, planned: bool = True) -> None:
    """The times first (so an end before the start reads as such, not as a database constraint's
    name), then the model's own validation (required fields, lengths). ``planned``: the times are being
    given now, so they must lie within the planning range (an old event's notes can still change)."""
    if event.starts_at is not None and event.ends_at is not None:
        check_span(event.starts_at, event.ends_at, max_days=31, planned=planned)
    validate_model(event, exclude=["act", "created_by"])


def act_event_create(*, actor, workspace_id: int, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                     kind: str = EventKind.REHEARSAL, time_zone: str | None = None, location: str = "", notes: str = "",
                     participant_ids: list[int] | None = None) -> ActEvent:
    """An act's own event; every participant with an account becomes busy (a commitment)."""
    with transaction.atomic():
        access, act = access_act(user=actor, workspace_id=workspace_id, capability=SCHEDULE_MANAGE)
        event = ActEvent(act=act, kind=kind, title=(title or "").strip(), starts_at=starts_at, ends_at=ends_at,
                         time_zone=time_zone or access.workspace.time_zone, location=(location or "").strip(),
                         notes=(notes or "").strip(), created_by=actor)
        _check_event_times(event)
        members = _participants(act, participant_ids)
        event.save()
        event.participants.set(members)
        _sync_event_commitments(event, actor)
        audit.record(actor=actor, action="act_event.created", obj=event, workspace_id=workspace_id,
                     after=audit.snapshot(event, EVENT_FIELDS) | {"participants": [m.pk for m in members]})
        emit(events.act_event_scheduled, event_id=event.pk, workspace_id=workspace_id, actor_id=actor.pk)
    return event


def act_event_update(*, actor, event_id: int, participant_ids: list[int] | None = None, **changes) -> ActEvent:
    audit.check_known_fields(changes, EVENT_FIELDS)
    with transaction.atomic():
        access, event = access_event(user=actor, event_id=event_id, capability=SCHEDULE_MANAGE, lock=True)
        if event.status == EventStatus.CANCELLED:
            raise InvalidTransition("This event is cancelled; it can no longer change.", code="event_cancelled")
        before = audit.snapshot(event, EVENT_FIELDS) | {"participants": sorted(event.participants.values_list("pk", flat=True))}
        retimed = any(field in changes and changes[field] != getattr(event, field) for field in ("starts_at", "ends_at"))
        for field, value in changes.items():
            setattr(event, field, value.strip() if isinstance(value, str) else value)
        _check_event_times(event, planned=retimed)
        if participant_ids is not None:
            event.participants.set(_participants(event.act, participant_ids))
        after = audit.snapshot(event, EVENT_FIELDS) | {"participants": sorted(event.participants.values_list("pk", flat=True))}
        if after != before:
            event.sequence += 1
            event.save()
            _sync_event_commitments(event, actor)
            audit.record(actor=actor, action="act_event.updated", obj=event, workspace_id=event.act.workspace_id,
                         before=before, after=after)
    return event


def act_event_cancel(*, actor, event_id: int, reason: str) -> ActEvent:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why.", errors={"reason": ["Give a reason for cancelling."]})
    with transaction.atomic():
        access, event = access_event(user=actor, event_id=event_id, capability=SCHEDULE_MANAGE, lock=True)
        before = {"status": event.status}
        transition("event", event, EventStatus.CANCELLED)
        event.cancel_reason = reason[:300]
        event.sequence += 1
        event.save()
        _sync_event_commitments(event, actor)
        audit.record(actor=actor, action="act_event.cancelled", obj=event, workspace_id=event.act.workspace_id,
                     before=before, after={"status": event.status, "reason": event.cancel_reason})
        emit(events.act_event_cancelled, event_id=event.pk, workspace_id=event.act.workspace_id, actor_id=actor.pk,
             reason=event.cancel_reason)
    return event


def act_event_delete(*, actor, event_id: int) -> None:
    """Delete an event for good (a mistake, or a date no calendar can hold): the participants'
    commitments go with it, so it leaves every person and act feed. Cancelling instead keeps it, marked
    cancelled, with a reason. A poll decided into this event keeps its result and loses the link."""
    with transaction.atomic():
        access, event = access_event(user=actor, event_id=event_id, capability=SCHEDULE_MANAGE, lock=True)
        workspace_id = event.act.workspace_id
        commitments = Commitment.objects.select_for_update().filter(source_type="act_event", source_id=event.pk)
        before = audit.snapshot(event, EVENT_FIELDS) | {
            "status": event.status, "participants": sorted(event.participants.values_list("pk", flat=True)),
            "commitments_of": sorted(commitments.values_list("user_id", flat=True))}
        audit.record(actor=actor, action="act_event.deleted", obj=event, workspace_id=workspace_id, before=before)
        commitments.delete()
        event.delete()
