"""The directory (issue 13): 10,000 acts and 5,000 venues with stages, across Europe's cities.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backline_bench_directory .venv/bin/python bench/directory.py

On PostgreSQL it drops and creates its own scratch database (``backline_bench_directory``), never the
project's; without a PostgreSQL URL it uses a fresh /tmp/backline_bench_directory.sqlite3. Budget: p95 <= 100 ms
per directory request on PostgreSQL with <= 6 queries whatever the page size; the public press-kit page's
first byte <= 150 ms.

Each act has 1-6 members with accounts, each with the demo's kind of week (weekday evenings free, a day job
busy, a monthly evening busy) and a busy day now and then; genres (1-3 of 30), a home city (one of the 250
largest European cities); a press kit (most public, some unlisted or private, a published fee band). Each venue has 1-3 stages.

Measured through the whole HTTP stack in-process (django.test.Client, a logged-in promoter): the act
directory API with a genre, a city and 100 km, free on a date (20 different searches, each run three times:
the first of each is cold, as the members' availability is expanded then and kept), and the venue directory
API with a city, 150 km and a capacity range; the act directory API with only "free on a date" (20 dates,
the bounded case: the first 72 matches by name are checked); the public press-kit page of 20 public kits,
anonymously. ``acts_p95_ms`` is the slower of the two act searches.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's backline, not an installed one

DB_NAME = "backline_bench_directory"
SQLITE_FILE = Path("/tmp/backline_bench_directory.sqlite3")
ACTS, VENUES, GENRES, CITIES = 10_000, 5_000, 30, 250
SEARCHES, REPEATS, WARMUP = 20, 3, 3
EUROPE = {"DE", "FR", "GB", "IT", "ES", "NL", "BE", "AT", "CH", "PL", "CZ", "DK", "SE", "NO", "FI", "PT", "IE", "HU",
          "SK", "SI", "HR", "LU"}


def prepare_database() -> str:
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
    return os.environ["DATABASE_URL"]


def cities():
    from backline.core.places import _index

    found = sorted((c for c in _index()[0].values() if c.country_code in EUROPE), key=lambda c: -c.population)
    return found[:CITIES]


def load(rng: random.Random, today: dt.date):
    from backline.accounts.models import Membership, Role, User, Workspace
    from backline.artists.models import Act, ActMember, Genre
    from backline.scheduling.models import AvailabilityBlock, AvailabilityRule, PersonSchedule
    from backline.venues.models import Stage, Venue

    places = cities()
    genres = Genre.objects.bulk_create([Genre(slug=f"genre-{i}", name=f"Genre {i}") for i in range(GENRES)])
    genres = list(Genre.objects.filter(slug__startswith="genre-"))

    def located(obj, city):
        obj.geoname_id, obj.city_name, obj.country_code = city.geoname_id, city.name, city.country_code
        obj.latitude, obj.longitude, obj.time_zone = city.latitude, city.longitude, city.time_zone
        return obj

    act_cities = [rng.choice(places) for _ in range(ACTS)]
    Workspace.objects.bulk_create([located(Workspace(kind="act", name=f"Act {i}", slug=f"act-{i}"), act_cities[i])
                                   for i in range(ACTS)], batch_size=2000)
    ws = {w.slug: w for w in Workspace.objects.filter(kind="act")}
    Act.objects.bulk_create([Act(workspace=ws[f"act-{i}"]) for i in range(ACTS)], batch_size=2000)
    acts = list(Act.objects.select_related("workspace").order_by("pk"))
    Act.genres.through.objects.bulk_create(
        [Act.genres.through(act=a, genre=g) for a in acts for g in rng.sample(genres, rng.randint(1, 3))], batch_size=5000)
    sizes = [rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 6]) for _ in acts]
    users = User.objects.bulk_create([User(email=f"m{a.pk}-{j}@bench.example.org", name=f"Member {j}", password="!",
                                           time_zone=a.workspace.time_zone)
                                      for a, n in zip(acts, sizes, strict=True) for j in range(n)], batch_size=5000)
    users = list(User.objects.filter(email__endswith="@bench.example.org").order_by("pk"))
    members, memberships, schedules, rules, blocks = [], [], [], [], []
    first = today - dt.timedelta(days=30)
    k = 0
    for a, n in zip(acts, sizes, strict=True):
        for j in range(n):
            u = users[k]
            k += 1
            members.append(ActMember(act=a, user=u, name=u.name))
            memberships.append(Membership(user=u, workspace=a.workspace, role=Role.OWNER if j == 0 else Role.MEMBER))
            schedules.append(PersonSchedule(user=u, default_state="unknown"))
            tz = a.workspace.time_zone
            rules += [
                AvailabilityRule(user=u, state="free", starts_on=first, start_time=dt.time(18 + k % 2),
                                 end_time=dt.time(23, 30), rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA", time_zone=tz),
                AvailabilityRule(user=u, state="busy", starts_on=first, start_time=dt.time(9), end_time=dt.time(17, 30),
                                 rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time_zone=tz),
                AvailabilityRule(user=u, state="busy", starts_on=first, start_time=dt.time(18), end_time=dt.time(22),
                                 rrule=f"FREQ=MONTHLY;BYDAY={1 + k % 4}TU", time_zone=tz),
            ]
            day = dt.datetime.combine(today + dt.timedelta(days=1 + k % 60), dt.time(), dt.UTC)
            blocks.append(AvailabilityBlock(user=u, state="busy", starts_at=day, ends_at=day + dt.timedelta(days=1),
                                            time_zone=tz))
    for model, rows in ((ActMember, members), (Membership, memberships), (PersonSchedule, schedules),
                        (AvailabilityRule, rules), (AvailabilityBlock, blocks)):
        model.objects.bulk_create(rows, batch_size=5000)
    public_kits = press_kits(acts, rng)

    venue_cities = [rng.choice(places) for _ in range(VENUES)]
    kinds = ["venue" if i % 5 else "promoter" for i in range(VENUES)]
    Workspace.objects.bulk_create([located(Workspace(kind=kinds[i], name=f"Venue {i}", slug=f"venue-{i}"), venue_cities[i])
                                   for i in range(VENUES)], batch_size=2000)
    vws = {w.slug: w for w in Workspace.objects.filter(slug__startswith="venue-")}
    Venue.objects.bulk_create([located(Venue(workspace=vws[f"venue-{i}"], name=f"Venue {i}",
                                             capacity=rng.choice([80, 150, 250, 400, 700, 1200, 2500])), venue_cities[i])
                               for i in range(VENUES)], batch_size=2000)
    Stage.objects.bulk_create([Stage(venue=v, name=f"Stage {s}", capacity=max(1, v.capacity // (s + 1)))
                               for v in Venue.objects.all() for s in range(rng.randint(1, 3))], batch_size=5000)
    promoter = User.objects.create_user(email="promoter@bench.example.org", password="bench-password", name="Promoter")
    Membership.objects.create(user=promoter, workspace=vws["venue-0"], role=Role.OWNER)
    return promoter, places, genres, public_kits


def press_kits(acts, rng) -> list:
    """A press kit for every act: most public (listed), some unlisted or private (not listed), some with a
    published fee band. Returns the slugs of the public ones (the EPK page is measured on them)."""
    from decimal import Decimal

    from backline.artists.models import PressKit

    kits = []
    for a in acts:
        visibility = rng.choice(["public", "public", "public", "unlisted", "private"])
        low = Decimal(rng.choice([300, 600, 900, 1500, 3000]))
        kits.append(PressKit(act=a, visibility=visibility, short_bio=f"{a.workspace.name} in one line.",
                             long_bio="A band that plays. " * 40, fee_min=low, fee_max=low * 2, fee_currency="EUR"))
    PressKit.objects.bulk_create(kits, batch_size=2000)
    return [k.act.workspace.slug for k in kits if k.visibility == "public"]


def measure(client, paths: list[str]) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path in paths[:WARMUP]:
        assert client.get(path).status_code == 200
    samples, most = [], 0
    for _ in range(REPEATS):
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            most = max(most, len(ctx))
    return samples, most


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else float("nan")


def main() -> None:
    url = prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    rng = random.Random(13)
    today = timezone.localdate()
    started = time.perf_counter()
    promoter, places, genres, public_kits = load(rng, today)
    load_s = time.perf_counter() - started
    client = Client()
    client.force_login(promoter)
    act_paths = [
        "/api/v1/directory/acts?" + urlencode({"genres": rng.choice(genres).slug, "city": rng.choice(places[:60]).geoname_id,
                                                "radius_km": 100, "free_on": (today + dt.timedelta(days=3 + i)).isoformat()})
        for i in range(SEARCHES)]
    # "free on a date" alone: the bounded case (only the first matches, by name, are checked)
    free_paths = ["/api/v1/directory/acts?" + urlencode({"free_on": (today + dt.timedelta(days=3 + i)).isoformat()})
                  for i in range(SEARCHES)]
    venue_paths = [
        "/api/v1/directory/venues?" + urlencode({"city": rng.choice(places[:60]).geoname_id, "radius_km": 150,
                                                  "capacity_min": 100, "capacity_max": 1500})
        for _ in range(SEARCHES)]
    acts_samples, acts_q = measure(client, act_paths)
    free_samples, free_q = measure(client, free_paths)
    venues_samples, venues_q = measure(client, venue_paths)
    epk_paths = [reverse("profiles:act", args=(slug,)) for slug in rng.sample(public_kits, SEARCHES)]
    epk_samples, epk_q = measure(Client(), epk_paths)  # anonymous, as a promoter opening a link would
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    print(f"loaded {ACTS} acts and {VENUES} venues in {load_s:.1f} s ({connection.vendor} {version})")
    print(f"{'request':<58} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    rows = [("act directory (genre + 100 km + free on a date)", acts_samples, acts_q),
            ("act directory (free on a date alone, first 72 checked)", free_samples, free_q),
            ("venue directory (150 km + capacity range)", venues_samples, venues_q),
            ("public press-kit page", epk_samples, epk_q)]
    for label, samples, queries in rows:
        print(f"{label:<58} {len(samples):>5} {statistics.median(samples):>8.2f} {p95(samples):>8.2f} {queries:>8}")
    print(f"machine: nproc={os.cpu_count()}, python={platform.python_version()}, database={connection.vendor}, "
          f"url={urlsplit(url)._replace(netloc=urlsplit(url).hostname or '').geturl()}")
    acts_p95 = max(p95(acts_samples), p95(free_samples))  # the slower of the two act searches
    print(f"directory acts={ACTS} venues={VENUES} acts_p95_ms={acts_p95:.2f} "
          f"venues_p95_ms={p95(venues_samples):.2f} epk_p95_ms={p95(epk_samples):.2f} "
          f"max_queries={max(acts_q, free_q, venues_q)}")


if __name__ == "__main__":
    main()
