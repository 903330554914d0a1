"""A person's availability: the default state, recurring patterns (``AvailabilityRule``) and one-off
blocks (``AvailabilityBlock``). Every write is the person's own; the green zone reads what is here."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from backline.core import audit
from backline.core.errors import Invalid
from backline.core.timeutil import FUTURE_DAYS, NAIVE_MESSAGE, check_planned, check_span, from_epoch, to_epoch, zone
from backline.core.validation import refuse_nulls, validate_model

from .. import intervals, recurrence
from ..models import AvailabilityBlock, AvailabilityRule, BlockSource, PersonSchedule, State
from ..permissions import own_block, own_rule

RULE_FIELDS = ("state", "label", "time_zone", "starts_on", "ends_on", "start_time", "end_time", "rrule", "exdates")
BLOCK_FIELDS = ("state", "starts_at", "ends_at", "all_day", "label", "time_zone")
MAX_RULES_PER_PERSON = 50
SPLIT_SEARCH_DAYS = 400  # how far from its "from" date a split pattern looks for its next occurrence


def _state(value: str, *, allow_unknown: bool = False) -> str:
    allowed = [State.FREE, State.BUSY] + ([State.UNKNOWN] if allow_unknown else [])
    if value not in allowed:
        raise Invalid("Unknown state.", errors={"state": [f"Choose one of {', '.join(allowed)}."]})
    return value


# --- the person's default -------------------------------------------------------------------------

def schedule_set_default(*, actor, default_state: str) -> PersonSchedule:
    """What time covered by no pattern or block means for this person: free, busy or unknown."""
    _state(default_state, allow_unknown=True)
    with transaction.atomic():
        schedule, _ = PersonSchedule.objects.select_for_update().get_or_create(user=actor)
        before = schedule.default_state
        schedule.default_state = default_state
        schedule.save()
        if before != default_state:
            audit.record(actor=actor, action="schedule.default_changed", obj=schedule,
                         before={"default_state": before}, after={"default_state": default_state})
    return schedule


# --- recurring patterns ---------------------------------------------------------------------------

def _check_rule(rule: AvailabilityRule) -> None:
    _state(rule.state)
    zone(rule.time_zone)
    if rule.ends_on and rule.starts_on and rule.ends_on < rule.starts_on:
        raise Invalid("The pattern ends before it starts.", errors={"ends_on": ["The last day is before the first."]})
    validate_model(rule, exclude=["user"])
    if rule.start_time == rule.end_time and rule.start_time != dt.time(0):
        raise Invalid("The pattern has no length.", errors={"end_time": ["The end time equals the start time."]})
    exdates = []
    for value in rule.exdates or []:
        try:
            exdates.append(dt.date.fromisoformat(str(value)).isoformat())
        except ValueError:
            raise Invalid("Invalid exception date.", errors={"exdates": [f"“{value}” is not a date (YYYY-MM-DD)."]})
    rule.exdates = sorted(set(exdates))
    # A pattern may have begun years ago and still apply; it may not reach beyond ten years ahead.
    check_planned(past_days=FUTURE_DAYS, starts_on=rule.starts_on, ends_on=rule.ends_on,
                  exdates=[dt.date.fromisoformat(d) for d in rule.exdates])
    try:
        rule.rrule = recurrence.validate_rule_text(rule.rrule, rule.starts_on)
    except recurrence.RuleError as exc:
        raise Invalid(str(exc), errors={"rrule": [str(exc)]}) from exc


def availability_rule_preview(*, actor, state: str, starts_on: dt.date, start_time: dt.time, end_time: dt.time,
                              rrule: str, ends_on: dt.date | None = None, time_zone: str | None = None,
                              label: str = "", exdates: list[str] | None = None) -> AvailabilityRule:
    """The pattern as ``availability_rule_create`` would save it, checked the same way, but not saved:
    what the builder reads back while it is filled in. Raises ``Invalid`` as creating would; writes nothing."""
    rule = AvailabilityRule(user=actor, state=state, starts_on=starts_on, ends_on=ends_on, start_time=start_time,
                            end_time=end_time, rrule=(rrule or "").strip(), time_zone=time_zone or actor.time_zone,
                            label=(label or "").strip(), exdates=list(exdates or []))
    _check_rule(rule)
    return rule


def availability_rule_create(*, actor, state: str, starts_on: dt.date, start_time: dt.time, end_time: dt.time,
                             rrule: str, ends_on: dt.date | None = None, time_zone: str | None = None, label: str = "",
                             exdates: list[str] | None = None) -> AvailabilityRule:
    """A recurring pattern in the person's own time zone (or the one given)."""
    rule = availability_rule_preview(actor=actor, state=state, starts_on=starts_on, start_time=start_time,
                                     end_time=end_time, rrule=rrule, ends_on=ends_on, time_zone=time_zone, label=label,
                                     exdates=exdates)
    with transaction.atomic():
        _lock_person(actor)
        _refuse_too_many_rules(actor)
        rule.save()
        audit.record(actor=actor, action="availability_rule.created", obj=rule, after=audit.snapshot(rule, RULE_FIELDS))
    return rule


def _lock_person(actor) -> None:
    """Lock the person's schedule row (made if missing), so that two requests adding patterns queue and
    each counts the other's. Inside the caller's transaction; taken before any of their rules' locks."""
    PersonSchedule.objects.select_for_update().get_or_create(user=actor)


def _refuse_too_many_rules(actor) -> None:
    """Refuse one pattern more than ``MAX_RULES_PER_PERSON``; call under ``_lock_person``."""
    if AvailabilityRule.objects.filter(user=actor).count() >= MAX_RULES_PER_PERSON:
        raise Invalid("Too many patterns.", errors={"rrule": [f"Keep at most {MAX_RULES_PER_PERSON} patterns."]})


def _normalized_rule_text(text: str, starts_on: dt.date) -> str | None:
    try:
        return recurrence.validate_rule_text(text, starts_on)
    except recurrence.RuleError:
        return None  # the checks of the changed pattern say what is wrong


def _next_occurrence(rule: AvailabilityRule, on_or_after: dt.date) -> dt.date | None:
    """The local date of the pattern's first occurrence on or after ``on_or_after`` (searching
    ``SPLIT_SEARCH_DAYS``). Expanded as one-minute spans at UTC midnight, so each occurrence is its own
    span on its own local date: the pattern's days do not depend on its zone or times."""
    first = dt.datetime.combine(on_or_after, dt.time(0), tzinfo=dt.UTC)
    last = first + dt.timedelta(days=SPLIT_SEARCH_DAYS)
    try:
        spans = recurrence.expand(rule_text=rule.rrule, starts_on=rule.starts_on, ends_on=rule.ends_on,
                                  start_time=dt.time(0), end_time=dt.time(0, 1), time_zone="UTC",
                                  exdates=list(rule.exdates or []), range_start=to_epoch(first), range_end=to_epoch(last))
    except recurrence.RuleError as exc:
        raise Invalid(str(exc), errors={"rrule": [str(exc)]}) from exc
    return from_epoch(spans[0][0]).date() if spans else None


def availability_rule_update(*, actor, rule_id: int, from_date: dt.date | None = None, **changes) -> AvailabilityRule:
    """Change a pattern. With ``from_date``, only the future changes: the pattern as it was keeps
    applying before that date and a new pattern with the changes applies from it on.

    The new pattern never starts before ``from_date`` (a "from" date that the form fills with the old
    first day cannot rewrite the past). When the repeat rule itself is unchanged, the new pattern starts
    on the old one's first occurrence on or after that day, so "every other Monday" keeps its Mondays. A
    pattern limited by COUNT can only be changed as a whole: split, its count would start again."""
    audit.check_known_fields(changes, RULE_FIELDS)
    check_planned(from_date=from_date)
    with transaction.atomic():
        if from_date is not None:  # a split adds a pattern
            _lock_person(actor)
        rule = own_rule(user=actor, rule_id=rule_id, lock=True)
        before = audit.snapshot(rule, RULE_FIELDS)
        if from_date is not None and from_date > rule.starts_on:
            if rule.ends_on and from_date > rule.ends_on:
                raise Invalid("The pattern has ended by then.", errors={"from_date": ["Choose a date the pattern covers."]})
            if "COUNT=" in rule.rrule.upper():
                message = "A pattern limited by a number of times can only be changed as a whole."
                raise Invalid(message, errors={"from_date": [message]})
            _refuse_too_many_rules(actor)
            future = AvailabilityRule(user=actor, **{f: getattr(rule, f) for f in RULE_FIELDS})
            for field, value in changes.items():
                setattr(future, field, value.strip() if isinstance(value, str) else value)
            future.starts_on = max(from_date, changes.get("starts_on") or from_date)
            if _normalized_rule_text(future.rrule or "", rule.starts_on) == _normalized_rule_text(rule.rrule, rule.starts_on):
                first = _next_occurrence(rule, future.starts_on)
                if first is None:
                    message = "The pattern has no date on or after this one."
                    raise Invalid(message, errors={"from_date": [message]})
                future.starts_on = first
            _check_rule(future)
            rule.ends_on = from_date - dt.timedelta(days=1)
            rule.save(update_fields=["ends_on", "updated_at"])
            future.save()
            audit.record(actor=actor, action="availability_rule.split", obj=rule, before=before,
                         after=audit.snapshot(rule, RULE_FIELDS))
            audit.record(actor=actor, action="availability_rule.created", obj=future,
                         after=audit.snapshot(future, RULE_FIELDS))
            return future
        for field, value in changes.items():
            setattr(rule, field, value.strip() if isinstance(value, str) else value)
        _check_rule(rule)
        rule.save()
        after = audit.snapshot(rule, RULE_FIELDS)
        if after != before:
            audit.record(actor=actor, action="availability_rule.updated", obj=rule, before=before, after=after)
    return rule


def availability_rule_delete(*, actor, rule_id: int, from_date: dt.date | None = None) -> None:
    """Delete a pattern; with ``from_date``, end it the day before instead, keeping its past."""
    check_planned(from_date=from_date)
    with transaction.atomic():
        rule = own_rule(user=actor, rule_id=rule_id, lock=True)
        before = audit.snapshot(rule, RULE_FIELDS)
        if from_date is not None and from_date > rule.starts_on:
            rule.ends_on = min(rule.ends_on or dt.date.max, from_date - dt.timedelta(days=1))
            rule.save(update_fields=["ends_on", "updated_at"])
            audit.record(actor=actor, action="availability_rule.ended", obj=rule, before=before,
                         after=audit.snapshot(rule, RULE_FIELDS))
            return
        audit.record(actor=actor, action="availability_rule.deleted", obj=rule, before=before)
        rule.delete()


# --- one-off blocks -------------------------------------------------------------------------------

def _apply_block(actor, *, state: str | None, start: int, end: int, all_day: bool, label: str,
                 time_zone: str) -> AvailabilityBlock | None:
    """Write [start, end) with ``state`` into the person's manual blocks: overlapping blocks of the
    same state merge with it (adjacent ones too, when their labels agree); blocks of the other state
    lose the overlapped part. ``state`` None clears the span. Runs inside the caller's transaction."""
    existing = list(AvailabilityBlock.objects.select_for_update().filter(
        user=actor, source=BlockSource.MANUAL, starts_at__lte=from_epoch(end), ends_at__gte=from_epoch(start)))
    merged_start, merged_end = start, end
    touched = []
    for block in existing:
        b0, b1 = to_epoch(block.starts_at), to_epoch(block.ends_at)
        overlaps = b0 < end and b1 > start
        if state is not None and block.state == state and (overlaps or block.label == label):
            merged_start, merged_end = min(merged_start, b0), max(merged_end, b1)
            touched.append(block)
        elif overlaps:
            touched.append(block)
    keep = []
    for block in touched:
        b0, b1 = to_epoch(block.starts_at), to_epoch(block.ends_at)
        if state is None or block.state != state:
            keep.extend((block, s, e) for s, e in intervals.subtract([(b0, b1)], [(start, end)]))
        audit.record(actor=actor, action="availability_block.replaced", obj=block,
                     before=audit.snapshot(block, BLOCK_FIELDS))
        block.delete()
    for old, s, e in keep:
        piece = AvailabilityBlock.objects.create(
            user=actor, state=old.state, starts_at=from_epoch(s), ends_at=from_epoch(e),
            all_day=old.all_day and _midnights(s, e, old.time_zone), label=old.label, time_zone=old.time_zone)
        audit.record(actor=actor, action="availability_block.created", obj=piece,
                     after=audit.snapshot(piece, BLOCK_FIELDS))
    if state is None:
        return None
    block = AvailabilityBlock.objects.create(user=actor, state=state, starts_at=from_epoch(merged_start),
                                             ends_at=from_epoch(merged_end),
                                             all_day=all_day and _midnights(merged_start, merged_end, time_zone),
                                             label=label, time_zone=time_zone)
    audit.record(actor=actor, action="availability_block.created", obj=block, after=audit.snapshot(block, BLOCK_FIELDS))
    return block


def _midnights(start: int, end: int, time_zone: str) -> bool:
    """Whether both ends are local midnights in ``time_zone`` (what an all-day block must keep)."""
    tz = zone(time_zone)
    return all(from_epoch(t, tz).time() == dt.time(0) for t in (start, end))


def _block_span(starts_at, ends_at, all_day: bool, time_zone: str) -> tuple[int, int]:
    """All-day blocks cover whole local days in the block's zone (dates or datetimes accepted). A naive
    datetime is refused: read in the server's zone it would be the wrong day."""
    if any(isinstance(value, dt.datetime) and value.utcoffset() is None for value in (starts_at, ends_at)):
        raise Invalid(NAIVE_MESSAGE, errors={"starts_at": [NAIVE_MESSAGE]})
    if all_day:
        tz = zone(time_zone)
        first = starts_at.astimezone(tz).date() if isinstance(starts_at, dt.datetime) else starts_at
        last = ends_at.astimezone(tz).date() if isinstance(ends_at, dt.datetime) else ends_at
        if isinstance(ends_at, dt.datetime) and ends_at.astimezone(tz).time() == dt.time(0) and last > first:
            last -= dt.timedelta(days=1)  # an exclusive midnight end
        if last < first:
            raise Invalid("The end is before the start.", errors={"ends_at": ["The last day is before the first."]})
        starts_at = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
        ends_at = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    check_span(starts_at, ends_at)
    return to_epoch(starts_at), to_epoch(ends_at)


def availability_block_create(*, actor, state: str, starts_at, ends_at, all_day: bool = False, label: str = "",
                              time_zone: str | None = None) -> AvailabilityBlock:
    """Mark a span free or busy. It overrides the person's patterns and earlier blocks there."""
    _state(state)
    time_zone = time_zone or actor.time_zone
    zone(time_zone)
    label = (label or "").strip()
    if len(label) > 120:
        raise Invalid("The note is too long.", errors={"label": ["Keep the note under 120 characters."]})
    start, end = _block_span(starts_at, ends_at, all_day, time_zone)
    with transaction.atomic():
        return _apply_block(actor, state=state, start=start, end=end, all_day=all_day, label=label, time_zone=time_zone)


def availability_clear(*, actor, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Remove the person's one-off blocks from a span, so their patterns and default apply there again."""
    check_span(starts_at, ends_at)
    with transaction.atomic():
        _apply_block(actor, state=None, start=to_epoch(starts_at), end=to_epoch(ends_at), all_day=False, label="",
                     time_zone=actor.time_zone)


def availability_block_update(*, actor, block_id: int, **changes) -> AvailabilityBlock:
    audit.check_known_fields(changes, BLOCK_FIELDS)
    refuse_nulls(AvailabilityBlock, changes)
    with transaction.atomic():
        block = own_block(user=actor, block_id=block_id, lock=True)
        values = {f: getattr(block, f) for f in BLOCK_FIELDS} | changes
        _state(values["state"])
        zone(values["time_zone"])
        start, end = _block_span(values["starts_at"], values["ends_at"], values["all_day"], values["time_zone"])
        audit.record(actor=actor, action="availability_block.updated", obj=block,
                     before=audit.snapshot(block, BLOCK_FIELDS))
        block.delete()
        return _apply_block(actor, state=values["state"], start=start, end=end, all_day=values["all_day"],
                            label=(values["label"] or "").strip(), time_zone=values["time_zone"])


def availability_block_delete(*, actor, block_id: int) -> None:
    with transaction.atomic():
        block = own_block(user=actor, block_id=block_id, lock=True)
        audit.record(actor=actor, action="availability_block.deleted", obj=block,
                     before=audit.snapshot(block, BLOCK_FIELDS))
        block.delete()
