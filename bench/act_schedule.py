"""An act's schedule page for bands of 14 and 200 members (issue 12: it took 27 ms for 14 and 137 ms for 200,
because every member's availability was expanded on every request). Through the whole HTTP stack in-process
(django.test.Client: routing, middleware, session, the view, the template), as the act's owner.

    .venv/bin/python bench/act_schedule.py     # always a fresh /tmp/backline_bench_schedule.sqlite3

Each member has the demo's kind of week (weekday evenings free, a day job busy, a monthly evening busy), a
one-off busy day and a rehearsal of another act; the schedule's green zone covers 90 days. Measured: 60
requests after 5 warm-ups (the first of which fills the cache, as the first visit of the day does).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from pathlib import Path

SQLITE_FILE = Path("/tmp/backline_bench_schedule.sqlite3")
BANDS = (14, 200)
RUNS, WARMUP = 60, 5


def prepare_database() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backline.config.settings")
    os.environ.setdefault("DEBUG", "false")


def band(size: int, today: dt.date):
    """An act of ``size`` with accounts for everyone, their weeks in bulk (as the services leave them)."""
    from backline.accounts.models import Membership, Role, User
    from backline.artists import services as artists
    from backline.artists.models import ActMember
    from backline.core.places import find_city
    from backline.scheduling.models import AvailabilityBlock, AvailabilityRule, Commitment, PersonSchedule

    owner = User.objects.create_user(email=f"owner{size}@bench.example.org", password="bench-password",
                                      name=f"Owner {size}", time_zone="Europe/Berlin")
    act = artists.act_create(actor=owner, name=f"The {size} Piece Band",
                             geoname_id=find_city("Berlin", "DE").geoname_id)
    people = User.objects.bulk_create([User(email=f"m{size}-{i}@bench.example.org", name=f"Member {i}",
                                            time_zone="Europe/Berlin") for i in range(size - 1)])
    Membership.objects.bulk_create([Membership(user=u, workspace=act.workspace, role=Role.MEMBER) for u in people])
    ActMember.objects.bulk_create([ActMember(act=act, user=u, name=u.name) for u in people])
    everyone = [owner, *people]
    PersonSchedule.objects.bulk_create([PersonSchedule(user=u, default_state="unknown") for u in everyone])
    first = today - dt.timedelta(days=30)
    rules = []
    for i, u in enumerate(everyone):
        rules += [
            AvailabilityRule(user=u, state="free", starts_on=first, start_time=dt.time(18 + i % 2), end_time=dt.time(23, 30),
                             rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time_zone="Europe/Berlin"),
            AvailabilityRule(user=u, state="busy", starts_on=first, start_time=dt.time(9), end_time=dt.time(17, 30),
                             rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time_zone="Europe/Berlin"),
            AvailabilityRule(user=u, state="busy", starts_on=first, start_time=dt.time(18), end_time=dt.time(22),
                             rrule=f"FREQ=MONTHLY;BYDAY={1 + i % 4}TU", time_zone="Europe/Berlin"),
        ]
    AvailabilityRule.objects.bulk_create(rules)
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    AvailabilityBlock.objects.bulk_create([
        AvailabilityBlock(user=u, state="busy", starts_at=now + dt.timedelta(days=5 + i % 60),
                          ends_at=now + dt.timedelta(days=6 + i % 60), time_zone="Europe/Berlin")
        for i, u in enumerate(everyone)])
    Commitment.objects.bulk_create([
        Commitment(user=u, workspace=act.workspace, source_type="act_event", source_id=10_000 + i, title="Rehearsal",
                   starts_at=now + dt.timedelta(days=3 + i % 40, hours=1), ends_at=now + dt.timedelta(days=3 + i % 40, hours=4),
                   time_zone="Europe/Berlin", status="confirmed")
        for i, u in enumerate(everyone)])
    return owner, act


def measure(client, path: str) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(path).status_code == 200
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return samples, len(ctx)


def main() -> None:
    prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    results = []
    for size in BANDS:
        owner, act = band(size, today)
        client = Client()
        client.force_login(owner)
        samples, queries = measure(client, f"/w/{act.workspace.slug}/schedule/")
        results.append((size, samples, queries))
    print(f"{'act schedule page (90 days, evenings)':<40} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for size, samples, queries in results:
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(f"{f'{size} members':<40} {len(samples):>5} {statistics.median(samples):>8.2f} {p95:>8.2f} {queries:>8}")
    print(f"machine: nproc={os.cpu_count()}, python={platform.python_version()}, database=sqlite")
    (_, small, _), (_, big, _) = results[0], results[-1]
    print(f"act_schedule members={BANDS[0]},{BANDS[-1]} p50_ms={statistics.median(small):.2f},{statistics.median(big):.2f} "
          f"ratio={statistics.median(big) / statistics.median(small):.2f}x")


if __name__ == "__main__":
    main()
