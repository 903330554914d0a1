"""A person's own availability, calendar, commitments and conflicts: nobody else's."""


import datetime as dt

from ninja import Router
from ninja.pagination import paginate

from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import OffsetDateTime
from backline.core.timeutil import from_epoch, to_epoch

from .. import selectors
from ..models import AvailabilityBlock, AvailabilityRule, BlockSource, Commitment, PersonSchedule
from ..permissions import own_block, own_rule
from ..services import availability
from .schemas import (
    BlockIn,
    BlockOut,
    BlockPatchIn,
    CalendarItemOut,
    CommitmentOut,
    ConflictOut,
    RuleIn,
    RuleOut,
    RulePatchIn,
    ScheduleIn,
    ScheduleOut,
    SpanIn,
    SpanOut,
)

router = Router(tags=["availability"])


def _schedule_out(user):
    schedule = PersonSchedule.objects.filter(user=user).first()
    return {"default_state": schedule.default_state if schedule else "unknown", "time_zone": user.time_zone}


@router.get("/me/schedule", response={200: ScheduleOut, **ERROR_RESPONSES})
def schedule_get(request):
    """What time with no pattern or block means for you (unknown is never counted as free)."""
    return _schedule_out(request.auth)


@router.put("/me/schedule", response={200: ScheduleOut, **ERROR_RESPONSES})
def schedule_put(request, payload: ScheduleIn):
    availability.schedule_set_default(actor=request.auth, default_state=payload.default_state)
    return _schedule_out(request.auth)


@router.get("/me/availability/rules", response={200: list[RuleOut], **ERROR_RESPONSES})
@paginate
def rule_list(request):
    return AvailabilityRule.objects.filter(user=request.auth)


@router.post("/me/availability/rules", response={201: RuleOut, **ERROR_RESPONSES})
def rule_create(request, payload: RuleIn):
    """A recurring pattern: any RFC 5545 RRULE (DAILY, WEEKLY, MONTHLY or YEARLY), with EXDATE
    exceptions, in your time zone unless another is given."""
    return 201, availability.availability_rule_create(actor=request.auth, **payload.dict())


@router.get("/me/availability/rules/{rule_id}", response={200: RuleOut, **ERROR_RESPONSES})
def rule_detail(request, rule_id: int):
    return own_rule(user=request.auth, rule_id=rule_id)


@router.patch("/me/availability/rules/{rule_id}", response={200: RuleOut, **ERROR_RESPONSES})
def rule_update(request, rule_id: int, payload: RulePatchIn):
    """Change a pattern; with ``from_date`` only from that date on (answers the pattern now in force)."""
    data = payload.dict(exclude_unset=True)
    from_date = data.pop("from_date", None)
    return availability.availability_rule_update(actor=request.auth, rule_id=rule_id, from_date=from_date, **data)


@router.delete("/me/availability/rules/{rule_id}", response={204: None, **ERROR_RESPONSES})
def rule_delete(request, rule_id: int, from_date: dt.date | None = None):
    """Delete a pattern, or with ``from_date`` end it the day before (its past stays)."""
    availability.availability_rule_delete(actor=request.auth, rule_id=rule_id, from_date=from_date)
    return 204, None


@router.get("/me/availability/blocks", response={200: list[BlockOut], **ERROR_RESPONSES})
@paginate
def block_list(request, start: OffsetDateTime | None = None, end: OffsetDateTime | None = None):
    qs = AvailabilityBlock.objects.filter(user=request.auth, source=BlockSource.MANUAL)
    if start:
        qs = qs.filter(ends_at__gt=start)
    if end:
        qs = qs.filter(starts_at__lt=end)
    return qs


@router.post("/me/availability/blocks", response={201: BlockOut, **ERROR_RESPONSES})
def block_create(request, payload: BlockIn):
    """Mark a span free or busy. It overrides your patterns there; overlapping blocks of the same state
    merge into one and blocks of the other state give way."""
    return 201, availability.availability_block_create(actor=request.auth, **payload.dict())


@router.get("/me/availability/blocks/{block_id}", response={200: BlockOut, **ERROR_RESPONSES})
def block_detail(request, block_id: int):
    return own_block(user=request.auth, block_id=block_id)


@router.patch("/me/availability/blocks/{block_id}", response={200: BlockOut, **ERROR_RESPONSES})
def block_update(request, block_id: int, payload: BlockPatchIn):
    return availability.availability_block_update(actor=request.auth, block_id=block_id, **payload.dict(exclude_unset=True))


@router.delete("/me/availability/blocks/{block_id}", response={204: None, **ERROR_RESPONSES})
def block_delete(request, block_id: int):
    availability.availability_block_delete(actor=request.auth, block_id=block_id)
    return 204, None


@router.post("/me/availability/clear", response={204: None, **ERROR_RESPONSES})
def availability_clear(request, payload: SpanIn):
    """Remove your one-off blocks from a span, so your patterns and default apply there again."""
    availability.availability_clear(actor=request.auth, starts_at=payload.starts_at, ends_at=payload.ends_at)
    return 204, None


@router.get("/me/calendar", response={200: list[CalendarItemOut], **ERROR_RESPONSES})
def calendar(request, start: OffsetDateTime, end: OffsetDateTime):
    """Everything in your calendar between ``start`` and ``end`` (at most two years): pattern
    occurrences, blocks, imported events and commitments from all your acts."""
    return selectors.person_calendar(request.auth, to_epoch(start), to_epoch(end))


@router.get("/me/free-time", response={200: list[SpanOut], **ERROR_RESPONSES})
def free_time(request, start: OffsetDateTime, end: OffsetDateTime):
    """The spans in which you are free, after patterns, blocks, imports and commitments."""
    spans = selectors.free_time_for_user(request.auth, to_epoch(start), to_epoch(end))
    return [{"starts_at": from_epoch(a), "ends_at": from_epoch(b)} for a, b in spans]


@router.get("/me/commitments", response={200: list[CommitmentOut], **ERROR_RESPONSES})
@paginate
def commitment_list(request, start: OffsetDateTime | None = None, end: OffsetDateTime | None = None):
    """Your commitments from every act and agency (cancelled ones included, marked)."""
    qs = Commitment.objects.filter(user=request.auth)
    if start:
        qs = qs.filter(ends_at__gt=start)
    if end:
        qs = qs.filter(starts_at__lt=end)
    return qs


@router.get("/me/conflicts", response={200: list[ConflictOut], **ERROR_RESPONSES})
def my_conflicts(request, starts_at: OffsetDateTime, ends_at: OffsetDateTime):
    """What in your calendar clashes with a span."""
    return selectors.conflicts_for(user_ids=[request.auth.pk], starts_at=starts_at, ends_at=ends_at, viewer=request.auth)
