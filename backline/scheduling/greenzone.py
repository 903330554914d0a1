"""When each person is free, and when a whole line-up is: pure functions over plain data (no database).

A person's free time in a range is built in layers, each overriding the one before:

1. the default: the whole range if ``default_state`` is ``free``; nothing if ``busy`` or ``unknown``
   (unknown is never free);
2. recurring rules: ``free := (free ∪ recurring free) − recurring busy``, so where a free and a busy rule
   overlap, busy wins;
3. one-off blocks, the same way: ``free := (free ∪ one-off free) − one-off busy``, so a one-off block
   overrides any rule (a free day off inside a busy day-job rule is free), and busy wins within the layer;
4. hard busy time (commitments and imported-calendar events): ``free := free − hard busy``, always.

The green zone of a line-up is when every required member is free; "all but one" is when exactly one of
them is not, naming that member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from .intervals import Interval, at_least, intersect, normalize, subtract, union
from .recurrence import check_range, expand, local_spans

FREE, BUSY = "free", "busy"  # the values of models.State


@dataclass(frozen=True)
class RuleSpec:
    """A recurring rule: ``state`` plus the arguments of ``recurrence.expand``."""

    state: str
    rule_text: str
    starts_on: dt.date
    start_time: dt.time
    end_time: dt.time
    time_zone: str
    ends_on: dt.date | None = None
    exdates: tuple[str, ...] = ()


@dataclass
class PersonInput:
    """Everything that decides when one person is free."""

    key: Hashable
    default_state: str
    rules: list[RuleSpec] = field(default_factory=list)
    blocks: list[tuple[str, int, int]] = field(default_factory=list)  # (state, start, end), one-off
    hard_busy: list[Interval] = field(default_factory=list)


@dataclass(frozen=True)
class GreenZone:
    """When every required member is free, and when all but one are (with the one who is not)."""

    all_free: list[Interval]
    all_but_one: list[tuple[Interval, Hashable]]


def _merged(parts: list[list[Interval]]) -> list[Interval]:
    """The union of normalized lists."""
    return list(parts[0]) if len(parts) == 1 else normalize(chain.from_iterable(parts))


def free_time(person: PersonInput, range_start: int, range_end: int) -> list[Interval]:
    """When ``person`` is free within ``[range_start, range_end)``, by the layers of the module docstring."""
    check_range(range_start, range_end)
    if range_end <= range_start:
        return []
    free = [(range_start, range_end)] if person.default_state == FREE else []
    parts: dict[str, list[list[Interval]]] = {FREE: [], BUSY: []}
    for rule in person.rules:
        spans = expand(rule_text=rule.rule_text, starts_on=rule.starts_on, ends_on=rule.ends_on, start_time=rule.start_time,
                       end_time=rule.end_time, time_zone=rule.time_zone, exdates=rule.exdates, range_start=range_start,
                       range_end=range_end)
        parts[rule.state].append(spans)
    free = subtract(union(free, _merged(parts[FREE])), _merged(parts[BUSY]))
    blocks: dict[str, list[Interval]] = {FREE: [], BUSY: []}
    for state, start, end in person.blocks:
        blocks[state].append((max(start, range_start), min(end, range_end)))
    # One-off busy blocks and hard busy time are both subtracted last, so in one pass.
    blocks[BUSY] += [(max(start, range_start), min(end, range_end)) for start, end in person.hard_busy]
    return subtract(union(free, normalize(blocks[FREE])), normalize(blocks[BUSY]))


def daily_window(time_zone: str, start: dt.time, end: dt.time, range_start: int, range_end: int) -> list[Interval]:
    """``start`` to ``end`` local time of day on every day of the range (an end at or before the start is
    the next day, so 18:00-02:00 crosses midnight), clipped to the range."""
    check_range(range_start, range_end)
    # Local dates are within a day of UTC ones, and a window that crosses midnight starts the day before.
    first = dt.datetime.fromtimestamp(range_start, dt.UTC).date().toordinal() - 2
    last = dt.datetime.fromtimestamp(range_end - 1, dt.UTC).date().toordinal() + 1
    return local_spans(time_zone, range(first, last + 1), start, end, range_start, range_end)


def green_zone(free_by_key: Mapping[Hashable, Sequence[Interval]], required: Sequence[Hashable], *,
               window: Sequence[Interval] | None = None, min_seconds: int = 0) -> GreenZone:
    """When all ``required`` members are free, and when all but one are, within ``window`` (if given), in
    spans of at least ``min_seconds``. A member missing from ``free_by_key`` is never free.

    Prefix and suffix intersections give "everyone but member i" for every i with O(n) intersections."""
    keys = list(dict.fromkeys(required))
    if not keys:
        return GreenZone([], [])
    lists = [free_by_key.get(key, []) for key in keys]
    n = len(lists)
    bound = None if window is None else list(window)  # None stands for "no constraint"
    # prefix[i]: the window and members before i all free; suffix[i]: the window and members i.. all free.
    prefix, suffix = [bound], [bound]
    for free in lists:
        prefix.append(list(free) if prefix[-1] is None else intersect(prefix[-1], free))
    for free in reversed(lists):
        suffix.append(list(free) if suffix[-1] is None else intersect(suffix[-1], free))
    suffix.reverse()
    all_free = at_least(prefix[n], min_seconds)
    if n == 1:
        return GreenZone(all_free, [])
    all_but_one = []
    for i, key in enumerate(keys):
        # Everyone but i: the first and last need no intersection (the window is on both sides).
        others = suffix[1] if i == 0 else prefix[n - 1] if i == n - 1 else intersect(prefix[i], suffix[i + 1])
        all_but_one += [(span, key) for span in at_least(subtract(others, lists[i]), min_seconds)]
    all_but_one.sort(key=lambda item: item[0])
    return GreenZone(all_free, all_but_one)
