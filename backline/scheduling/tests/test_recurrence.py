import datetime as dt
import time
import zoneinfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from backline.scheduling import recurrence
from backline.scheduling.intervals import normalize
from backline.scheduling.recurrence import MAX_RANGE, RuleError, expand, validate_rule_text

UTC = dt.UTC
WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def at(*args, tz=UTC) -> int:
    """Epoch seconds of a wall-clock time (UTC unless ``tz`` is given)."""
    return int(dt.datetime(*args, tzinfo=tz).timestamp())


def run(rule_text=WEEKDAYS, *, start=dt.time(19), end=dt.time(23), zone="UTC", starts_on=dt.date(2026, 1, 1),
        ends_on=None, exdates=(), range_start, range_end):
    return expand(rule_text=rule_text, starts_on=starts_on, ends_on=ends_on, start_time=start, end_time=end,
                  time_zone=zone, exdates=list(exdates), range_start=range_start, range_end=range_end)


def test_weekday_evenings_in_berlin_winter():
    spans = run(zone="Europe/Berlin", range_start=at(2026, 1, 5), range_end=at(2026, 1, 12))
    assert spans == [(at(2026, 1, day, 18), at(2026, 1, day, 22)) for day in range(5, 10)]  # CET is UTC+1


def test_every_other_sunday():
    text = "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU"
    spans = run(text, start=dt.time(10), end=dt.time(12), starts_on=dt.date(2026, 1, 4),
                range_start=at(2026, 1, 1), range_end=at(2026, 2, 20))
    assert [dt.datetime.fromtimestamp(s, UTC).date().isoformat() for s, _ in spans] == [
        "2026-01-04", "2026-01-18", "2026-02-01", "2026-02-15"]
    # Starting on a Wednesday: the Sunday of that week (weeks start on Monday) is the first.
    spans = run(text, start=dt.time(10), end=dt.time(12), starts_on=dt.date(2026, 1, 7),
                range_start=at(2026, 1, 1), range_end=at(2026, 2, 20))
    assert [s for s, _ in spans] == [at(2026, 1, 11, 10), at(2026, 1, 25, 10), at(2026, 2, 8, 10)]
    # With weeks starting on Sunday, that week's Sunday is before the start, so the next period counts.
    spans = run(text + ";WKST=SU", start=dt.time(10), end=dt.time(12), starts_on=dt.date(2026, 1, 7),
                range_start=at(2026, 1, 1), range_end=at(2026, 2, 20))
    assert [s for s, _ in spans] == [at(2026, 1, 18, 10), at(2026, 2, 1, 10), at(2026, 2, 15, 10)]


def test_exdates_and_ends_on():
    week = {"range_start": at(2026, 1, 5), "range_end": at(2026, 1, 12)}
    spans = run(exdates=["2026-01-07"], **week)
    assert [s for s, _ in spans] == [at(2026, 1, day, 19) for day in (5, 6, 8, 9)]
    spans = run(WEEKDAYS + "\nEXDATE:20260106", **week)
    assert [s for s, _ in spans] == [at(2026, 1, day, 19) for day in (5, 7, 8, 9)]
    spans = run(ends_on=dt.date(2026, 1, 7), **week)
    assert [s for s, _ in spans] == [at(2026, 1, day, 19) for day in (5, 6, 7)]
    assert run(starts_on=dt.date(2026, 2, 1), **week) == []


def test_count_until_and_rdate():
    week = {"range_start": at(2026, 1, 5), "range_end": at(2026, 1, 12), "starts_on": dt.date(2026, 1, 5)}
    assert len(run(WEEKDAYS + ";COUNT=3", **week)) == 3
    assert len(run(WEEKDAYS + ";UNTIL=20260108", **week)) == 4
    spans = run("RRULE:FREQ=WEEKLY;BYDAY=MO\nRDATE:20260110", **week)
    assert [s for s, _ in spans] == [at(2026, 1, 5, 19), at(2026, 1, 10, 19)]
    spans = run("FREQ=MONTHLY;BYDAY=1FR;COUNT=2", starts_on=dt.date(2026, 1, 1), range_start=at(2026, 1, 1),
                range_end=at(2026, 6, 1))
    assert [s for s, _ in spans] == [at(2026, 1, 2, 19), at(2026, 2, 6, 19)]


def test_overnight_occurrences_run_into_the_next_day_and_into_the_range():
    # Friday 22:00-02:00: a range starting on Saturday still gets the end of Friday night.
    spans = run("FREQ=WEEKLY;BYDAY=FR", start=dt.time(22), end=dt.time(2), range_start=at(2026, 1, 10),
                range_end=at(2026, 1, 17))
    assert spans == [(at(2026, 1, 10), at(2026, 1, 10, 2)), (at(2026, 1, 16, 22), at(2026, 1, 17))]
    # 00:00-00:00 is a whole day; whole days in a row are one span.
    spans = run("FREQ=WEEKLY;BYDAY=SA,SU", start=dt.time(0), end=dt.time(0), range_start=at(2026, 1, 5),
                range_end=at(2026, 1, 19))
    assert spans == [(at(2026, 1, 10), at(2026, 1, 12)), (at(2026, 1, 17), at(2026, 1, 19))]


BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_berlin_spring_forward_2026_03_29():
    daily = {"rule_text": "FREQ=DAILY", "zone": "Europe/Berlin"}
    spans = run(**daily, range_start=at(2026, 3, 28), range_end=at(2026, 3, 30))
    assert spans == [(at(2026, 3, 28, 18), at(2026, 3, 28, 22)), (at(2026, 3, 29, 17), at(2026, 3, 29, 21))]
    # 02:30 does not exist that night: fold=0 reads it with the winter offset, 01:30 UTC (03:30 summer time).
    spans = run(**daily, start=dt.time(2, 30), end=dt.time(4), range_start=at(2026, 3, 29), range_end=at(2026, 3, 30))
    assert spans == [(at(2026, 3, 29, 1, 30), at(2026, 3, 29, 2))]
    # A night that spans the change is an hour shorter in UTC.
    spans = run(**daily, start=dt.time(22), end=dt.time(6), range_start=at(2026, 3, 28, 12), range_end=at(2026, 3, 29, 12))
    assert spans == [(at(2026, 3, 28, 21), at(2026, 3, 29, 4))]


def test_berlin_fall_back_2026_10_25():
    daily = {"rule_text": "FREQ=DAILY", "zone": "Europe/Berlin"}
    spans = run(**daily, range_start=at(2026, 10, 24), range_end=at(2026, 10, 26))
    assert spans == [(at(2026, 10, 24, 17), at(2026, 10, 24, 21)), (at(2026, 10, 25, 18), at(2026, 10, 25, 22))]
    # 02:30 happens twice that night: fold=0 is the first one, in summer time (00:30 UTC).
    spans = run(**daily, start=dt.time(2, 30), end=dt.time(3, 30), range_start=at(2026, 10, 25),
                range_end=at(2026, 10, 26))
    assert spans == [(at(2026, 10, 25, 0, 30), at(2026, 10, 25, 2, 30))]
    spans = run(**daily, start=dt.time(22), end=dt.time(6), range_start=at(2026, 10, 24, 12),
                range_end=at(2026, 10, 25, 12))
    assert spans == [(at(2026, 10, 24, 20), at(2026, 10, 25, 5))]


def test_new_york_changes_2026_03_08_and_2026_11_01():
    daily = {"rule_text": "FREQ=DAILY", "zone": "America/New_York"}
    spans = run(**daily, range_start=at(2026, 3, 7, 12), range_end=at(2026, 3, 9, 12))
    assert spans == [(at(2026, 3, 8, 0), at(2026, 3, 8, 4)), (at(2026, 3, 8, 23), at(2026, 3, 9, 3))]
    spans = run(**daily, range_start=at(2026, 10, 31, 12), range_end=at(2026, 11, 2, 12))
    assert spans == [(at(2026, 10, 31, 23), at(2026, 11, 1, 3)), (at(2026, 11, 2, 0), at(2026, 11, 2, 4))]
    spans = run(**daily, start=dt.time(1, 30), end=dt.time(2, 30), range_start=at(2026, 11, 1), range_end=at(2026, 11, 2))
    assert spans == [(at(2026, 11, 1, 5, 30), at(2026, 11, 1, 7, 30))]  # 01:30 EDT to 02:30 EST
    spans = run(**daily, start=dt.time(2, 30), end=dt.time(3, 30), range_start=at(2026, 3, 8), range_end=at(2026, 3, 9))
    assert spans == []  # 02:30 EST (fold=0, the gap) and 03:30 EDT are both 07:30 UTC: nothing is left


def timed(function, *args, **kwargs):
    """A hang guard, not a speed claim (speed is measured in bench/): expanded naively, these rules run
    for minutes or forever; refused or cut short they return at once. The bound is loose enough for a
    busy two-core CI machine."""
    started = time.perf_counter()
    try:
        return function(*args, **kwargs)
    finally:
        assert time.perf_counter() - started < 3, "a pathological input was expanded instead of refused"


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter a repeat pattern"),
    ("FREQ=WEEKLY;BYDAY=XX", "BYDAY cannot be"),
    ("FREQ=WEEKLY;BYDAY", "is not a valid part"),
    ("FREQ=WEEKLY;COLOR=RED", "Unknown part"),
    ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be"),
    ("FREQ=FORTNIGHTLY", "is not a frequency"),
    ("FREQ=HOURLY", "at most daily"),
    ("FREQ=MINUTELY;INTERVAL=1", "at most daily"),
    ("FREQ=SECONDLY", "at most daily"),
    ("FREQ=DAILY;BYHOUR=9", "Leave out BYHOUR"),
    ("DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY", "Leave DTSTART out"),
    ("FREQ=DAILY;DTSTART=20260101", "Leave DTSTART out"),
    ("FREQ=DAILY;COUNT=3;UNTIL=20260301", "COUNT or UNTIL"),
    ("FREQ=WEEKLY;BYDAY=1MO", "numbered weekday"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no date in the two years"),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "no date in the two years"),
    ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11", "no date in the two years"),
    ("FREQ=DAILY;UNTIL=20251231", "no date in the two years"),
    ("RRULE:FREQ=DAILY\nEXRULE:FREQ=DAILY", "no date in the two years"),
    ("FREQ=DAILY;INTERVAL=7;BYDAY=TU;COUNT=3", "no date in the two years"),  # 1 January 2026 is a Thursday
    ("RRULE:FREQ=WEEKLY;BYDAY=MO\nEXRULE:FREQ=DAILY;INTERVAL=1", "no date in the two years"),
    ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", "does not reach COUNT=3"),
    ("FREQ=YEARLY;COUNT=150", "does not reach COUNT=150 within 100 years"),
    ("FREQ=WEEKLY;INTERVAL=1000;COUNT=10", "does not reach COUNT=10"),
    ("FREQ=DAILY;INTERVAL=2;BYMONTH=2", "every-N-days"),
    ("X-COLOR:RED", "Unknown line"),
    ("EXDATE:20260101", "Give a repeat pattern"),
    ("FREQ=DAILY;" + "BYMONTH=1;" * 60, "too long"),
])
def test_bad_rules_are_refused_quickly(text, message):
    with pytest.raises(RuleError, match=message):
        timed(validate_rule_text, text, dt.date(2026, 1, 1))


@pytest.mark.parametrize("text", [
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
    "RRULE:FREQ=DAILY\nEXRULE:FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=7;BYDAY=TU;COUNT=3",
    "FREQ=WEEKLY;INTERVAL=3;BYMONTH=2;BYDAY=MO;UNTIL=20260101",
])
def test_rules_that_never_occur_expand_to_nothing_quickly(text):
    assert timed(run, text, starts_on=dt.date(2026, 1, 1), range_start=at(2026, 1, 1), range_end=at(2027, 12, 31)) == []


@pytest.mark.parametrize("text", [
    "FREQ=HOURLY",
    "DTSTART:20260101\nRRULE:FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=",
    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3",
])
def test_expand_refuses_bad_rules_quickly(text):
    with pytest.raises(RuleError):
        timed(run, text, range_start=at(2026, 1, 1), range_end=at(2026, 2, 1))


def test_a_text_of_many_costly_rules_runs_out_of_time(monkeypatch):
    # Each rule never occurs (the first Monday of a month is never its 30th or 31st), so dateutil searches a
    # whole 400-year cycle for it (about 25 ms each on an idle CI core); the budget stops the text. The
    # budget is set to 10 ms here so that the test does not depend on how fast the machine is.
    monkeypatch.setattr(recurrence, "TIME_BUDGET", 0.01)
    text = "RRULE:FREQ=DAILY" + "\nEXRULE:FREQ=MONTHLY;BYMONTHDAY=30,31;BYDAY=1MO" * 10
    with pytest.raises(RuleError, match="too complex"):
        validate_rule_text(text, dt.date(2026, 1, 1))
    with pytest.raises(RuleError, match="too complex"):
        run(text, range_start=at(2026, 1, 1), range_end=at(2027, 1, 1))


def test_validate_returns_normalized_text():
    start = dt.date(2026, 1, 1)
    assert validate_rule_text(" freq=weekly; byday=mo,tu ;", start) == "FREQ=WEEKLY;BYDAY=MO,TU"
    assert validate_rule_text("RRULE:FREQ=WEEKLY;UNTIL=20261231T235959Z", start) == "FREQ=WEEKLY;UNTIL=20261231"
    text = "exdate;value=date:20260112,20260105\nrrule:freq=weekly;byday=mo"
    assert validate_rule_text(text, start) == "RRULE:FREQ=WEEKLY;BYDAY=MO\nEXDATE:20260105,20260112"
    assert validate_rule_text("FREQ=MONTHLY;BYDAY=-1SU", start) == "FREQ=MONTHLY;BYDAY=-1SU"
    leap_day = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"
    assert validate_rule_text(leap_day, dt.date(2027, 6, 1)) == leap_day
    with pytest.raises(RuleError, match="no date in the two years"):
        validate_rule_text(leap_day, start)  # the next 29 February is in 2028


def test_ranges_longer_than_two_years_are_refused():
    start = at(2026, 1, 1)
    assert run(range_start=start, range_end=start + int(MAX_RANGE.total_seconds()))  # two years is fine
    with pytest.raises(RuleError, match="at most 731 days"):
        run(range_start=start, range_end=start + int(MAX_RANGE.total_seconds()) + 2 * 86400)
    with pytest.raises(RuleError, match="between the years 1900 and 8999"):
        run(range_start=at(9999, 1, 1), range_end=at(9999, 2, 1))


def test_bad_zone_and_exdates_are_refused():
    with pytest.raises(RuleError, match="not an IANA time zone"):
        run(zone="Mars/Olympus", range_start=at(2026, 1, 1), range_end=at(2026, 1, 2))
    with pytest.raises(RuleError, match="ISO dates"):
        run(exdates=["next tuesday"], range_start=at(2026, 1, 1), range_end=at(2026, 1, 2))


# Expansion against a naive reference: dateutil on the whole rule, zoneinfo per occurrence.

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def rules(draw):
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    interval = draw(st.sampled_from([1, 1, 2, 3, 10] if freq in ("DAILY", "WEEKLY") else [1, 2, 3]))
    parts = [f"FREQ={freq}", f"INTERVAL={interval}"]
    days = draw(st.lists(st.sampled_from(DAY_CODES), unique=True, max_size=4))
    if freq in ("DAILY", "WEEKLY"):
        if days:
            parts.append("BYDAY=" + ",".join(days))
        if draw(st.booleans()) and (freq == "WEEKLY" or interval == 1):
            parts.append("BYMONTH=" + ",".join(map(str, draw(st.lists(st.integers(1, 12), min_size=3, max_size=6, unique=True)))))
        if freq == "WEEKLY" and draw(st.booleans()):
            parts.append("WKST=" + draw(st.sampled_from(DAY_CODES)))
    elif freq == "MONTHLY":
        choice = draw(st.sampled_from(["default", "monthday", "nth"]))
        if choice == "monthday":
            parts.append("BYMONTHDAY=" + draw(st.sampled_from(["1", "15", "28", "-1", "1,-1"])))
        elif choice == "nth":
            parts.append("BYDAY=" + draw(st.sampled_from(["1FR", "-1SU", "2TU,4TU", "MO"])))
            if draw(st.booleans()):
                parts.append("BYSETPOS=1")
    elif draw(st.booleans()):
        parts.append(f"BYMONTH={draw(st.integers(1, 12))};BYMONTHDAY={draw(st.integers(1, 28))}")
    ending = draw(st.sampled_from(["none", "count", "until"]))
    if ending == "count":
        dense = freq in ("DAILY", "WEEKLY") and not any(part.startswith("BYMONTH") for part in parts)
        parts.append(f"COUNT={draw(st.integers(1, 300 if dense else 30))}")  # used up within 100 years
    elif ending == "until":
        parts.append("UNTIL=" + draw(st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1))).strftime("%Y%m%d"))
    return ";".join(parts)


def reference(text, starts_on, ends_on, start, end, zone, exdates, range_start, range_end):
    tz = zoneinfo.ZoneInfo(zone)
    first = dt.datetime.combine(dt.datetime.fromtimestamp(range_start, UTC).date() - dt.timedelta(days=2), dt.time())
    last = dt.datetime.combine(dt.datetime.fromtimestamp(range_end, UTC).date() + dt.timedelta(days=2), dt.time())
    out = []
    for occurrence in rrulestr(text, dtstart=dt.datetime.combine(starts_on, dt.time())).between(first, last, inc=True):
        day = occurrence.date()
        if (ends_on and day > ends_on) or day.isoformat() in exdates:
            continue
        s = int(dt.datetime.combine(day, start, tzinfo=tz).timestamp())
        end_day = day if end > start else day + dt.timedelta(days=1)
        e = int(dt.datetime.combine(end_day, end, tzinfo=tz).timestamp())
        out.append((max(s, range_start), min(e, range_end)))
    return normalize(out)


times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 30]))


@settings(max_examples=300, deadline=None)
@given(text=rules(), first=st.datetimes(dt.datetime(2025, 6, 1), dt.datetime(2027, 6, 1)), days=st.integers(1, 120),
       begins=st.integers(-3000, 60), ends=st.none() | st.integers(-10, 130), start=times, end=times,
       zone=st.sampled_from(ZONES), skipped=st.lists(st.integers(-3, 60), max_size=3))
def test_expand_matches_a_naive_dateutil_reference(text, first, days, begins, ends, start, end, zone, skipped):
    range_start = int(first.replace(tzinfo=UTC).timestamp()) // 60 * 60
    range_end = range_start + days * 86400
    starts_on = first.date() + dt.timedelta(days=begins)
    ends_on = None if ends is None else first.date() + dt.timedelta(days=ends)
    exdates = [(first.date() + dt.timedelta(days=offset)).isoformat() for offset in skipped]
    expected = reference(text, starts_on, ends_on, start, end, zone, exdates, range_start, range_end)
    assert run(text, start=start, end=end, zone=zone, starts_on=starts_on, ends_on=ends_on, exdates=exdates,
               range_start=range_start, range_end=range_end) == expected
