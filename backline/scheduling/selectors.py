"""Reads for scheduling: a person's availability, an act's green zone, conflicts, calendars.

The database is read in a constant number of queries whatever the number of people; the interval
arithmetic happens in ``greenzone`` on plain data."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import CharField, F, Q, Value
from django.utils import timezone

from backline.artists.models import ActMember
from backline.core.errors import Invalid
from backline.core.timeutil import FEED_HORIZON_DAYS, MAX_RANGE_DAYS, check_query, day_range, from_epoch, to_epoch, zone

from . import availability_cache, greenzone, intervals, recurrence, rrule_words
from .models import (
    ActEvent,
    AvailabilityBlock,
    AvailabilityRule,
    BlockSource,
    Commitment,
    CommitmentStatus,
    DatePoll,
    EventStatus,
    PersonSchedule,
    ShareLink,
    State,
)

BUSY_COMMITMENTS = (CommitmentStatus.CONFIRMED, CommitmentStatus.TENTATIVE)


def _check_range(start: int, end: int) -> None:
    check_query(start=from_epoch(start), end=from_epoch(end))
    if end <= start:
        raise Invalid("The end is before the start.", errors={"end": ["The end must be after the start."]})
    if end - start > MAX_RANGE_DAYS * 86400:
        raise Invalid("The range is too long.", errors={"end": [f"Choose at most {MAX_RANGE_DAYS} days."]})


@dataclass
class PersonData:
    """Everything that decides when one person is free, loaded for a range."""

    user_id: int
    default_state: str = State.UNKNOWN
    rules: list[AvailabilityRule] = field(default_factory=list)
    blocks: list[AvailabilityBlock] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    def engine_input(self) -> greenzone.PersonInput:
        manual = [b for b in self.blocks if b.source == BlockSource.MANUAL]
        imported = [(to_epoch(b.starts_at), to_epoch(b.ends_at)) for b in self.blocks if b.source == BlockSource.IMPORT]
        return greenzone.PersonInput(
            key=self.user_id,
            default_state=self.default_state,
            rules=[rule_spec(r) for r in self.rules],
            blocks=[(b.state, to_epoch(b.starts_at), to_epoch(b.ends_at)) for b in manual],
            hard_busy=imported + [(to_epoch(c.starts_at), to_epoch(c.ends_at)) for c in self.commitments],
        )


def rule_spec(rule: AvailabilityRule) -> greenzone.RuleSpec:
    return greenzone.RuleSpec(state=rule.state, rule_text=rule.rrule, starts_on=rule.starts_on, ends_on=rule.ends_on,
                              start_time=rule.start_time, end_time=rule.end_time, time_zone=rule.time_zone,
                              exdates=tuple(rule.exdates or ()))


def people_data(user_ids, start: int, end: int, *, exclude_source: tuple[str, int] | None = None,
                defaults: dict[int, str] | None = None) -> dict[int, PersonData]:
    """Four queries for any number of people: defaults (unless given), patterns, blocks and commitments."""
    ids = sorted({u for u in user_ids if u})
    data = {u: PersonData(u) for u in ids}
    if not ids:
        return data
    s, e = from_epoch(start), from_epoch(end)
    if defaults is None:
        defaults = dict(PersonSchedule.objects.filter(user_id__in=ids).values_list("user_id", "default_state"))
    for user_id, default in defaults.items():
        if user_id in data:
            data[user_id].default_state = default
    rules = AvailabilityRule.objects.filter(user_id__in=ids, starts_on__lte=(e + dt.timedelta(days=1)).date()).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=(s - dt.timedelta(days=2)).date()))
    for rule in rules:
        data[rule.user_id].rules.append(rule)
    for block in AvailabilityBlock.objects.filter(user_id__in=ids, starts_at__lt=e, ends_at__gt=s):
        data[block.user_id].blocks.append(block)
    commitments = Commitment.objects.filter(user_id__in=ids, status__in=BUSY_COMMITMENTS, starts_at__lt=e, ends_at__gt=s)
    if exclude_source:
        commitments = commitments.exclude(source_type=exclude_source[0], source_id=exclude_source[1])
    for c in commitments.select_related("workspace"):
        data[c.user_id].commitments.append(c)
    return data


def _engine_free(engine: greenzone.PersonInput, start: int, end: int) -> list[tuple[int, int]]:
    try:
        return greenzone.free_time(engine, start, end)
    except recurrence.RuleError as exc:
        raise Invalid(str(exc), errors={"rrule": [str(exc)]}) from exc


def free_time(data: PersonData, start: int, end: int) -> list[tuple[int, int]]:
    return _engine_free(data.engine_input(), start, end)


def not_busy_time(data: PersonData, start: int, end: int) -> list[tuple[int, int]]:
    """When the person is free or their availability is unknown: everything outside this is busy (by a busy
    default, pattern, block, commitment or imported event). Only an unknown default counts as free here; a
    busy default stays busy."""
    engine = data.engine_input()
    if engine.default_state == State.UNKNOWN:
        engine.default_state = State.FREE
    return _engine_free(engine, start, end)


def free_times(user_ids, start: int, end: int, *, defaults: dict[int, str] | None = None) -> dict[int, list[tuple[int, int]]]:
    """Each person's free time in ``[start, end)``, expanded once per person and window and then kept
    (``availability_cache``, which forgets it when their rules, blocks, commitments or default change).
    The people not kept are read in ``people_data``'s constant queries, however many they are."""
    def load(ids: list[int]) -> dict[int, list[tuple[int, int]]]:
        known = None if defaults is None else {u: defaults[u] for u in ids if u in defaults}
        data = people_data(ids, start, end, defaults=known)
        return {u: free_time(data[u], start, end) for u in ids}

    return availability_cache.cached(user_ids, kind="free", start=start, end=end, load=load)


def free_time_for_user(user, start: int, end: int) -> list[tuple[int, int]]:
    _check_range(start, end)
    return free_times([user.pk], start, end)[user.pk]


def _default_of(user) -> str:
    try:
        return user.schedule.default_state
    except PersonSchedule.DoesNotExist:
        return State.UNKNOWN


# --- the green zone -------------------------------------------------------------------------------

@dataclass
class ZoneSpan:
    starts_at: dt.datetime
    ends_at: dt.datetime
    missing: ActMember | None = None

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)

    @property
    def next_day(self) -> bool:
        """Whether the span runs past midnight into the next day (ending at midnight does not): an evening
        17:00–01:00 is one span, read "17:00–01:00 (next day)", not two pieces."""
        return self.ends_at.date() > self.starts_at.date() and self.ends_at.time() != dt.time(0)


@dataclass
class GreenZoneView:
    start: dt.date
    end: dt.date
    time_zone: str
    required: list[ActMember]
    optional: list[ActMember]
    unknown: list[ActMember]  # required members without an account: their availability is unknown
    all_free: list[ZoneSpan]
    all_but_one: list[ZoneSpan]
    window: tuple[dt.time, dt.time] | None
    min_hours: float

    @property
    def days(self) -> list[dt.date]:
        """Local dates on which a green span starts."""
        return sorted({s.starts_at.date() for s in self.all_free})


def green_zone_for_act(act, *, start: dt.date, end: dt.date, window: tuple[dt.time, dt.time] | None = None,
                       min_hours: float = 0, include_optional: bool = False, members=None) -> GreenZoneView:
    """When every required member of ``act`` is free in ``[start, end]`` (local dates in the act's
    zone), and when all but one are, naming who is missing. Members marked optional (substitutes)
    count only with ``include_optional``. Constant queries: line-up, then ``people_data`` for the members
    whose free time in this window is not cached (``free_times``); each member is expanded at most once,
    and the answer is kept until a member's availability or the line-up changes."""
    tz_name = act.workspace.time_zone
    tz = zone(tz_name)
    range_start, range_end = (to_epoch(x) for x in day_range(start, end, tz))
    if not math.isfinite(min_hours) or min_hours < 0 or min_hours > 24:
        raise Invalid("Invalid minimum length.", errors={"min_hours": ["Choose between 0 and 24 hours."]})
    if members is None:  # only what the answer shows (names) and needs (accounts, defaults): a band may be 200
        members = (ActMember.objects.filter(act=act).select_related("user__schedule")
                   .only("act_id", "name", "is_optional", "user_id", "user__schedule__default_state"))
    members = list(members)
    required = [m for m in members if include_optional or not m.is_optional]
    required_ids = {m.pk for m in required}
    optional = [m for m in members if m.pk not in required_ids]
    unknown = [m for m in required if not m.user_id]
    defaults = {m.user_id: _default_of(m.user) for m in required if m.user_id}
    min_seconds = int(min_hours * 3600)

    def compute() -> greenzone.GreenZone:
        by_user = free_times(list(defaults), range_start, range_end, defaults=defaults)
        free = {m.pk: by_user.get(m.user_id, []) for m in required}
        win = greenzone.daily_window(tz_name, window[0], window[1], range_start, range_end) if window else None
        return greenzone.green_zone(free, [m.pk for m in required], window=win, min_seconds=min_seconds)

    # The whole answer is kept too, under the members' versions and everything else it depends on.
    parts = (act.pk, tz_name, [(m.pk, m.user_id) for m in required], range_start, range_end, window, min_seconds)
    zone_ = availability_cache.kept(defaults, name="green-zone", parts=parts, compute=compute)
    by_pk = {m.pk: m for m in members}
    now = int(timezone.now().timestamp())  # gone is gone: no green before now, a span under way from now on

    def ahead(s: int, e: int) -> tuple[int, int] | None:
        s = max(s, now)
        return (s, e) if e - s >= max(min_seconds, 1) else None

    all_free = [span for s, e in zone_.all_free if (span := ahead(s, e))]
    all_but_one = [(span, k) for (s, e), k in zone_.all_but_one if (span := ahead(s, e))]
    return GreenZoneView(
        start=start, end=end, time_zone=tz_name, required=required, optional=optional, unknown=unknown,
        all_free=[ZoneSpan(from_epoch(s, tz), from_epoch(e, tz)) for s, e in all_free],
        all_but_one=[ZoneSpan(from_epoch(s, tz), from_epoch(e, tz), by_pk[k]) for (s, e), k in all_but_one],
        window=window, min_hours=min_hours,
    )


FEED_GREEN_ZONE_DAYS = 180


def green_zone_for_feed(act) -> list[tuple[dt.datetime, dt.datetime]]:
    """The act feed's "Everyone free" events: spans of at least three hours in the next six months."""
    today = dt.datetime.now(zone(act.workspace.time_zone)).date()
    view = green_zone_for_act(act, start=today, end=today + dt.timedelta(days=FEED_GREEN_ZONE_DAYS), min_hours=3)
    return [(s.starts_at, s.ends_at) for s in view.all_free]


# --- conflicts ------------------------------------------------------------------------------------

@dataclass
class ConflictItem:
    """One reason a person cannot take a span. ``title`` is safe to show to the asker: a person's
    private blocks and imported events say only "Busy" (and, for a viewer other than their owner, other
    workspaces' commitments say only "Busy (another commitment)"; see ``conflicts_for``)."""

    user_id: int
    kind: str  # commitment | busy_block | busy_pattern | imported
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    source_type: str = ""
    source_id: int | None = None
    workspace_id: int | None = None


OTHER_COMMITMENT = "Busy (another commitment)"


def conflicts_for(*, user_ids, starts_at: dt.datetime, ends_at: dt.datetime,
                  exclude_source: tuple[str, int] | None = None, viewer=None,
                  workspace_id: int | None = None) -> list[ConflictItem]:
    """For these people and this span: every commitment, busy block and busy pattern occurrence that
    overlaps it, with its owner. (Free-or-unknown is not a conflict: unknown is asked, not refused.) A busy
    pattern is reported only where it really makes the person busy: not where a one-off free block
    overrides it, so conflicts and the green zone agree.

    With a ``viewer`` (someone looking, e.g. a bandmate), what is not theirs is masked: a commitment from
    a workspace other than ``workspace_id`` says only "Busy (another commitment)", with no source, and an
    imported event is reported as a plain ``busy_block`` (nobody learns a private calendar exists). Without
    a ``viewer`` (internal callers) the items carry full data."""
    start, end = to_epoch(starts_at), to_epoch(ends_at)
    _check_range(start, end)
    out: list[ConflictItem] = []
    for user_id, data in people_data(user_ids, start, end, exclude_source=exclude_source).items():
        for c in data.commitments:
            out.append(ConflictItem(user_id, "commitment", c.starts_at, c.ends_at, c.title, c.source_type, c.source_id,
                                    c.workspace_id))
        for b in data.blocks:
            if b.state == State.BUSY:
                kind = "imported" if b.source == BlockSource.IMPORT else "busy_block"
                out.append(ConflictItem(user_id, kind, b.starts_at, b.ends_at, "Busy"))
        busy_rules = [rule for rule in data.rules if rule.state == State.BUSY]
        if not busy_rules:
            continue
        busy = intervals.subtract([(start, end)], not_busy_time(data, start, end))
        for rule in busy_rules:
            try:
                spans = recurrence.expand(**_expand_args(rule), range_start=start, range_end=end)
            except recurrence.RuleError as exc:
                raise Invalid(str(exc), errors={"rrule": [str(exc)]}) from exc
            for s, e in spans:
                for piece_start, piece_end in intervals.intersect([(s, e)], busy):
                    out.append(ConflictItem(user_id, "busy_pattern", from_epoch(piece_start), from_epoch(piece_end),
                                            "Busy"))
    if viewer is not None:
        for item in out:
            if item.user_id == viewer.pk:
                continue
            if item.kind == "commitment" and item.workspace_id != workspace_id:
                item.title, item.source_type, item.source_id, item.workspace_id = OTHER_COMMITMENT, "", None, None
            elif item.kind == "imported":
                item.kind = "busy_block"
    return sorted(out, key=lambda c: (c.starts_at, c.user_id))


def exclusive_conflicts(*, user_ids, starts_at: dt.datetime, ends_at: dt.datetime,
                        exclude_source: tuple[str, int] | None = None) -> list[Commitment]:
    """The confirmed exclusive commitments (shows) of these people that overlap the half-open span
    [starts_at, ends_at): one ending exactly at ``starts_at`` is not a clash. ``exclude_source`` leaves
    out the source being changed. Ordered by start; each with its ``user`` loaded (one query)."""
    ids = sorted({u for u in user_ids if u})
    if not ids:
        return []
    found = Commitment.objects.filter(user_id__in=ids, status=CommitmentStatus.CONFIRMED, exclusive=True,
                                      starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_source:
        found = found.exclude(source_type=exclude_source[0], source_id=exclude_source[1])
    return list(found.select_related("user").order_by("starts_at", "id"))


def _expand_args(rule: AvailabilityRule) -> dict:
    return {"rule_text": rule.rrule, "starts_on": rule.starts_on, "ends_on": rule.ends_on, "start_time": rule.start_time,
            "end_time": rule.end_time, "time_zone": rule.time_zone, "exdates": list(rule.exdates or [])}


# --- calendars ------------------------------------------------------------------------------------

def _local_iso(value: dt.datetime, tz: dt.tzinfo) -> str:
    """``value`` in ``tz``; a stored time at the very ends of the calendar (an imported event from year 1
    to 9999), which cannot be shifted into a zone, is given in UTC: the same instant, never a 500."""
    try:
        return value.astimezone(tz).isoformat()
    except OverflowError:
        return value.isoformat()


def person_calendar(user, start: int, end: int) -> list[dict]:
    """The person's own calendar as FullCalendar events: pattern occurrences, blocks (with their
    private labels: only the person sees this), commitments from every act, imported events."""
    _check_range(start, end)
    data = people_data([user.pk], start, end)[user.pk]
    out = []
    for rule in data.rules:
        for s, e in recurrence.expand(**_expand_args(rule), range_start=start, range_end=end):
            out.append({"id": f"rule-{rule.pk}-{s}", "kind": "pattern", "state": rule.state, "rule_id": rule.pk,
                        "title": rule.label or f"{rule.get_state_display()} (repeats)",
                        "when": rrule_words.times_text(rule.start_time, rule.end_time),
                        "start": from_epoch(s).isoformat(), "end": from_epoch(e).isoformat()})
    for b in data.blocks:
        kind = "imported" if b.source == BlockSource.IMPORT else "block"
        local = zone(b.time_zone)  # all-day blocks are whole days where they were entered
        out.append({"id": f"block-{b.pk}", "kind": kind, "state": b.state, "block_id": b.pk,
                    "title": b.label or b.get_state_display(), "all_day": b.all_day,
                    "start": _local_iso(b.starts_at, local), "end": _local_iso(b.ends_at, local)})
    for c in data.commitments:
        out.append({"id": f"commitment-{c.pk}", "kind": "commitment", "state": State.BUSY, "title": c.title,
                    "workspace": c.workspace.name, "start": c.starts_at.isoformat(), "end": c.ends_at.isoformat()})
    return out


def events_for_act(act, *, start: dt.datetime | None = None, end: dt.datetime | None = None, include_cancelled=True):
    qs = ActEvent.objects.filter(act=act).prefetch_related("participants")
    if start is not None:
        qs = qs.filter(ends_at__gt=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    if not include_cancelled:
        qs = qs.exclude(status=EventStatus.CANCELLED)
    return qs


def upcoming_commitments(user, *, limit: int = 10):
    now = dt.datetime.now(dt.UTC)  # up to the feeds' horizon: a row stored beyond what can be planned is not shown
    return (Commitment.objects.filter(user=user, status__in=BUSY_COMMITMENTS, ends_at__gt=now,
                                      starts_at__lte=now + dt.timedelta(days=FEED_HORIZON_DAYS))
            .select_related("workspace")[:limit])


def polls_for_act(act):
    return DatePoll.objects.filter(act=act)


def share_links_for_act(act):
    return ShareLink.objects.filter(act=act, revoked_at__isnull=True)



# --- date polls -----------------------------------------------------------------------------------

@dataclass
class PollOptionResult:
    option: object
    answers: dict[int, str]  # line-up entry id → yes / maybe / no
    suggestion: str | None = None  # for the viewer, from their availability
    row: list[str | None] = field(default_factory=list)  # the answers in line-up order
    mine: str | None = None  # the viewer's own answer

    def count(self, answer: str) -> int:
        return sum(1 for a in self.answers.values() if a == answer)

    @property
    def score(self) -> tuple[int, int]:
        return (self.count("yes"), self.count("maybe"))


@dataclass
class PollResults:
    poll: DatePoll
    members: list[ActMember]
    options: list[PollOptionResult]
    viewer_member: ActMember | None

    @property
    def not_answered(self) -> list[ActMember]:
        answered = {m for o in self.options for m in o.answers}
        return [m for m in self.members if m.pk not in answered]


def suggest_answers(user_id: int, spans: list[tuple[dt.datetime, dt.datetime]]) -> list[str]:
    """Pre-filled answers from a person's availability: free the whole time → yes; busy at any point
    (a busy default included) → no; otherwise (unknown somewhere) → maybe."""
    if not spans:
        return []
    start, end = min(to_epoch(s) for s, _ in spans), max(to_epoch(e) for _, e in spans)
    data = people_data([user_id], start, end)[user_id]
    free = free_time(data, start, end)
    not_busy = not_busy_time(data, start, end)  # what is left out of it is exactly the busy time
    out = []
    for s, e in spans:
        a, b = to_epoch(s), to_epoch(e)
        if intervals.total(intervals.clip(free, a, b)) == b - a:
            out.append("yes")
        elif intervals.total(intervals.clip(not_busy, a, b)) < b - a:
            out.append("no")
        else:
            out.append("maybe")
    return out


def poll_results(poll: DatePoll, *, viewer) -> PollResults:
    members = list(ActMember.objects.filter(act_id=poll.act_id).select_related("user"))
    options = list(poll.options.prefetch_related("votes"))
    viewer_member = next((m for m in members if m.user_id == getattr(viewer, "pk", None)), None)
    results = [PollOptionResult(o, {v.member_id: v.answer for v in o.votes.all()}) for o in options]
    for result in results:
        result.row = [result.answers.get(m.pk) for m in members]
        result.mine = result.answers.get(viewer_member.pk) if viewer_member else None
    if viewer_member is not None and poll.status == "open":
        for result, suggestion in zip(results, suggest_answers(viewer.pk, [(o.starts_at, o.ends_at) for o in options]),
                                      strict=True):
            result.suggestion = suggestion
    return PollResults(poll=poll, members=members, options=results, viewer_member=viewer_member)


def commitments_for_source(source_type: str, source_id: int):
    """Who is committed by one source (an act event, a booking), with their names: one query."""
    return Commitment.objects.filter(source_type=source_type, source_id=source_id).select_related("user").order_by(
        "user__name", "user__email")


# --- patterns that pull against each other --------------------------------------------------------

CLASH_DAYS = 366  # how far ahead a free and a busy pattern are compared


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def pattern_clashes(rules) -> dict[int, list[str]]:
    """For each pattern (by id), what overrides what where it overlaps one of the other kind in the coming
    year, in the engine's rule (``greenzone``: busy wins over free within the patterns' layer): "Busy every
    Friday, 20:00–23:00 overrides your free pattern “every Friday, 18:00–02:00” at those hours". No
    queries: ``rules`` are one person's patterns, already loaded."""
    rules = list(rules)
    if not any(r.state == State.FREE for r in rules) or not any(r.state == State.BUSY for r in rules):
        return {}
    start = int(timezone.now().timestamp())
    end = start + CLASH_DAYS * 86400
    spans = {r.pk: recurrence.expand(**_expand_args(r), range_start=start, range_end=end) for r in rules}
    out: dict[int, list[str]] = {}
    for busy in (r for r in rules if r.state == State.BUSY):
        for free in (r for r in rules if r.state == State.FREE):
            if not intervals.intersect(spans[busy.pk], spans[free.pk]):
                continue
            busy_name = f"“{busy.label}” ({_lower_first(busy.words)})" if busy.label else _lower_first(busy.words)
            free_name = f"“{free.label or _lower_first(free.words)}”"
            text = (f"Busy {busy_name} overrides your free pattern {free_name} at those hours: where they overlap, "
                    "you count as busy.")
            for pk in (busy.pk, free.pk):
                if text not in out.setdefault(pk, []):  # two alike busy patterns are said once
                    out[pk].append(text)
    return out


# --- free on a day, for many acts at once (the directory) ----------------------------------------

DIRECTORY_MIN_HOURS = 3  # a show needs an evening: at least three hours when everyone is free


def acts_free_on(act_ids, day: dt.date, *, min_hours: float = DIRECTORY_MIN_HOURS) -> set[int]:
    """Which of ``act_ids`` are free on the local ``day``: ``free_among`` for a plain list of ids."""
    return free_among(act_ids, day, min_hours=min_hours).free


@dataclass(frozen=True)
class FreeAmong:
    free: set[int]  # the acts free that day
    checked: int  # how many acts with a required member were looked at


def free_among(acts, day: dt.date, *, min_hours: float = DIRECTORY_MIN_HOURS) -> FreeAmong:
    """Which of ``acts`` (act ids: a list, or a query of ids that is read inside the line-up read, so a
    caller's "which acts match" costs no statement of its own) are free on the local ``day`` (in each act's
    own zone): every required member free for at least ``min_hours`` in one span of that day, as the act's
    green zone says (``green_zone_for_act``: optional members do not count, a member without an account is
    never free).

    Only the yes/no leaves this function: no spans, no reasons, no other dates. Three queries for any number
    of acts: the line-ups with the members' defaults, then the members' patterns and their blocks and
    commitments in one read (``free_inputs``), none of those two for members whose free time in this window
    is kept (``availability_cache``, shared with ``free_times``)."""
    if isinstance(acts, (list, tuple, set)) and not acts:
        return FreeAmong(set(), 0)
    # Plain rows, not instances: hundreds of members are read for one page, and only these five fields matter.
    members = list(ActMember.objects.filter(act_id__in=acts, is_optional=False).order_by()
                   .values_list("pk", "act_id", "user_id", "user__schedule__default_state", "act__workspace__time_zone"))
    by_act: dict[int, list[tuple]] = {}
    for m in members:
        by_act.setdefault(m[1], []).append(m)
    # One window for every zone: the day from UTC+14 to UTC-12, so each act's local day falls inside it.
    first = dt.datetime.combine(day, dt.time(), dt.UTC) - dt.timedelta(hours=14)
    last = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC) + dt.timedelta(hours=12)
    range_start, range_end = to_epoch(first), to_epoch(last)
    defaults = {user_id: default or State.UNKNOWN for _pk, _act, user_id, default, _tz in members if user_id}

    def load(ids: list[int]) -> dict[int, list[tuple[int, int]]]:
        inputs = free_inputs(ids, range_start, range_end, defaults)
        return {u: _engine_free(inputs[u], range_start, range_end) for u in ids}

    by_user = availability_cache.cached(list(defaults), kind="free", start=range_start, end=range_end, load=load)
    now = int(timezone.now().timestamp())
    min_seconds = max(int(min_hours * 3600), 1)
    free = set()
    for act_id, line_up in by_act.items():
        if any(not user_id for _pk, _act, user_id, _d, _tz in line_up):
            continue  # someone's availability is unknown: never "free"
        s, e = (to_epoch(x) for x in day_range(day, day, zone(line_up[0][4])))
        window = [(max(s, now), e)] if e > max(s, now) else []
        if not window:
            continue
        zone_ = greenzone.green_zone({pk: by_user.get(user_id, []) for pk, _act, user_id, _d, _tz in line_up},
                                     [m[0] for m in line_up], window=window, min_seconds=min_seconds)
        if zone_.all_free:
            free.add(act_id)
    return FreeAmong(free, len(by_act))


def free_inputs(user_ids, start: int, end: int, defaults: dict[int, str]) -> dict[int, greenzone.PersonInput]:
    """What decides when each person is free in ``[start, end)``, as ``PersonData.engine_input`` builds it,
    in two queries: the patterns, then the one-off spans (blocks and busy commitments, one UNION ALL of
    their times, as only the times matter here). For reads that need the rows themselves, ``people_data``."""
    ids = sorted({u for u in user_ids if u})
    out = {u: greenzone.PersonInput(key=u, default_state=defaults.get(u, State.UNKNOWN)) for u in ids}
    if not ids:
        return out
    s, e = from_epoch(start), from_epoch(end)
    rules = AvailabilityRule.objects.filter(user_id__in=ids, starts_on__lte=(e + dt.timedelta(days=1)).date()).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=(s - dt.timedelta(days=2)).date()))
    for rule in rules:
        out[rule.user_id].rules.append(rule_spec(rule))
    spans = ("span_user", "span_state", "span_source", "span_start", "span_end")
    blocks = (AvailabilityBlock.objects.filter(user_id__in=ids, starts_at__lt=e, ends_at__gt=s).order_by()
              .annotate(span_user=F("user_id"), span_state=F("state"), span_source=F("source"), span_start=F("starts_at"),
                        span_end=F("ends_at"))
              .values_list(*spans))
    busy = (Commitment.objects.filter(user_id__in=ids, status__in=BUSY_COMMITMENTS, starts_at__lt=e, ends_at__gt=s).order_by()
            .annotate(span_user=F("user_id"), span_state=Value(State.BUSY, CharField()),
                      span_source=Value(_COMMITMENT, CharField()), span_start=F("starts_at"), span_end=F("ends_at"))
            .values_list(*spans))
    for user_id, state, source, starts_at, ends_at in blocks.union(busy, all=True):
        if source == BlockSource.MANUAL:
            out[user_id].blocks.append((state, to_epoch(starts_at), to_epoch(ends_at)))
        else:  # an imported event or a commitment: busy whatever the patterns say
            out[user_id].hard_busy.append((to_epoch(starts_at), to_epoch(ends_at)))
    return out


_COMMITMENT = "commitment"  # the span's source in ``free_inputs``: neither of ``BlockSource``
