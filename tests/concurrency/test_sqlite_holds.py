"""Issue 10, defect 2 on SQLite: twenty simultaneous holds at one venue on one local day, sent as
real HTTP requests to a multi-worker gunicorn server, are ranked exactly 1..20.

pytest-django's SQLite test database lives in this process's memory, out of a server's reach, so this
test makes its own database file: ``manage.py migrate`` and the data (``sqlite_world``) run in
subprocesses, gunicorn serves that file, and the ranks are read back from the file with ``sqlite3``.

What guarantees the ranks here is not the venue lock of ``hold_place`` (``SELECT … FOR UPDATE`` is a
no-op on SQLite; the lock is for PostgreSQL, proven by ``test_http_races``) but the settings: every
transaction begins ``IMMEDIATE`` (it takes the database's write lock at ``BEGIN``), so writers from
every worker queue one behind another, each counting the holds the previous one committed; the busy
``timeout`` must be long enough for the last in the queue. So this test still passes with the venue
lock removed, and fails if transactions begin ``DEFERRED`` (two of them count the same holds) or the
timeout is too short for the queue (500 "database is locked")."""

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from . import server as live

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason=(
        "the SQLite proof of ranked holds: on PostgreSQL test_http_races.py runs the same volley against "
        "the test database")),
    pytest.mark.concurrency,
]

HOLDS = 20
SETUP_TIMEOUT = 300  # seconds for migrate, and again for the data, on a busy CI machine


def manage(args: list[str], database_url: str) -> str:
    """Run ``python <args>`` from the project root against ``database_url``; its standard output."""
    done = subprocess.run([sys.executable, *args], cwd=live.ROOT, env=live.environment(database_url),  # noqa: S603
                          capture_output=True, text=True, timeout=SETUP_TIMEOUT, check=False)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_twenty_simultaneous_holds_on_sqlite_are_ranked_1_to_20(gunicorn, tmp_path):
    path = tmp_path / "db.sqlite3"
    database_url = f"sqlite:///{path}"
    manage(["manage.py", "migrate", "--noinput", "-v", "0"], database_url)
    world = json.loads(manage(["-m", "tests.concurrency.sqlite_world", str(HOLDS)], database_url).splitlines()[-1])
    server = gunicorn(database_url=database_url)
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=40)).replace(hour=17, minute=0, second=0, microsecond=0)

    began = time.monotonic()
    results = live.fire(server, [
        ("POST", f"/api/v1/bookings/{pk}/hold", world["token"],
         {"starts_at": (start + dt.timedelta(minutes=n)).isoformat(),
          "ends_at": (start + dt.timedelta(minutes=n, hours=2)).isoformat()})
        for n, pk in enumerate(world["inquiries"])])
    took = time.monotonic() - began

    assert results.errors == [], server.output()
    assert results.counts() == {"2xx": HOLDS, "409": 0, "4xx": 0, "5xx": 0}, (results.statuses, results.bodies,
                                                                              server.output())
    with sqlite3.connect(path) as db:
        marks = ",".join("?" * HOLDS)
        ranks = sorted(rank for (rank,) in db.execute(
            f"SELECT hold_rank FROM bookings_booking WHERE id IN ({marks}) AND status = 'hold'",  # noqa: S608
            world["inquiries"]))
    assert ranks == list(range(1, HOLDS + 1))
    assert sorted(b["hold_rank"] for b in results.bodies) == ranks  # each answer tells its own rank
    print(f"{HOLDS} holds answered in {took:.1f}s")  # noqa: T201 - shown with -s
