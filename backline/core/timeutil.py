"""Time helpers: aware datetimes in UTC, IANA zones, epoch seconds for interval arithmetic."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from .errors import Invalid

UTC = dt.UTC
MAX_RANGE_DAYS = 731  # a query or a span longer than two years is refused
NAIVE_MESSAGE = "Give times with a time zone or UTC offset."
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
    if end < start:
        raise Invalid("The end is before the start.", errors={field: ["The end date is before the start date."]})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise Invalid("The range is too long.", errors={field: [f"Choose at most {MAX_RANGE_DAYS} days."]})
    return local_midnight(start, tz), local_midnight(end + dt.timedelta(days=1), tz)


def check_span(starts_at: dt.datetime, ends_at: dt.datetime, *, max_days: int = MAX_RANGE_DAYS) -> None:
    """An aware span whose end is after its start and that is not absurdly long."""
    errors = {}
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        errors["starts_at"] = [NAIVE_MESSAGE]
    elif ends_at <= starts_at:
        errors["ends_at"] = ["The end must be after the start."]
    elif ends_at - starts_at > dt.timedelta(days=max_days):
        errors["ends_at"] = [f"A span can be at most {max_days} days long."]
    if errors:
        raise Invalid("Please correct the times.", errors=errors)
