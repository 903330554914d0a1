"""Bounded RFC 5545 recurrence expansion for availability rules.

A rule's text is a bare RRULE body (``FREQ=WEEKLY;BYDAY=MO,TU``) or lines ``RRULE:``, ``EXRULE:``,
``RDATE:`` and ``EXDATE:``. Its first day comes from the rule's ``starts_on``, never from a DTSTART, and its
times from the rule's start and end time, so a pattern picks *local dates*: at most one occurrence a day,
no BYHOUR/BYMINUTE/BYSECOND, no FREQ finer than DAILY. UNTIL, RDATE and EXDATE are read as local dates
(a time part is ignored).

Every expansion is bounded by its range (at most ``MAX_RANGE``), by ``MAX_OCCURRENCES`` and by a time
budget, ``TIME_BUDGET``, counted in the calling thread's CPU time so that waiting for a busy machine does
not count (a loaded two-core CI machine still ran the same work about three times slower; the budget is
several times what the costliest valid rule takes on an idle one, and rules whose BYMONTH and BYMONTHDAY
name no real day are answered without a search):

* DAILY and WEEKLY patterns limited only by weekday (the common case) are a few arithmetic progressions of
  day numbers, computed directly (a hypothesis test checks them against dateutil).
* Everything else goes to python-dateutil, one rule at a time, never as an ``rruleset`` (whose iterator
  runs to the year 9999 when an EXRULE excludes everything): exclusions are subtracted here. A dateutil
  iterator only stops at an occurrence past its UNTIL, or at the year 9999, so a rule that never occurs
  (``FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30``) would search for thousands of years. Each window is therefore
  started at its own period (defaults taken from ``starts_on`` are written out first) and moved forward by
  whole 400-year Gregorian cycles, which repeat the calendar exactly, to just before the year 9999: the
  search then ends within one cycle. Every-N-days patterns (DAILY with INTERVAL above 1) may only be
  limited by weekday, which keeps that last cycle cheap; DAILY and WEEKLY rules limited by month run as the
  equivalent YEARLY rule.
* A COUNT is turned into the day of its last occurrence when the text is parsed (parsed texts are cached
  by text and start date); it must be used up within ``COUNT_HORIZON_YEARS``.
* With at most one occurrence a day, a rule yields at most about ``MAX_RANGE`` days of occurrences, well
  under ``MAX_OCCURRENCES``, which is checked anyway and also caps COUNT.

Local wall-clock times become UTC with ``fold=0``, as zoneinfo reads them: a time that falls in a
spring-forward gap uses the offset before the change (02:30 on the Berlin spring change is 01:30 UTC,
03:30 summer time) and an ambiguous fall-back time is its first, summer-time instance.
"""

from __future__ import annotations

import datetime as dt
import re
import time as _time
import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, pairwise
from math import gcd

from dateutil import rrule as du

from backline.core.timeutil import MAX_RANGE_DAYS

from .intervals import Interval, normalize

MAX_RANGE = dt.timedelta(days=MAX_RANGE_DAYS)
MAX_OCCURRENCES = 2000  # per rule per expansion; also the largest COUNT
TIME_BUDGET = 0.15  # seconds of CPU for one expansion or validation (see _clock)
MAX_TEXT_LENGTH = 500
MAX_INTERVAL = 1000
COUNT_HORIZON_YEARS = 100  # a COUNT must be used up within this many years of the start

_DAY = 86400
# A query range may exceed MAX_RANGE by a day: two years of local days in zones far apart.
_RANGE_LIMIT = MAX_RANGE_DAYS * _DAY + _DAY
_EPOCH = dt.date(1970, 1, 1).toordinal()
_MAX_ORDINAL = dt.date.max.toordinal()
_CYCLE = 146097  # days in 400 Gregorian years, an exact number of weeks
_COUNT_HORIZON = COUNT_HORIZON_YEARS * 36525 // 100
_NAIVE_EPOCH = dt.datetime(1970, 1, 1)
_EARLIEST = (dt.date(1900, 1, 1).toordinal() - _EPOCH) * _DAY
_LATEST = (dt.date(9000, 1, 1).toordinal() - _EPOCH) * _DAY
_TOO_COMPLEX = "This repeat pattern is too complex to work out; please simplify it."
_clock = _time.thread_time

_FREQS = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}
_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYYEARDAY", "BYWEEKNO",
          "BYSETPOS", "WKST")
_INT_PARTS = {"BYMONTHDAY": (31, True), "BYMONTH": (12, False), "BYYEARDAY": (366, True),
              "BYWEEKNO": (53, True), "BYSETPOS": (366, True)}
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?")
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INT = re.compile(r"[+-]?\d{1,4}")


class RuleError(ValueError):
    """A repeat pattern, date or range that cannot be used; the message is written for the person."""


def _date(value: str, what: str) -> int:
    match = _DATE.fullmatch(value)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3])).toordinal()
        except ValueError:
            pass
    raise RuleError(f"{what} “{value}” is not a date: write it as YYYYMMDD.")


def _ints(name: str, value: str) -> tuple[int, ...]:
    limit, negative = _INT_PARTS[name]
    out = []
    for item in value.split(","):
        if not _INT.fullmatch(item) or not 0 < abs(int(item)) <= limit or (int(item) < 0 and not negative):
            raise RuleError(f"{name} cannot be “{item}”.")
        out.append(int(item))
    return tuple(sorted(set(out)))


@dataclass(frozen=True)
class _Rule:
    """One RRULE or EXRULE, checked; ``until`` is an inclusive day number."""

    freq: int
    interval: int = 1
    count: int | None = None
    until: int | None = None
    byday: tuple[tuple[int, int], ...] = ()  # (weekday, n); n == 0 means every such weekday
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    byyearday: tuple[int, ...] = ()
    byweekno: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    wkst: int = 0


def _parse_rule(body: str) -> tuple[_Rule, str]:
    """Parse an RRULE body into a rule and its normalized text."""
    parts: dict[str, str] = {}
    for raw in body.split(";"):
        part = raw.replace(" ", "")
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep or not value:
            raise RuleError(f"“{raw.strip()}” is not a valid part: write NAME=VALUE pairs separated by semicolons.")
        if name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            raise RuleError(f"Leave out {name}: the times come from the start and end time.")
        if name not in _PARTS:
            raise RuleError(f"Unknown part “{name}” in the repeat pattern.")
        if name in parts:
            raise RuleError(f"{name} appears twice in the repeat pattern.")
        parts[name] = value
    if "FREQ" not in parts:
        raise RuleError("The repeat pattern needs a FREQ, e.g. FREQ=WEEKLY;BYDAY=MO.")
    freq_name = parts["FREQ"]
    if freq_name in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise RuleError(f"Patterns repeat at most daily: FREQ={freq_name} is not supported.")
    if freq_name not in _FREQS:
        raise RuleError(f"“{freq_name}” is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY.")
    fields: dict = {"freq": _FREQS[freq_name]}
    for name, value in parts.items():
        if name in ("INTERVAL", "COUNT"):
            top = MAX_INTERVAL if name == "INTERVAL" else MAX_OCCURRENCES
            if not value.isdigit() or not 1 <= int(value) <= top:
                raise RuleError(f"{name} must be a whole number from 1 to {top}.")
            fields[name.lower()] = int(value)
        elif name == "UNTIL":
            fields["until"] = _date(value, "UNTIL")
            parts[name] = dt.date.fromordinal(fields["until"]).strftime("%Y%m%d")
        elif name == "WKST":
            if value not in _WEEKDAYS:
                raise RuleError(f"WKST cannot be “{value}”: use MO, TU, WE, TH, FR, SA or SU.")
            fields["wkst"] = _WEEKDAYS[value]
        elif name == "BYDAY":
            days = []
            for item in value.split(","):
                match = _BYDAY.fullmatch(item)
                if not match or (match[1] and not 1 <= abs(int(match[1])) <= 53):
                    raise RuleError(f"BYDAY cannot be “{item}”: use MO, TU, … or a numbered day such as 1FR or -1SU.")
                days.append((_WEEKDAYS[match[2]], int(match[1] or 0)))
            fields["byday"] = tuple(sorted(set(days)))
        elif name != "FREQ":
            fields[name.lower()] = _ints(name, value)
    rule = _Rule(**fields)
    _check_combination(rule)
    return rule, ";".join(f"{name}={value}" for name, value in parts.items())


def _check_combination(rule: _Rule) -> None:
    """RFC 5545's restrictions, plus the ones that keep expansion cheap."""
    by_month_or_year = rule.freq in (du.MONTHLY, du.YEARLY)
    if rule.count and rule.until:
        raise RuleError("Use COUNT or UNTIL, not both.")
    if any(n for _, n in rule.byday) and (not by_month_or_year or (rule.freq == du.YEARLY and rule.byweekno)):
        raise RuleError("A numbered weekday (such as 1FR) needs FREQ=MONTHLY, or FREQ=YEARLY without BYWEEKNO.")
    if rule.bymonthday and rule.freq == du.WEEKLY:
        raise RuleError("BYMONTHDAY cannot be used with FREQ=WEEKLY.")
    if rule.byyearday and rule.freq != du.YEARLY:
        raise RuleError("BYYEARDAY needs FREQ=YEARLY.")
    if rule.byweekno and rule.freq != du.YEARLY:
        raise RuleError("BYWEEKNO needs FREQ=YEARLY.")
    if rule.bysetpos and not by_month_or_year:
        raise RuleError("BYSETPOS needs FREQ=MONTHLY or FREQ=YEARLY.")
    if rule.bysetpos and not (rule.byday or rule.bymonthday or rule.bymonth or rule.byyearday or rule.byweekno):
        raise RuleError("BYSETPOS needs another BY part (such as BYDAY) to choose from.")
    if rule.freq == du.DAILY and rule.interval > 1 and (rule.bymonth or rule.bymonthday):
        raise RuleError("An every-N-days pattern can only be limited by weekday (BYDAY).")


_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _never(rule: _Rule) -> bool:
    """A rule whose BYMONTH and BYMONTHDAY name no day of any year (30 February, 31 April): known at once,
    instead of by a search through a 400-year cycle."""
    return bool(rule.bymonth and rule.bymonthday) and not any(
        abs(day) <= _LONGEST_MONTH[month - 1] for month in rule.bymonth for day in rule.bymonthday)


def _weekday(day: int) -> int:
    return (day + 6) % 7


class _Progressions:
    """A DAILY or WEEKLY pattern limited only by weekday: arithmetic progressions of day numbers that all
    start within one step of the first day."""

    __slots__ = ("firsts", "step", "until")

    def __init__(self, rule: _Rule, first_day: int):
        weekdays = {wd for wd, _ in rule.byday}
        if rule.freq == du.DAILY:
            self.step = rule.interval * 7 // gcd(rule.interval, 7) if weekdays else rule.interval
            candidates = range(first_day, first_day + self.step, rule.interval)
            firsts = [day for day in candidates if not weekdays or _weekday(day) in weekdays]
        else:
            self.step = 7 * rule.interval
            week = first_day - (_weekday(first_day) - rule.wkst) % 7
            firsts = [week + (wd - rule.wkst) % 7 for wd in weekdays or {_weekday(first_day)}]
            firsts = [day if day >= first_day else day + self.step for day in firsts]
        self.firsts = sorted(firsts)
        self.until = rule.until
        if rule.count and self.firsts:  # no firsts: an every-7th-day pattern on other weekdays, never
            rounds, index = divmod(rule.count - 1, len(self.firsts))
            self.until = self.firsts[index] + rounds * self.step
            if self.until - first_day > _COUNT_HORIZON:
                raise RuleError(_count_too_far(rule.count))

    def days(self, lo: int, hi: int) -> list[int]:
        if self.until is not None and self.until < hi:
            hi = self.until
        step = self.step
        out: list[int] = []
        for first in self.firsts:
            start = first if first >= lo else first + (lo - first + step - 1) // step * step
            out.extend(range(start, hi + 1, step))
        if len(self.firsts) > 1:
            out.sort()
        return out


class _Calendar:
    """Any other rule, expanded by dateutil in one bounded window (see the module docstring)."""

    __slots__ = ("first_day", "freq", "interval", "kwargs", "until")

    def __init__(self, rule: _Rule, first_day: int):
        start = dt.date.fromordinal(first_day)
        byday = [du.weekday(wd, n) if n else wd for wd, n in rule.byday]
        freq, interval = rule.freq, rule.interval
        kwargs = {"bymonth": rule.bymonth, "bymonthday": rule.bymonthday, "byyearday": rule.byyearday,
                  "byweekno": rule.byweekno, "byweekday": byday, "bysetpos": rule.bysetpos}
        if freq in (du.DAILY, du.WEEKLY) and interval == 1:
            # The same days as a yearly rule filtered the same way; an all-weekday filter stands for "every day".
            kwargs["byweekday"] = byday or ([start.weekday()] if freq == du.WEEKLY else list(range(7)))
            freq = du.YEARLY
        elif not (rule.byweekno or rule.byyearday or rule.bymonthday or rule.byday):
            # dateutil's defaults come from the start; written out so that a later window start keeps them.
            if freq == du.YEARLY:
                kwargs["bymonth"] = rule.bymonth or (start.month,)
                kwargs["bymonthday"] = (start.day,)
            elif freq == du.MONTHLY:
                kwargs["bymonthday"] = (start.day,)
            else:
                kwargs["byweekday"] = [start.weekday()]
        self.kwargs = {key: value for key, value in kwargs.items() if value} | {"interval": interval, "wkst": rule.wkst}
        self.freq, self.interval, self.first_day, self.until = freq, interval, first_day, rule.until
        if rule.count:
            # The day of the COUNT-th occurrence becomes an UNTIL, so that later windows need not count.
            horizon = self._occurrences(first_day, first_day + _COUNT_HORIZON)
            found = list(islice(horizon, rule.count))
            if len(found) < rule.count:
                raise RuleError(_count_too_far(rule.count))
            self.until = found[-1]

    def _period_start(self, lo: int) -> int:
        """The first day of the period containing ``lo``, or of the last period before it that the interval
        keeps; the rule's own first day inside its first period."""
        k, first = self.interval, dt.date.fromordinal(self.first_day)
        if self.freq == du.WEEKLY:
            week = self.first_day - (first.weekday() - self.kwargs["wkst"]) % 7
            steps = (lo - week) // (7 * k) * k
            return week + 7 * steps if steps > 0 else self.first_day
        day = dt.date.fromordinal(lo)
        if self.freq == du.MONTHLY:
            steps = ((day.year - first.year) * 12 + day.month - first.month) // k * k
            year, month = divmod(first.month - 1 + steps, 12)
            return dt.date(first.year + year, month + 1, 1).toordinal() if steps > 0 else self.first_day
        steps = (day.year - first.year) // k * k
        return dt.date(first.year + steps, 1, 1).toordinal() if steps > 0 else self.first_day

    def _occurrences(self, lo: int, hi: int) -> Iterator[int]:
        if self.until is not None and self.until < hi:
            hi = self.until
        lo = max(lo, self.first_day)
        if lo > hi:
            return
        shift = (_MAX_ORDINAL - hi) // _CYCLE * _CYCLE
        rule = du.rrule(self.freq, dtstart=dt.datetime.fromordinal(self._period_start(lo) + shift),
                        until=dt.datetime.fromordinal(hi + shift), cache=False, **self.kwargs)
        for occurrence in rule:
            day = occurrence.toordinal() - shift
            if day >= lo:
                yield day

    def days(self, lo: int, hi: int) -> list[int]:
        return list(self._occurrences(lo, hi))


def _count_too_far(count: int) -> str:
    return f"This pattern does not reach COUNT={count} within {COUNT_HORIZON_YEARS} years; end it with UNTIL instead."


@dataclass(frozen=True)
class _Pattern:
    """A parsed rule text for one start date: included and excluded rules and dates."""

    text: str
    rules: tuple[_Progressions | _Calendar, ...]
    exrules: tuple[_Progressions | _Calendar, ...]
    rdates: tuple[int, ...]
    exdates: frozenset[int]

    def days(self, lo: int, hi: int, deadline: float) -> list[int]:
        """The occurrence days in ``[lo, hi]``, sorted."""
        found = [self._run(rule, lo, hi, deadline) for rule in self.rules]
        if self.rdates:
            found.append([day for day in self.rdates if lo <= day <= hi])
        days = found[0] if len(found) == 1 else sorted({day for part in found for day in part})
        if not days:
            return []
        if not self.exdates and not self.exrules:
            return days
        excluded = self.exdates.union(*(self._run(rule, lo, hi, deadline) for rule in self.exrules))
        return [day for day in days if day not in excluded]

    @staticmethod
    def _run(rule: _Progressions | _Calendar, lo: int, hi: int, deadline: float) -> list[int]:
        """One rule's days; dateutil's work is bounded per rule, and a text with many rules by the deadline."""
        days = rule.days(lo, hi)
        if len(days) > MAX_OCCURRENCES or (isinstance(rule, _Calendar) and _clock() > deadline):
            raise RuleError(_TOO_COMPLEX)
        return days


def _engine(rule: _Rule, first_day: int) -> _Progressions | _Calendar:
    simple = rule.freq in (du.DAILY, du.WEEKLY) and not rule.bymonth and not rule.bymonthday
    return _Progressions(rule, first_day) if simple else _Calendar(rule, first_day)


@lru_cache(maxsize=4096)
def _compile(text: str, starts_on: dt.date) -> _Pattern:
    """Parse and check ``text``; cached by text and start date (patterns are immutable)."""
    deadline = _clock() + TIME_BUDGET
    if len(text) > MAX_TEXT_LENGTH:
        raise RuleError(f"The repeat pattern is too long (at most {MAX_TEXT_LENGTH} characters).")
    upper = text.upper()
    if "DTSTART" in upper:
        raise RuleError("Leave DTSTART out: the pattern starts on the rule's start date.")
    lines = [line.strip() for line in upper.splitlines() if line.strip()]
    if not lines:
        raise RuleError("Enter a repeat pattern, e.g. FREQ=WEEKLY;BYDAY=MO.")
    first_day = starts_on.toordinal()
    found: dict[str, list] = {"RRULE": [], "EXRULE": [], "RDATE": [], "EXDATE": []}
    texts: dict[str, list[str]] = {"RRULE": [], "EXRULE": []}
    for line in lines:
        head, sep, value = line.partition(":")
        if not sep:
            head, value = "RRULE", line
        name, *params = head.split(";")
        if name in ("RRULE", "EXRULE"):
            if params:
                raise RuleError(f"{name} takes no parameters.")
            rule, normalized = _parse_rule(value)
            if not _never(rule):
                found[name].append(_engine(rule, first_day))
            elif rule.count:
                raise RuleError(_count_too_far(rule.count))
            if _clock() > deadline:
                raise RuleError(_TOO_COMPLEX)
            texts[name].append(normalized)
        elif name in ("RDATE", "EXDATE"):
            if any(param not in ("VALUE=DATE", "VALUE=DATE-TIME") for param in params):
                raise RuleError(f"{name} takes plain dates, e.g. {name}:20260704,20260711.")
            found[name].extend(_date(item.strip(), name) for item in value.split(","))
        else:
            raise RuleError(f"Unknown line “{name}”: use RRULE, EXRULE, RDATE or EXDATE.")
    if not texts["RRULE"] and not found["RDATE"]:
        raise RuleError("Give a repeat pattern (RRULE) or dates (RDATE).")
    rdates, exdates = sorted(set(found["RDATE"])), sorted(set(found["EXDATE"]))
    if len(lines) == 1 and texts["RRULE"]:
        normalized_text = texts["RRULE"][0]
    else:
        out = [f"RRULE:{body}" for body in texts["RRULE"]] + [f"EXRULE:{body}" for body in texts["EXRULE"]]
        out += [f"{name}:" + ",".join(dt.date.fromordinal(day).strftime("%Y%m%d") for day in days)
                for name, days in (("RDATE", rdates), ("EXDATE", exdates)) if days]
        normalized_text = "\n".join(out)
    return _Pattern(normalized_text, tuple(found["RRULE"]), tuple(found["EXRULE"]),
                    tuple(day for day in rdates if day >= first_day), frozenset(exdates))


def validate_rule_text(text: str, starts_on: dt.date) -> str:
    """The normalized text of a usable rule; RuleError if it is malformed, too costly, or has no date in the
    two years from ``starts_on``."""
    deadline = _clock() + TIME_BUDGET
    pattern = _compile(text.strip(), starts_on)
    first_day = starts_on.toordinal()
    if not pattern.days(first_day, first_day + MAX_RANGE_DAYS - 1, deadline):
        raise RuleError("This repeat pattern has no date in the two years after its start date.")
    return pattern.text


def check_range(range_start: int, range_end: int) -> None:
    """Refuse a query range longer than ``MAX_RANGE`` (a day of slack allows for time zones), or outside the
    years 1900 to 8999."""
    if range_end - range_start > _RANGE_LIMIT:
        raise RuleError(f"Choose a range of at most {MAX_RANGE_DAYS} days.")
    if range_start < _EARLIEST or range_end > _LATEST:
        raise RuleError("Choose dates between the years 1900 and 8999.")


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise RuleError(f"“{name}” is not an IANA time zone.")


def _offset(zone: zoneinfo.ZoneInfo, utc_seconds: int) -> int:
    return int(dt.datetime.fromtimestamp(utc_seconds, zone).utcoffset().total_seconds())


@lru_cache(maxsize=4096)
def _changes(name: str, year: int) -> tuple[tuple[int, int], ...]:
    """The offset changes of zone ``name`` during UTC year ``year``: ``(local second, offset)`` pairs, where
    the local (wall-clock, as if UTC) second is the first one read with the new offset under ``fold=0``.
    Found by sampling every six hours and bisecting; no zone changes twice within six hours."""
    zone, step = _zone(name), 6 * 3600
    start = (dt.date(year, 1, 1).toordinal() - _EPOCH) * _DAY
    end = (dt.date(year + 1, 1, 1).toordinal() - _EPOCH) * _DAY
    out = []
    before = _offset(zone, start)
    for sample in range(start + step, end + step, step):
        after = _offset(zone, sample)
        if after != before:
            lo, hi = sample - step, sample
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if _offset(zone, mid) == before else (lo, mid)
            out.append((hi + max(before, after), after))
            before = after
    return tuple(out)


def _offsets(name: str, first: int, last: int) -> tuple[int, list[tuple[int, int]]]:
    """The ``fold=0`` offset of zone ``name`` at local second ``first`` (wall clock counted as if UTC) and its
    changes up to ``last``, as ``(first local second with the new offset, new offset)``."""
    offset = int(_zone(name).utcoffset(_NAIVE_EPOCH + dt.timedelta(seconds=first)).total_seconds())
    first_year = dt.date.fromordinal((first - _DAY) // _DAY + _EPOCH).year
    last_year = dt.date.fromordinal((last + _DAY) // _DAY + _EPOCH).year
    changes = [change for year in range(first_year, last_year + 1) for change in _changes(name, year)]
    return offset, [change for change in changes if first < change[0] <= last]


def _to_utc(local: list[int], offset: int, changes: list[tuple[int, int]]) -> list[int]:
    """Ascending local seconds to UTC epoch seconds, given ``_offsets`` for their span."""
    out: list[int] = []
    done = 0
    for boundary, after in changes:
        cut = bisect_left(local, boundary, done)
        out += [second - offset for second in local[done:cut]]
        done, offset = cut, after
    out += [second - offset for second in local[done:]]
    return out


def _seconds(value: dt.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


@lru_cache(maxsize=1024)
def _exdate_days(exdates: tuple[str, ...]) -> frozenset[int]:
    try:
        return frozenset(dt.date.fromisoformat(value).toordinal() for value in exdates)
    except (TypeError, ValueError):
        raise RuleError("Skipped dates must be ISO dates (YYYY-MM-DD).")


def local_spans(time_zone: str, days: Iterable[int], start_time: dt.time, end_time: dt.time,
                range_start: int, range_end: int) -> list[Interval]:
    """From ``start_time`` to ``end_time`` local time on each day number (``date.toordinal()``, ascending), in UTC
    epoch seconds, clipped to ``[range_start, range_end)`` and normalized. An end at or before the start
    is on the next day."""
    start, end = _seconds(start_time), _seconds(end_time)
    if end <= start:
        end += _DAY
    local_starts = [(day - _EPOCH) * _DAY + start for day in days]
    if not local_starts:
        return []
    local_ends = [second + end - start for second in local_starts]
    offset, changes = _offsets(time_zone, local_starts[0], local_ends[-1])
    starts, ends = _to_utc(local_starts, offset, changes), _to_utc(local_ends, offset, changes)
    # Both lists ascend (an offset changes by less than a day), so the spans in range are one slice.
    first, last = bisect_right(ends, range_start), bisect_left(starts, range_end)
    spans = zip(starts[first:last], ends[first:last], strict=True)
    # With at most one change a day, each of size at most `jump`, spans of one a day can neither vanish nor
    # meet unless they last within `jump` of nothing or of a whole day; only then do they need merging.
    jump, previous = 0, offset
    for _, after in changes:
        jump, previous = max(jump, abs(after - previous)), after
    sparse = all(later[0] - earlier[0] > _DAY for earlier, later in pairwise(changes))
    out = list(spans) if sparse and jump < end - start < _DAY - jump else normalize(spans)
    if out and out[0][0] < range_start:
        out[0] = (range_start, out[0][1])
    if out and out[-1][1] > range_end:
        out[-1] = (out[-1][0], range_end)
    return out


def expand(*, rule_text: str, starts_on: dt.date, ends_on: dt.date | None, start_time: dt.time, end_time: dt.time,
           time_zone: str, exdates: Sequence[str], range_start: int, range_end: int) -> list[Interval]:
    """The rule's occurrences overlapping ``[range_start, range_end)`` (UTC epoch seconds), clipped to it and
    normalized. ``ends_on`` is the last local date an occurrence may start on; ``exdates`` are local ISO dates
    on which none starts."""
    deadline = _clock() + TIME_BUDGET
    check_range(range_start, range_end)
    pattern = _compile(rule_text.strip(), starts_on)
    _zone(time_zone)
    skipped = _exdate_days(tuple(exdates))
    # Local dates differ from UTC ones by less than a day, and an occurrence lasts at most a day.
    lo = max(starts_on.toordinal(), range_start // _DAY + _EPOCH - 2)
    hi = (range_end - 1) // _DAY + _EPOCH + 1
    if ends_on is not None:
        hi = min(hi, ends_on.toordinal())
    if range_end <= range_start or lo > hi:
        return []
    days = pattern.days(lo, hi, deadline)
    if skipped:
        days = [day for day in days if day not in skipped]
    return local_spans(time_zone, days, start_time, end_time, range_start, range_end)
