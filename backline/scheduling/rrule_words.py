"""A repeat pattern (an RFC 5545 RRULE, as ``recurrence`` reads it) in words people use.

"FREQ=WEEKLY;BYDAY=MO,TU" with 18:00–23:30 reads "Every Monday and Tuesday, 18:00–23:30";
"FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270630" reads "Every other Friday until 30 June 2027".
No maintained Python package turns an RRULE into English (python-dateutil parses and expands, nothing
more), so this is a focused reader of the parts our patterns use: every frequency, INTERVAL, BYDAY with
or without an ordinal, BYMONTHDAY, BYMONTH, BYSETPOS, COUNT, UNTIL, and the RDATE, EXDATE and EXRULE
lines. A part it cannot put in words (BYWEEKNO, BYYEARDAY, a rule it cannot read) makes the whole
pattern "A custom repeat pattern": never a half-truth, never the code.
"""

from __future__ import annotations

import datetime as dt
import re

CUSTOM = "A custom repeat pattern"
DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
             "SA": "Saturday", "SU": "Sunday"}
_ORDER = list(DAY_NAMES)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second to last"}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?$")
_KNOWN = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}


class _Unspeakable(ValueError):
    """A part of the rule this reader does not put in words."""


def day_text(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_day(day: dt.date) -> str:
    """"Fri 24 Dec 2027": a single date, as a skipped day is shown."""
    return f"{DAY_NAMES[_ORDER[day.weekday()]][:3]} {day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def times_text(start_time: dt.time, end_time: dt.time) -> str:
    """"18:00–23:30"; "17:00–01:00 (next day)" when the end is past midnight; "all day" for 00:00–00:00.
    One span, however it falls across days: a pattern past midnight is one evening, not two pieces."""
    if start_time == end_time == dt.time(0):
        return "all day"
    text = f"{start_time:%H:%M}–{end_time:%H:%M}"
    if end_time <= start_time and end_time != dt.time(0):
        text += " (next day)"
    return text


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _nth(n: int) -> str:
    if n < 0:
        return "last day" if n == -1 else f"{-n}{_suffix(-n)} to last day"
    return f"{n}{_suffix(n)}"


def _suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _parts(body: str) -> dict[str, str]:
    parts = {}
    for piece in body.strip().removeprefix("RRULE:").split(";"):
        if not piece.strip():
            continue
        if "=" not in piece:
            raise _Unspeakable(piece)
        key, value = piece.split("=", 1)
        key = key.strip().upper()
        if key not in _KNOWN:
            raise _Unspeakable(key)
        parts[key] = value.strip().upper()
    if parts.get("FREQ") not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise _Unspeakable("FREQ")
    return parts


def _date(value: str) -> dt.date:
    match = _DATE.match(value.strip())
    if not match:
        raise _Unspeakable(value)
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise _Unspeakable(value) from exc


def _ints(value: str, low: int, high: int) -> list[int]:
    try:
        numbers = [int(v) for v in value.split(",") if v]
    except ValueError as exc:
        raise _Unspeakable(value) from exc
    if not numbers or any(n == 0 or not low <= n <= high for n in numbers):
        raise _Unspeakable(value)
    return numbers


def _weekdays(value: str) -> list[tuple[int | None, str]]:
    out = []
    for item in value.split(","):
        match = _BYDAY.match(item.strip())
        if not match:
            raise _Unspeakable(item)
        out.append((int(match.group(1)) if match.group(1) else None, match.group(2)))
    return out


def _plain_days(days: list[str], plural: str = "") -> str:
    """Weekday codes in week order as words: "Monday and Tuesday", "weekday", "day" (with ``plural="s"``:
    "Mondays and Tuesdays")."""
    days = sorted(set(days), key=_ORDER.index)
    if len(days) == 7:
        return "day" + plural
    if days == _ORDER[:5]:
        return f"weekday{plural} (Monday to Friday)"
    first = _ORDER.index(days[0])
    if not plural and len(days) >= 3 and days == _ORDER[first:first + len(days)]:
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"  # "Tuesday to Saturday", not five names
    return _join([DAY_NAMES[d] + plural for d in days])


def _every(interval: int, unit: str) -> str:
    """"Every", "Every other", "Every 3 weeks"-style openings."""
    if interval == 1:
        return "Every"
    if interval == 2:
        return "Every other"
    return f"Every {interval} {unit}s"


def _positioned(days: list[tuple[int | None, str]], setpos: list[int] | None) -> str:
    """"the first Saturday", "the last Friday", "the first weekday"."""
    if setpos:
        if any(n is not None for n, _ in days):
            raise _Unspeakable("BYSETPOS with ordinals")
        which = _plain_days([d for _, d in days])
        return _join([f"the {_ORDINAL_WORDS.get(p) or _nth(p)} {which}" for p in setpos])
    phrases = []
    for n, d in days:
        if n is None:
            phrases.append(f"every {DAY_NAMES[d]}")
        else:
            phrases.append(f"the {_ORDINAL_WORDS.get(n) or _nth(n)} {DAY_NAMES[d]}")
    return _join(phrases)


def _pattern(parts: dict[str, str], starts_on: dt.date | None) -> str:
    freq = parts["FREQ"]
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError as exc:
        raise _Unspeakable("INTERVAL") from exc
    if interval < 1:
        raise _Unspeakable("INTERVAL")
    days = _weekdays(parts["BYDAY"]) if "BYDAY" in parts else []
    monthdays = _ints(parts["BYMONTHDAY"], -31, 31) if "BYMONTHDAY" in parts else []
    months = _ints(parts["BYMONTH"], 1, 12) if "BYMONTH" in parts else []
    setpos = _ints(parts["BYSETPOS"], -366, 366) if "BYSETPOS" in parts else []
    if setpos and (not days or freq not in ("MONTHLY", "YEARLY")):
        raise _Unspeakable("BYSETPOS")
    in_months = f", in {_join([_MONTHS[m - 1] for m in sorted(set(months))])}" if months else ""

    if freq in ("DAILY", "WEEKLY"):
        if any(n is not None for n, _ in days) or monthdays:
            raise _Unspeakable("ordinals in a daily or weekly rule")
        codes = [d for _, d in days]
        if not codes and freq == "WEEKLY" and starts_on:
            codes = [_ORDER[starts_on.weekday()]]
        if freq == "DAILY" and (not codes or len(set(codes)) == 7):
            text = {1: "Every day", 2: "Every other day"}.get(interval, f"Every {interval} days")
        elif freq == "DAILY":
            opening = {2: "Every other day", 1: ""}.get(interval, f"Every {interval} days")
            text = f"{opening}, on {_plain_days(codes, 's')}" if opening else f"Every {_plain_days(codes)}"
        elif not codes:
            text = {1: "Every week", 2: "Every other week"}.get(interval, f"Every {interval} weeks")
        elif interval == 1 or (interval == 2 and len(set(codes)) == 1):
            text = f"{_every(interval, 'week')} {_plain_days(codes)}"
        else:
            opening = "Every other week" if interval == 2 else f"Every {interval} weeks"
            text = f"{opening} on {_plain_days(codes)}"
        return text + in_months

    unit = "month" if freq == "MONTHLY" else "year"
    opening = {1: f"Every {unit}", 2: f"Every other {unit}"}.get(interval, f"Every {interval} {unit}s")
    if freq == "YEARLY" and not days and not setpos:
        if not monthdays and not months and starts_on:
            return f"{opening} on {starts_on.day} {_MONTHS[starts_on.month - 1]}"
        if not months and starts_on:
            months = [starts_on.month]
        if not monthdays and starts_on:
            monthdays = [starts_on.day]
        if not months or not monthdays or any(n < 0 for n in monthdays):
            raise _Unspeakable("YEARLY")
        dates = [f"{d} {_MONTHS[m - 1]}" for m in sorted(set(months)) for d in sorted(set(monthdays))]
        return f"{opening} on {_join(dates)}"
    if days:
        on = _positioned(days, setpos)
        if monthdays:
            on += f" that falls on the {_join([_nth(n) for n in monthdays])}"
        if freq == "YEARLY" and not months and not any(n is not None for n, _ in days) and not setpos:
            if interval != 1:
                raise _Unspeakable("every weekday of every other year")
            return f"Every {_plain_days([d for _, d in days])}"
        if freq == "YEARLY" and months:
            return f"{opening} on {on} of {_join([_MONTHS[m - 1] for m in sorted(set(months))])}"
        return f"{opening} on {on}" + in_months
    if not monthdays and starts_on:
        monthdays = [starts_on.day]
    if not monthdays:
        return opening + in_months
    return f"{opening} on the {_join([_nth(n) for n in monthdays])}" + in_months


def describe(rrule: str, *, starts_on: dt.date | None = None, ends_on: dt.date | None = None,
             start_time: dt.time | None = None, end_time: dt.time | None = None,
             exdates: list[str | dt.date] | tuple = ()) -> str:
    """The pattern in one sentence: how it repeats, at what time, until when (said once, whether the rule
    or ``ends_on`` closes it), with its exceptions: "Every Monday and Tuesday, 18:00–23:30, until 30 June
    2027, except on Tue 24 Dec 2026"."""
    times = times_text(start_time, end_time) if start_time is not None and end_time is not None else ""
    skipped = sorted({_as_date(d) for d in exdates or ()} - {None})
    try:
        text = _describe(rrule or "", starts_on=starts_on, ends_on=ends_on, times=times, exdates=skipped)
    except _Unspeakable:
        text = CUSTOM + (f", {times}" if times else "")
        if ends_on:
            text += f", until {day_text(ends_on)}"
        if skipped:
            text += ", except on " + _join([short_day(d) for d in skipped])
    return text


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _describe(rrule: str, *, starts_on: dt.date | None, ends_on: dt.date | None, times: str = "",
              exdates: list[dt.date] = ()) -> str:
    lines = [line.strip() for line in rrule.replace("\r", "").split("\n") if line.strip()]
    if not lines:
        raise _Unspeakable("empty")
    body, exrules, rdates, skipped = None, [], [], []
    for line in lines:
        head, sep, value = line.partition(":")
        name = head.split(";")[0].strip().upper()
        if not sep or name not in ("RRULE", "EXRULE", "RDATE", "EXDATE"):
            name, value = "RRULE", line
        if name == "RRULE" and body is None:
            body = value
        elif name == "EXRULE":
            exrules.append(value)
        elif name in ("RDATE", "EXDATE"):
            (rdates if name == "RDATE" else skipped).extend(_date(v) for v in value.split(",") if v.strip())
        else:
            raise _Unspeakable(name)
    if body is None:
        raise _Unspeakable("no RRULE")
    parts = _parts(body)
    text = _pattern(parts, starts_on)
    if times:
        text += f", {times}"
    until = _date(parts["UNTIL"]) if "UNTIL" in parts else None
    if ends_on and (until is None or ends_on < until):
        until = ends_on
    if "COUNT" in parts:
        try:
            count = int(parts["COUNT"])
        except ValueError as exc:
            raise _Unspeakable("COUNT") from exc
        if count < 1:
            raise _Unspeakable("COUNT")
        text += ("," if times else "") + " once" if count == 1 else f", {count} times"
        if until:
            text += f" at most, until {day_text(until)}"
    elif until:
        text += f"{',' if times else ''} until {day_text(until)}"
    for extra in exrules:
        text += ", except " + _lower_first(_pattern(_parts(extra), starts_on))
    exdates = [*exdates, *skipped]
    if rdates:
        text += ", and also on " + _join([day_text(d) for d in sorted(rdates)])
    if exdates:
        text += ", except on " + _join([short_day(d) for d in sorted(set(exdates))])
    return text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
