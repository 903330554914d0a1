"""Green zone for a line-up of 8 over a year, recurrence expansion included (budget: p95 <= 5 ms; the
intersection alone <= 1 ms). Pure Python, no database: ``.venv/bin/python bench/green_zone.py``.

Measures (a) free_time for all 8 members plus the act's evening window plus green_zone with a 3-hour
minimum; (b) green_zone alone on the already-expanded lists; (c) the all-free intersection alone, ours
against the ``portion`` library and a naive all-pairs loop on the same expanded input. Parsed rules and
time-zone offset tables are cached across runs (that is how the code runs in production); in (a) to (c)
expansions are not cached anywhere.

Then the act schedule's 90 days for bands of 14 and 200 (the same kind of members): (d) everything
expanded on every run, as before issue 12; (e) each member's expansion read from the availability cache
(``scheduling.availability_cache`` over Django's local-memory cache, warm), then the window and the
green zone worked out (what happens after one member changed something: only that one is expanded);
(f) the whole answer kept under the members' versions, as the schedule page reads it when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from functools import reduce

import portion
from django.conf import settings

from backline.scheduling.greenzone import GreenZone, PersonInput, RuleSpec, daily_window, free_time, green_zone
from backline.scheduling.intervals import intersect_many

MEMBERS = 8
DAYS = 365
RUNS = 200
SLOW_RUNS = 20  # portion and the naive loop are much slower
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ZONES = ["Europe/Berlin", "Europe/London", "Europe/Berlin", "Europe/Helsinki", "Europe/Berlin", "Europe/Lisbon",
         "Europe/Berlin", "Europe/Berlin"]
WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
BANDS = (14, 200)  # the act schedule: 90 days from START, as on the schedule page
BAND_DAYS = 90
BAND_RUNS = 20


def epoch(value: dt.datetime) -> int:
    return int(value.timestamp())


def member(index: int, rng: random.Random, range_start: int, range_end: int, key_by_number: bool = False) -> PersonInput:
    """A realistic year: evenings free, a day job, every other Sunday busy, a monthly commitment, for some
    weekends free, holidays and days off, and 20-60 gigs, rehearsals and imported calendar events."""
    zone = ZONES[index % len(ZONES)]
    starts_on = dt.date(2025, rng.randint(1, 12), rng.randint(1, 28))
    rules = [
        RuleSpec("free", WEEKDAYS, starts_on, dt.time(rng.choice([17, 18, 19])), dt.time(rng.choice([23, 0, 1])), zone),
        RuleSpec("busy", WEEKDAYS, starts_on, dt.time(rng.choice([8, 9])), dt.time(rng.choice([16, 17, 18])), zone,
                 exdates=("2026-05-01", "2026-12-24", "2026-12-25")),
    ]
    if index % 4 != 3:
        rules.append(RuleSpec("busy", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", starts_on, dt.time(10), dt.time(22), zone))
    if index % 3 == 0:
        rules.append(RuleSpec("free", "FREQ=WEEKLY;BYDAY=SA,SU", starts_on, dt.time(12), dt.time(2), zone))
    if index % 2 == 0:
        text = rng.choice(["FREQ=MONTHLY;BYDAY=1TH", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=MONTHLY;BYDAY=-1FR"])
        rules.append(RuleSpec("busy", text, starts_on, dt.time(19), dt.time(23), zone,
                              ends_on=dt.date(2026, 11, 30)))
    blocks = []
    for _ in range(rng.randint(5, 15)):
        start = range_start + rng.randrange(0, range_end - range_start, 86400)
        state = "busy" if rng.random() < 0.7 else "free"
        blocks.append((state, start, start + 86400 * rng.randint(1, 14 if state == "busy" else 2)))
    hard_busy = []
    for _ in range(rng.randint(20, 60)):
        start = range_start + rng.randrange(0, range_end - range_start, 1800)
        hard_busy.append((start, start + 1800 * rng.randint(2, 10)))
    key = index if key_by_number else f"member-{index}"
    return PersonInput(key=key, default_state=rng.choice(["unknown", "free", "busy"]), rules=rules,
                       blocks=blocks, hard_busy=hard_busy)


def whole(people: list[PersonInput], range_start: int, range_end: int) -> GreenZone:
    """Measure (a): everything from the members' rules to the green zone."""
    free = {person.key: free_time(person, range_start, range_end) for person in people}
    window = daily_window("Europe/Berlin", dt.time(18), dt.time(2), range_start, range_end)
    return green_zone(free, [person.key for person in people], window=window, min_seconds=3 * 3600)


def from_the_cache(people: list[PersonInput], range_start: int, range_end: int) -> GreenZone:
    """Measure (e): each member's free time from the availability cache (expanded on a miss only), then the
    evening window and the green zone, as ``selectors.green_zone_for_act`` does."""
    from backline.scheduling.availability_cache import cached

    by_key = {person.key: person for person in people}
    free = cached(list(by_key), kind="free", start=range_start, end=range_end,
                  load=lambda keys: {key: free_time(by_key[key], range_start, range_end) for key in keys})
    window = daily_window("Europe/Berlin", dt.time(18), dt.time(2), range_start, range_end)
    return green_zone(free, list(by_key), window=window, min_seconds=3 * 3600)


def kept_answer(people: list[PersonInput], range_start: int, range_end: int) -> GreenZone:
    """Measure (f): the answer kept under the members' versions (``availability_cache.kept``)."""
    from backline.scheduling.availability_cache import kept

    return kept([person.key for person in people], name="bench-green-zone", parts=(range_start, range_end),
                compute=lambda: from_the_cache(people, range_start, range_end))


def bands(rng: random.Random) -> list[tuple[str, list[float]]]:
    """Rows (d) and (e) for each band size."""
    if not settings.configured:  # the local-memory cache only: still no database
        settings.configure(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                               "OPTIONS": {"MAX_ENTRIES": 50_000}}})
    range_start, range_end = epoch(START), epoch(START + dt.timedelta(days=BAND_DAYS))
    rows = []
    for size in BANDS:
        people = [member(index, rng, range_start, range_end, key_by_number=True) for index in range(size)]
        expanded_ms, expanded = timed(whole, people, range_start, range_end, runs=BAND_RUNS)
        from_the_cache(people, range_start, range_end)  # the first visit fills the cache
        cached_ms, kept = timed(from_the_cache, people, range_start, range_end, runs=BAND_RUNS)
        kept_answer(people, range_start, range_end)
        kept_ms, whole_answer = timed(kept_answer, people, range_start, range_end, runs=BAND_RUNS)
        assert kept == whole_answer == expanded, "the cached green zone differs from the expanded one"
        rows += [(f"(d) {size} members, {BAND_DAYS} days, all expanded each time", expanded_ms),
                 (f"(e) {size} members, {BAND_DAYS} days, expansions cached", cached_ms),
                 (f"(f) {size} members, {BAND_DAYS} days, whole answer kept", kept_ms)]
    return rows


def with_portion(lists: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    built = [portion.Interval(*(portion.closedopen(start, end) for start, end in free)) for free in lists]
    result = reduce(lambda a, b: a & b, built)
    return [(iv.lower, iv.upper) for iv in result if not iv.empty]


def with_naive(lists: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    result = lists[0]
    for other in lists[1:]:
        result = sorted((max(s1, s2), min(e1, e2)) for s1, e1 in result for s2, e2 in other if max(s1, s2) < min(e1, e2))
    return result


def timed(function: Callable, *args: object, runs: int) -> tuple[list[float], object]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function(*args)
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    rng = random.Random(2026)
    range_start, range_end = epoch(START), epoch(START + dt.timedelta(days=DAYS))
    people = [member(index, rng, range_start, range_end) for index in range(MEMBERS)]
    keys = [person.key for person in people]
    whole(people, range_start, range_end)  # parse the rules once, as a warm process would have them

    whole_ms, zone = timed(whole, people, range_start, range_end, runs=RUNS)
    free = {person.key: free_time(person, range_start, range_end) for person in people}
    window = daily_window("Europe/Berlin", dt.time(18), dt.time(2), range_start, range_end)
    intersect_ms, alone = timed(lambda: green_zone(free, keys, window=window, min_seconds=3 * 3600), runs=RUNS)
    assert alone == zone

    lists = [window, *free.values()]
    ours_ms, ours = timed(intersect_many, lists, runs=RUNS)
    portion_ms, theirs = timed(with_portion, lists, runs=SLOW_RUNS)
    naive_ms, naive = timed(with_naive, lists, runs=SLOW_RUNS)
    assert ours == theirs == naive, "the three intersections disagree"
    vs_portion = statistics.median(portion_ms) / statistics.median(ours_ms)
    vs_naive = statistics.median(naive_ms) / statistics.median(ours_ms)

    intervals = sum(len(value) for value in free.values())
    print(f"{MEMBERS} members, {DAYS} days, {sum(len(p.rules) for p in people)} rules, "
          f"{sum(len(p.blocks) for p in people)} one-off blocks, {sum(len(p.hard_busy) for p in people)} hard-busy spans; "
          f"{intervals} free intervals, window of {len(window)} evenings, {len(zone.all_free)} green spans of 3 h+, "
          f"{len(zone.all_but_one)} all-but-one spans")
    print(f"{'measure':<58} {'runs':>5} {'median ms':>10} {'p95 ms':>8}")
    rows = [("(a) whole green zone, recurrence included", whole_ms),
            ("(b) green_zone on expanded lists (all free + all but one)", intersect_ms),
            ("(c) all-free intersection: ours (intersect_many)", ours_ms),
            ("(c) all-free intersection: portion", portion_ms),
            ("(c) all-free intersection: naive all pairs", naive_ms),
            *bands(rng)]
    for label, samples in rows:
        print(f"{label:<58} {len(samples):>5} {statistics.median(samples):>10.3f} {p95(samples):>8.3f}")
    print("ratios are medians, their time / ours")
    print(f"green_zone members={MEMBERS} days={DAYS} p95_ms={p95(whole_ms):.2f} intersect_p95_ms={p95(intersect_ms):.2f} "
          f"vs_portion={vs_portion:.1f}x vs_naive={vs_naive:.1f}x")


if __name__ == "__main__":
    main()
