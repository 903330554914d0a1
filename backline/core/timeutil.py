"""Time helpers: aware datetimes in UTC, IANA zones, epoch seconds for interval arithmetic."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from .errors import Invalid

UTC = dt.UTC
MAX_RANGE_DAYS = 731  # a query or a span longer than two years is refused
NAIVE_MESSAGE = "Give times with a time zone or UTC offset."
# Every date the product accepts for something being planned (events, availability, bookings, holds,
# offers, share links, polls) lies from one year back to ten years ahead of today (UTC), both ends
# included: ``check_planned``. Rows outside it (stored before the bound, or imported) are skipped by
# feeds and calendars, which read ``FEED_HORIZON_DAYS`` ahead at most.
PAST_DAYS = 366
FUTURE_DAYS = 3653
FEED_HORIZON_DAYS = FUTURE_DAYS + 366
QUERY_DAYS = 36525  # a range that is only read (a calendar, the green zone) stays within a century of today
TIME_ZONE_MAX_LENGTH = 64  # the longest IANA name is 32 characters; every time_zone column holds 64


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone called ``name``; anything else (unknown, too long, not a name) is ``Invalid``.
    The one place names from outside are read: ``zoneinfo`` raises ``OSError`` on a long name."""
    if not isinstance(name, str) or not name or len(name) > TIME_ZONE_MAX_LENGTH:
        shown = name[:TIME_ZONE_MAX_LENGTH] + "…" if isinstance(name, str) and name else name
        raise Invalid("Unknown time zone.", errors={"time_zone": [f"“{shown}” is not an IANA time zone."]})
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise Invalid("Unknown time zone.", errors={"time_zone": [f"“{name}” is not an IANA time zone."]}) from exc


def day_words(value: dt.date | dt.datetime) -> str:
    """A day as people write it in a sentence: "5 Dec 2026" (never 2026-12-05)."""
    return f"{value.day} {value:%b %Y}"


def moment_words(value: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """A moment as people write it in a sentence, at ``tz``'s clock (else its own): "Sat 16 Jan 2027, 20:00"."""
    if tz is not None and value.tzinfo is not None:
        value = value.astimezone(tz)
    return f"{value:%a} {value.day} {value:%b %Y, %H:%M}"


def to_epoch(value: dt.datetime) -> int:
    """UTC epoch seconds of an aware datetime; a naive one (whose zone is anyone's guess) is ``Invalid``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid(NAIVE_MESSAGE)
    return int(value.timestamp())


def from_epoch(seconds: int, tz: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz)


def local_midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def day_range(start: dt.date, end: dt.date, tz: dt.tzinfo, *, field: str = "end") -> tuple[dt.datetime, dt.datetime]:
    """From local midnight of ``start`` to local midnight after ``end`` (inclusive dates), checked."""
    check_query(start=start, **{field: end})
    if end < start:
        raise Invalid("The end is before the start.", errors={field: ["The end date is before the start date."]})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise Invalid("The range is too long.", errors={field: [f"Choose at most {MAX_RANGE_DAYS} days."]})
    return local_midnight(start, tz), local_midnight(end + dt.timedelta(days=1), tz)


def check_span(starts_at: dt.datetime, ends_at: dt.datetime, *, max_days: int = MAX_RANGE_DAYS,
               planned: bool = True) -> None:
    """An aware span whose end is after its start, that is not absurdly long and (unless ``planned`` is
    false: a span derived from one checked already, such as a commitment of an event or booking) lies
    within ``planning_bounds`` (``check_planned``)."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Invalid("Please correct the times.", errors={"starts_at": [NAIVE_MESSAGE]})
    if planned:
        check_planned(starts_at=starts_at, ends_at=ends_at)
    if ends_at <= starts_at:
        raise Invalid("Please correct the times.", errors={"ends_at": ["The end must be after the start."]})
    if ends_at - starts_at > dt.timedelta(days=max_days):
        raise Invalid("Please correct the times.", errors={"ends_at": [f"A span can be at most {max_days} days long."]})


def planning_bounds(today: dt.date | None = None, *, past_days: int = PAST_DAYS) -> tuple[dt.date, dt.date]:
    """The first and last day (inclusive) a planned date may fall on."""
    today = today or dt.datetime.now(UTC).date()
    return today - dt.timedelta(days=past_days), today + dt.timedelta(days=FUTURE_DAYS)


def _utc_day(value: dt.date | dt.datetime) -> dt.date:
    """The UTC day of a date or datetime; one at the very ends of the calendar (where converting to UTC
    overflows) is simply far out of range."""
    if not isinstance(value, dt.datetime):
        return value
    if value.utcoffset() is None:
        return value.date()  # naive: refused elsewhere with ``NAIVE_MESSAGE``; its day is close enough here
    try:
        return value.astimezone(UTC).date()
    except OverflowError:
        return dt.date.max if value.year > 1 else dt.date.min


def _check_bounds(first: dt.date, last: dt.date, hint: str, fields: dict) -> None:
    errors = {}
    for name, value in fields.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        if any(v is not None and not first <= _utc_day(v) <= last for v in values):
            errors[name] = [f"Choose a date from {day_words(first)} to {day_words(last)} ({hint})."]
    if errors:
        raise Invalid("A date is out of range.", errors=errors)


def check_planned(*, today: dt.date | None = None, past_days: int = PAST_DAYS, **fields) -> None:
    """Refuse (``Invalid``, a field error each → 422) any given date or datetime outside ``planning_bounds``.
    A value may be ``None`` (not given) or a list of dates (each is checked). The one rule every service
    uses, so the web forms and the API cannot disagree. ``past_days`` reaches further back where a value
    may be old and still apply (a weekly pattern's first day: ``FUTURE_DAYS``, ten years)."""
    first, last = planning_bounds(today, past_days=past_days)
    years = round(past_days / 365.25)
    back = {1: "one year", 10: "ten years"}.get(years, f"{years} years")  # read alike with "ten years ahead"
    _check_bounds(first, last, f"at most {back} back and ten years ahead", fields)


def check_query(*, today: dt.date | None = None, **fields) -> None:
    """A range someone reads (a calendar, the green zone, a list filter) may reach further than what can
    be planned, but not to the ends of the calendar, where date arithmetic overflows: ``QUERY_DAYS``
    either side of today."""
    today = today or dt.datetime.now(UTC).date()
    delta = dt.timedelta(days=QUERY_DAYS)
    _check_bounds(today - delta, today + delta, "at most a hundred years either side of today", fields)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not the locale's


def day_span(start: dt.date, end: dt.date | None = None) -> str:
    """A range of days as people write it, the year once at the end when both days share it:
    "4 May 2027", "4–9 May 2027", "4 Apr – 4 May 2027", "28 Dec 2026 – 3 Jan 2027"."""
    def day(d: dt.date, *, year: bool = True) -> str:
        return f"{d.day} {_MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")

    if end is None or end == start:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day(end)}"
    return f"{day(start, year=start.year != end.year)} – {day(end)}"
