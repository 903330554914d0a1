"""The booking API on 100,000 bookings (budget, ARCHITECTURE.md §4: p95 <= 50 ms and a query count that does
not grow with the page size). Loads the data set, then measures the list (50 rows of one workspace in a date
range), detail and search endpoints through the whole HTTP stack in-process (django.test.Client: routing,
middleware, bearer auth, ninja, serialisation) as the owner of a busy venue.

    .venv/bin/python bench/bookings_api.py        # SQLite: always a fresh /tmp/backline_bench.sqlite3
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/backline_bench .venv/bin/python bench/bookings_api.py

On PostgreSQL the database is always ``backline_bench`` on the URL's server, dropped and recreated each run.
Users are bulk-created; workspaces, acts and venues go through the services; bookings (with their search text), offers and
commitments are bulk-created as the services would have left them: ranked holds per venue and day, offer versions ending in
the booking's stage, an exclusive commitment per confirmed show for the act's performer (never overlapping: an
act plays at most one show a day). The data set is ANALYZEd, as a live database would be.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROWS, ACTS, BUYERS, BUSY_SHARE = 100_000, 200, 40, 0.08  # the busy venue holds 8% of the bookings
RUNS, WARMUP, BATCH, DAYS = 300, 20, 5000, 1000  # shows from two years ago to ~9 months ahead
DB_NAME, SQLITE_FILE, DOMAIN = "backline_bench", Path("/tmp/backline_bench.sqlite3"), "bench.example.org"
CITIES = [("Berlin", "DE"), ("Hamburg", "DE"), ("London", "GB"), ("Manchester", "GB"), ("Paris", "FR"),
          ("Amsterdam", "NL"), ("Vienna", "AT"), ("Prague", "CZ"), ("Copenhagen", "DK"), ("Lisbon", "PT")]
FIRST = ["Velvet", "Paper", "Northern", "Electric", "Lonesome", "Midnight", "Copper", "Glass", "Neon", "Salt"]
SECOND = ["Owls", "Harbour", "Foxes", "Satellites", "Lanterns", "Machines", "Pines", "Tides", "Comets", "Saints"]
SHOWS = ["live", "headline", "album release", "acoustic set", "club night", "festival warm-up", "tour opener",
         "+ support", "anniversary show", "late show"]
PRIVATE = ["wedding", "corporate party", "birthday", "gala dinner", "summer party"]
SEARCH_WORDS = ["acoustic", "festival", "anniversary"]
# How a show ends up, in percent, by whether its day is past or still ahead.
PAST = {"completed": 50, "confirmed": 5, "cancelled": 8, "lost": 12, "released": 8, "declined": 7, "expired": 10}
AHEAD = {"inquiry": 25, "hold": 20, "offer": 15, "confirmed": 30, "cancelled": 5, "lost": 5}
# Offer versions (min, max) per booking stage, and the stage of the last version (earlier ones are superseded).
VERSIONS = {"hold": (0, 1), "offer": (1, 3), "confirmed": (1, 4), "completed": (1, 4), "cancelled": (1, 2),
            "released": (0, 1), "declined": (1, 2), "expired": (1, 1)}
LAST_OFFER = {"hold": "withdrawn", "offer": "proposed", "confirmed": "accepted", "completed": "accepted",
              "cancelled": "accepted", "released": "withdrawn", "declined": "declined", "expired": "expired"}


def prepare_database() -> None:
    """Point DATABASE_URL at a fresh dedicated database (never the project's own)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        import psycopg

        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{DB_NAME}"))
        with psycopg.connect(urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), autocommit=True) as pg:
            pg.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            pg.execute(f"CREATE DATABASE {DB_NAME}")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backline.config.settings")
    os.environ.setdefault("DEBUG", "false")


def build(rng: random.Random):
    """The world through the services, then the bookings in bulk. Returns the busy venue's owner and workspace
    and the first day of the data set."""
    from django.db import connection
    from django.utils import timezone

    from backline.accounts import services as accounts
    from backline.accounts.models import User
    from backline.artists import services as artists
    from backline.bookings.indexing import booking_text
    from backline.bookings.models import Booking, Client, Offer, Source
    from backline.core.places import find_city
    from backline.scheduling.models import Commitment
    from backline.venues import services as venues

    cities = [find_city(name, cc) for name, cc in CITIES]
    users = User.objects.bulk_create([User(email=f"bench{i:03d}@{DOMAIN}", name=f"{rng.choice(FIRST)} {i}",
                                           password="!") for i in range(ACTS + BUYERS)])
    acts = [artists.act_create(actor=u, name=f"The {rng.choice(FIRST)} {rng.choice(SECOND)}",
                               geoname_id=rng.choice(cities).geoname_id) for u in users[:ACTS]]
    buyers = []  # (owner, workspace, venues, clients)
    for i, owner in enumerate(users[ACTS:]):
        city, name = cities[i % len(cities)], f"{rng.choice(FIRST)} {rng.choice(['Hall', 'Club', 'Social', 'Rooms'])}"
        room = {"capacity": rng.choice([150, 300, 600, 1200]), "geoname_id": city.geoname_id}
        if i < 32:
            places, clients = [venues.venue_workspace_create(actor=owner, name=name, **room)], []
            ws = places[0].workspace
        elif i < 38:
            ws = accounts.workspace_create(actor=owner, kind="promoter", name=f"{name} Presents", geoname_id=city.geoname_id)
            places = [venues.venue_create(actor=owner, workspace_id=ws.pk, name=f"{name} {n + 1}", **room) for n in range(2)]
            clients = []
        else:
            ws = accounts.workspace_create(actor=owner, kind="agency", name=f"{name} Agency", geoname_id=city.geoname_id)
            places, clients = [], Client.objects.bulk_create([Client(workspace=ws, name=f"Client {ws.pk}-{n}",
                                                                     city_name=city.name) for n in range(30)])
        buyers.append((owner, ws, places, clients))

    now, rest = timezone.now(), (1 - BUSY_SHARE) / (BUYERS - 1)
    today = timezone.localdate(now)
    first = today - dt.timedelta(days=730)
    buyer_of = rng.choices(range(BUYERS), weights=[BUSY_SHARE] + [rest] * (BUYERS - 1), k=ROWS)
    ranks, bookings, plans = Counter(), [], []
    for i in range(ROWS):
        act = acts[i % ACTS]  # each act's shows fall on distinct days: 2 * (i // ACTS) + 0 or 1
        day = first + dt.timedelta(days=2 * (i // ACTS) + rng.randint(0, 1))
        owner, ws, places, clients = buyers[buyer_of[i]]
        venue, client = (rng.choice(places), None) if places else (None, rng.choice(clients))
        odds, tz = PAST if day < today else AHEAD, venue.time_zone if venue else ws.time_zone
        status = rng.choices(list(odds), weights=list(odds.values()))[0]
        title = f"{act.workspace.name} {rng.choice(SHOWS)}" if venue else f"{client.name} {rng.choice(PRIVATE)}"
        b = Booking(workspace=ws, reference=f"BL-{i * 2654435761 % 2**32:08X}", title=title, status=status,
                    act=act if venue else None, venue=venue, client=client, source=rng.choice(Source.values),
                    contact_name=f"Contact {i}", contact_email=f"contact{i}@{DOMAIN}", date_from=day, date_to=day,
                    location=venue.city_name if venue else ws.city_name, budget=Decimal(rng.randrange(300, 5000, 50)),
                    currency=ws.currency, time_zone=tz, created_by=owner)
        if status not in ("inquiry", "lost"):
            b.starts_at = dt.datetime.combine(day, dt.time(rng.choice([19, 20, 21])), tzinfo=ZoneInfo(tz))
            b.ends_at = b.starts_at + dt.timedelta(minutes=rng.choice([90, 120, 150]))
        if status in ("hold", "offer"):  # open deals (all ahead) expire soon, never after the show
            ranks[b.venue_id, day] += 1
            b.hold_rank = ranks[b.venue_id, day] if venue else None
            b.hold_expires_at = min(b.starts_at, now + dt.timedelta(days=rng.randint(2, 21)))
            b.offer_expires_at = b.hold_expires_at if status == "offer" else None
        if status in ("confirmed", "completed", "cancelled"):
            b.confirmed_at = b.contract_issued_at = b.starts_at - dt.timedelta(days=30)
        if status in ("lost", "cancelled", "released", "declined", "expired"):
            b.close_reason = f"Bench: {status}."
        b.search_text = booking_text(b)  # as the services leave it (indexing.index_booking)
        bookings.append(b)
        plans.append((rng.randint(*VERSIONS.get(status, (0, 0))), users[i % ACTS].pk if venue else None))
    Booking.objects.bulk_create(bookings, batch_size=BATCH)

    offers, commitments = [], []
    for b, (versions, performer) in zip(bookings, plans, strict=True):
        for v in range(1, versions + 1):
            kind = rng.choice(["guarantee", "door", "versus"]) if b.act_id else "flat"
            fee = None if kind == "door" else Decimal(rng.randrange(200, 4000, 50))
            offers.append(Offer(booking=b, version=v, side="act" if b.act_id and v % 2 == 0 else "buyer",
                                status=LAST_OFFER[b.status] if v == versions else "superseded", deal_type=kind,
                                currency=b.currency, guarantee=fee, percent=None if kind in ("guarantee", "flat") else
                                Decimal(rng.choice([60, 70, 80])), expenses=Decimal(rng.choice([0, 150, 300])),
                                set_minutes=rng.choice([45, 60, 90]), capacity=b.venue.capacity if b.venue else None,
                                doors=dt.time(19), created_by=b.created_by))
        accepted = versions and LAST_OFFER.get(b.status) == "accepted"
        if accepted and performer:  # a cancelled show released its commitment
            commitments.append(Commitment(user_id=performer, workspace_id=b.workspace_id, source_type="booking",
                                          source_id=b.pk, title=b.title, location=b.venue.name, starts_at=b.starts_at,
                                          ends_at=b.ends_at, time_zone=b.time_zone, exclusive=True,
                                          status="cancelled" if b.status == "cancelled" else "confirmed"))
    Offer.objects.bulk_create(offers, batch_size=BATCH)
    Commitment.objects.bulk_create(commitments, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    busy_owner, busy = buyers[0][0], buyers[0][1]
    print(f"data: {len(users)} users, {ACTS} acts, {BUYERS} buyers (32 venues, 6 promoters, 2 agencies), {len(bookings)} "
          f"bookings, {len(offers)} offers, {len(commitments)} commitments; busy venue {busy.name!r}: "
          f"{Booking.objects.filter(workspace=busy).count()} bookings")
    return busy_owner, busy, first


def measure(client, paths: list[str]) -> tuple[list[float], list[int]] | None:
    """Time each GET (the first WARMUP not kept) and count its SQL queries; None when the endpoint is missing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, queries = [], []
    for n, path in enumerate(paths):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code == 404 and n == 0:
            return None
        assert response.status_code == 200, (path, response.status_code, response.content[:500])
        if n >= WARMUP:
            samples.append(elapsed)
            queries.append(len(ctx.captured_queries))
    return samples, queries


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]  # the 19th of 20-quantiles


def machine() -> str:
    from django.db import connection

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return (f"machine: nproc={len(os.sched_getaffinity(0))}, cpu={cpu}, python={platform.python_version()}, "
            f"database={connection.vendor} {version}")


def main() -> None:
    prepare_database()
    import django

    django.setup()  # the app imports below need the settings
    from django.core.management import call_command
    from django.test import Client

    from backline.accounts.tokens import issue_access_token
    from backline.bookings.models import Booking

    rng, started = random.Random(2026), time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    owner, busy, first = build(rng)
    print(f"migrate {migrated - started:.1f} s, load {time.perf_counter() - migrated:.1f} s")
    client = Client(headers={"authorization": f"Bearer {issue_access_token(owner)[0]}"})

    def window(size: int, day: int | None = None) -> str:
        start = dt.datetime.combine(first + dt.timedelta(days=rng.randrange(DAYS - 90) if day is None else day),
                                    dt.time(), tzinfo=dt.UTC)
        end = start + dt.timedelta(days=90)
        return f"/api/v1/bookings?{urlencode({'workspace_id': busy.pk, 'start': start, 'end': end, 'page_size': size})}"

    ids, total = list(Booking.objects.filter(workspace=busy).values_list("pk", flat=True)), WARMUP + RUNS
    results = {
        "list (page_size=50, 90-day window)": measure(client, [window(50) for _ in range(total)]),
        "detail": measure(client, [f"/api/v1/bookings/{rng.choice(ids)}" for _ in range(total)]),
        "search (q=<word in titles>)": measure(client, [f"/api/v1/search?{urlencode({'q': SEARCH_WORDS[n % 3]})}"
                                                        for n in range(total)]),
    }
    sizes = {size: measure(client, [window(size, day=400)] * (WARMUP + 1))[1][0] for size in (10, 50)}  # one window
    rows = client.get(window(50, day=400)).json()

    print(f"{'endpoint':<36} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, result in results.items():
        if result is None:
            print(f"{label:<36} {'n/a: /api/v1/search answers 404':>40}")
            continue
        samples, queries = result
        span = str(max(queries)) if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}"
        print(f"{label:<36} {len(samples):>5} {statistics.median(samples):>8.2f} {p95(samples):>8.2f} {span:>8}")
    print(f"list queries: page_size=10 -> {sizes[10]}, page_size=50 -> {sizes[50]} "
          f"({'constant' if sizes[10] == sizes[50] else 'GROWS WITH THE PAGE SIZE'}; "
          f"that window: {rows['count']} bookings, {len(rows['items'])} on the page)")
    print(machine())
    max_queries = max(*sizes.values(), *(max(r[1]) for r in results.values() if r is not None))
    list_ms, detail_ms, search = (p95(r[0]) if r else float("nan") for r in results.values())
    print(f"bookings rows={ROWS} list_p95_ms={list_ms:.2f} detail_p95_ms={detail_ms:.2f} search_p95_ms={search:.2f} "
          f"max_queries={max_queries}")


if __name__ == "__main__":
    main()
