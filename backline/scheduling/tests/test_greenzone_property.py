"""free_time, daily_window and green_zone against a minute-by-minute oracle written from the definitions."""

import datetime as dt
import zoneinfo

from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from backline.scheduling.greenzone import GreenZone, PersonInput, RuleSpec, daily_window, free_time, green_zone

UTC = dt.UTC
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]
# Days around the 2026 daylight-saving changes in New York (8 March, 1 November) and Europe (29 March, 25 October).
CHANGES = {dt.date(2026, 3, 8): "America/New_York", dt.date(2026, 3, 29): "Europe/Berlin",
           dt.date(2026, 10, 25): "Europe/Berlin", dt.date(2026, 11, 1): "America/New_York"}
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def at(*args) -> int:
    return int(dt.datetime(*args, tzinfo=UTC).timestamp())


# ---------------------------------------------------------------- the oracle: one boolean per minute


def local_span(day, start, end, zone):
    """UTC seconds of ``start`` on ``day`` to ``end`` (the next day if not after ``start``), fold=0."""
    tz = zoneinfo.ZoneInfo(zone)
    end_day = day if end > start else day + dt.timedelta(days=1)
    return (int(dt.datetime.combine(day, start, tzinfo=tz).timestamp()),
            int(dt.datetime.combine(end_day, end, tzinfo=tz).timestamp()))


def mark(grid, range_start, start, end):
    first, last = max(0, (start - range_start) // 60), min(len(grid), (end - range_start) // 60)
    if first < last:
        grid[first:last] = [True] * (last - first)


def days_around(range_start, range_end):
    first = dt.datetime.fromtimestamp(range_start, UTC).date() - dt.timedelta(days=2)
    return [first + dt.timedelta(days=n) for n in range((range_end - range_start) // 86400 + 5)]


def oracle_rule(rule, range_start, range_end):
    grid = [False] * ((range_end - range_start) // 60)
    days = days_around(range_start, range_end)
    pattern = rrulestr(rule.rule_text, dtstart=dt.datetime.combine(rule.starts_on, dt.time()))
    for occurrence in pattern.between(dt.datetime.combine(days[0], dt.time()), dt.datetime.combine(days[-1], dt.time()),
                                      inc=True):
        day = occurrence.date()
        if (rule.ends_on is None or day <= rule.ends_on) and day.isoformat() not in rule.exdates:
            mark(grid, range_start, *local_span(day, rule.start_time, rule.end_time, rule.time_zone))
    return grid


def oracle_free(person, range_start, range_end):
    size = (range_end - range_start) // 60
    free = [person.default_state == "free"] * size
    layers = [[(rule.state, oracle_rule(rule, range_start, range_end)) for rule in person.rules]]
    blocks = []
    for state, start, end in person.blocks:
        grid = [False] * size
        mark(grid, range_start, start, end)
        blocks.append((state, grid))
    layers.append(blocks)
    for layer in layers:
        for m in range(size):
            if any(grid[m] for state, grid in layer if state == "busy"):
                free[m] = False
            elif any(grid[m] for state, grid in layer if state == "free"):
                free[m] = True
    for start, end in person.hard_busy:
        grid = [False] * size
        mark(grid, range_start, start, end)
        free = [f and not b for f, b in zip(free, grid)]
    return free


def oracle_window(zone, start, end, range_start, range_end):
    grid = [False] * ((range_end - range_start) // 60)
    for day in days_around(range_start, range_end):
        mark(grid, range_start, *local_span(day, start, end, zone))
    return grid


def runs(labels, range_start, min_seconds):
    """Maximal runs of equal non-None labels as ((start, end), label), at least ``min_seconds`` long."""
    out, begin = [], 0
    for m in range(1, len(labels) + 1):
        if m == len(labels) or labels[m] != labels[begin]:
            if labels[begin] is not None and (m - begin) * 60 >= min_seconds:
                out.append(((range_start + begin * 60, range_start + m * 60), labels[begin]))
            begin = m
    return out


def oracle_green_zone(free_by_key, required, window, range_start, min_seconds):
    if not required:
        return GreenZone([], [])
    size = len(window)
    everyone = [window[m] and all(free_by_key[k][m] for k in required) or None for m in range(size)]
    all_free = [span for span, _ in runs(everyone, range_start, min_seconds)]
    missing = []
    for m in range(size):
        away = [k for k in required if not free_by_key[k][m]]
        missing.append(away[0] if window[m] and len(away) == 1 and len(required) > 1 else None)
    return GreenZone(all_free, runs(missing, range_start, min_seconds))


def grid_of(intervals, range_start, range_end):
    grid = [False] * ((range_end - range_start) // 60)
    for start, end in intervals:
        mark(grid, range_start, start, end)
    return grid


# ---------------------------------------------------------------- random line-ups

times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def ranges(draw):
    """A range of one to four days, mostly across a daylight-saving change, and the zone that changes."""
    any_day = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    base = draw(st.sampled_from(sorted(CHANGES)) if draw(st.integers(0, 3)) else any_day)
    start = dt.datetime.combine(base, dt.time(), tzinfo=UTC) + dt.timedelta(hours=draw(st.integers(-60, 12)),
                                                                         minutes=draw(st.sampled_from([0, 15, 30, 45])))
    length = dt.timedelta(days=draw(st.integers(1, 4)), minutes=15 * draw(st.integers(-48, 48)))
    return int(start.timestamp()), int((start + length).timestamp()), CHANGES.get(base, "UTC")


@st.composite
def rule_texts(draw):
    days = draw(st.lists(st.sampled_from(DAY_CODES), min_size=1, max_size=5, unique=True))
    interval = draw(st.integers(1, 2))
    return draw(st.sampled_from([
        f"FREQ=DAILY;INTERVAL={interval}",
        f"FREQ=WEEKLY;BYDAY={','.join(days)}",
        f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={','.join(days)}",
    ]))


@st.composite
def people(draw, key, range_start, range_end, changing_zone):
    zone = draw(st.sampled_from([changing_zone, changing_zone, *ZONES]))
    first = dt.datetime.fromtimestamp(range_start, UTC).date()
    near = st.integers(-3, 4).map(lambda n: first + dt.timedelta(days=n))
    rules = [RuleSpec(state=draw(st.sampled_from(["free", "free", "busy"])), rule_text=draw(rule_texts()),
                      starts_on=first + dt.timedelta(days=draw(st.integers(-10, 2))), start_time=draw(times),
                      end_time=draw(times), time_zone=draw(st.sampled_from([zone, zone, *ZONES])),
                      ends_on=draw(st.none() | near), exdates=tuple(day.isoformat() for day in draw(st.lists(near, max_size=2))))
             for _ in range(draw(st.integers(0, 3)))]
    instants = st.integers((range_start - 86400) // 900, (range_end + 86400) // 900).map(lambda q: q * 900)
    spans = st.tuples(instants, st.integers(1, 8 * 4).map(lambda q: q * 900)).map(lambda p: (p[0], p[0] + p[1]))
    blocks = [(draw(st.sampled_from(["free", "busy"])), *draw(spans)) for _ in range(draw(st.integers(0, 2)))]
    return PersonInput(key=key, default_state=draw(st.sampled_from(["free", "free", "busy", "unknown"])), rules=rules,
                       blocks=blocks, hard_busy=draw(st.lists(spans, max_size=2)))


@st.composite
def scenarios(draw):
    range_start, range_end, changing_zone = draw(ranges())
    members = [draw(people(f"member-{n}", range_start, range_end, changing_zone)) for n in range(draw(st.integers(2, 4)))]
    keys = [person.key for person in members]
    required = draw(st.sampled_from([keys, keys, keys[:1], []]) | st.lists(st.sampled_from(keys), unique=True))
    window = draw(st.none() | st.tuples(st.sampled_from([changing_zone, *ZONES]), times, times))
    min_seconds = draw(st.sampled_from([0, 900, 3 * 3600]))
    return range_start, range_end, members, required, window, min_seconds


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_green_zone_matches_the_minute_oracle(scenario):
    range_start, range_end, members, required, window, min_seconds = scenario
    free_by_key, oracle_by_key = {}, {}
    for person in members:
        free_by_key[person.key] = free_time(person, range_start, range_end)
        oracle_by_key[person.key] = oracle_free(person, range_start, range_end)
        assert grid_of(free_by_key[person.key], range_start, range_end) == oracle_by_key[person.key], person.key
        assert [span for span, _ in runs([f or None for f in oracle_by_key[person.key]], range_start, 0)] == \
            free_by_key[person.key]  # normalized: exactly the maximal runs
    if window is None:
        spans, window_grid = None, [True] * ((range_end - range_start) // 60)
    else:
        spans = daily_window(*window, range_start, range_end)
        window_grid = oracle_window(*window, range_start, range_end)
        assert grid_of(spans, range_start, range_end) == window_grid
    got = green_zone(free_by_key, required, window=spans, min_seconds=min_seconds)
    assert got == oracle_green_zone(oracle_by_key, required, window_grid, range_start, min_seconds)


# ---------------------------------------------------------------- a band in Berlin and New York, October 2026


def test_berlin_and_new_york_band_across_the_october_changes():
    """Anna is free 19:00-23:00 in Berlin, Ben 14:00-18:00 in New York. Berlin leaves summer time on 25 October,
    New York on 1 November: for that week the two cities are five hours apart instead of six."""
    range_start, range_end = at(2026, 10, 22), at(2026, 11, 3)
    anna = PersonInput(key="anna", default_state="unknown", rules=[
        RuleSpec("free", "FREQ=DAILY", dt.date(2026, 1, 1), dt.time(19), dt.time(23), "Europe/Berlin")])
    ben = PersonInput(key="ben", default_state="unknown", rules=[
        RuleSpec("free", "FREQ=DAILY", dt.date(2026, 1, 1), dt.time(14), dt.time(18), "America/New_York")],
        hard_busy=[(at(2026, 10, 28, 18), at(2026, 10, 28, 20))])  # a rehearsal with another act
    free = {person.key: free_time(person, range_start, range_end) for person in (anna, ben)}
    assert free["anna"][:4] == [(at(2026, 10, day, 17), at(2026, 10, day, 21)) for day in (22, 23, 24)] + [
        (at(2026, 10, 25, 18), at(2026, 10, 25, 22))]
    assert free["ben"][-3:] == [(at(2026, 10, 31, 18), at(2026, 10, 31, 22)), (at(2026, 11, 1, 19), at(2026, 11, 1, 23)),
                                (at(2026, 11, 2, 19), at(2026, 11, 2, 23))]

    zone = green_zone(free, ["anna", "ben"], window=None, min_seconds=3 * 3600)
    assert zone.all_free == (
        [(at(2026, 10, day, 18), at(2026, 10, day, 21)) for day in (22, 23, 24)]  # CEST and EDT: 6 hours apart
        + [(at(2026, 10, day, 18), at(2026, 10, day, 22)) for day in (25, 26, 27, 29, 30, 31)]  # CET and EDT: 5
        + [(at(2026, 11, day, 19), at(2026, 11, day, 22)) for day in (1, 2)])  # CET and EST: 6 again
    assert zone.all_but_one == []  # nothing lasts three hours

    zone = green_zone(free, ["anna", "ben"], window=None, min_seconds=0)
    assert (at(2026, 10, 28, 20), at(2026, 10, 28, 22)) in zone.all_free
    assert zone.all_but_one == (
        [item for day in (22, 23, 24) for item in [((at(2026, 10, day, 17), at(2026, 10, day, 18)), "ben"),
                                                   ((at(2026, 10, day, 21), at(2026, 10, day, 22)), "anna")]]
        + [((at(2026, 10, 28, 18), at(2026, 10, 28, 20)), "ben")]
        + [item for day in (1, 2) for item in [((at(2026, 11, day, 18), at(2026, 11, day, 19)), "ben"),
                                               ((at(2026, 11, day, 22), at(2026, 11, day, 23)), "anna")]])

    evenings = daily_window("Europe/Berlin", dt.time(20), dt.time(23, 30), range_start, range_end)
    zone = green_zone(free, ["anna", "ben"], window=evenings, min_seconds=0)
    assert zone.all_free[0] == (at(2026, 10, 22, 18), at(2026, 10, 22, 21))  # 20:00-23:00 CEST
    assert zone.all_free[-1] == (at(2026, 11, 2, 19), at(2026, 11, 2, 22))  # 20:00-23:00 CET


def test_edge_cases_of_green_zone():
    free = {"a": [(0, 100)], "b": [(50, 150)]}
    assert green_zone(free, []) == GreenZone([], [])
    assert green_zone(free, ["a"]) == GreenZone([(0, 100)], [])
    assert green_zone(free, ["a", "a", "b"]) == GreenZone([(50, 100)], [((0, 50), "b"), ((100, 150), "a")])
    assert green_zone(free, ["a", "nobody"]) == GreenZone([], [((0, 100), "nobody")])  # unknown members are never free
    assert green_zone(free, ["a", "b"], window=[(0, 60)], min_seconds=20) == GreenZone([], [((0, 50), "b")])


def test_precedence_of_layers():
    day = at(2026, 6, 1)
    job = RuleSpec("busy", "FREQ=DAILY", dt.date(2026, 1, 1), dt.time(9), dt.time(17), "UTC")
    evenings = RuleSpec("free", "FREQ=DAILY", dt.date(2026, 1, 1), dt.time(16), dt.time(20), "UTC")
    person = PersonInput(key="p", default_state="unknown", rules=[job, evenings])
    assert free_time(person, day, day + 86400) == [(day + 17 * 3600, day + 20 * 3600)]  # busy wins within a layer
    person.blocks = [("free", day + 10 * 3600, day + 12 * 3600), ("busy", day + 19 * 3600, day + 21 * 3600)]
    assert free_time(person, day, day + 86400) == [(day + 10 * 3600, day + 12 * 3600), (day + 17 * 3600, day + 19 * 3600)]
    person.hard_busy = [(day + 11 * 3600, day + 18 * 3600)]
    assert free_time(person, day, day + 86400) == [(day + 10 * 3600, day + 11 * 3600), (day + 18 * 3600, day + 19 * 3600)]
    person = PersonInput(key="q", default_state="free", blocks=[("busy", day - 3600, day + 3600)])
    assert free_time(person, day, day + 86400) == [(day + 3600, day + 86400)]
    assert free_time(PersonInput(key="r", default_state="unknown"), day, day + 86400) == []
