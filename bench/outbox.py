"""The outbox and notification fan-out. Queues 10,000 outreach emails, delivers them through Django's real
SMTP backend to a local aiosmtpd server (in its own process, so it does not share our interpreter), and
checks that every one arrived exactly once; then measures ``services.notify`` for one event reaching 500
people.

    .venv/bin/python bench/outbox.py        # SQLite: always a fresh /tmp/backline_bench_outbox.sqlite3
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/x .venv/bin/python bench/outbox.py

On PostgreSQL the database is always ``backline_bench_outbox`` on the URL's server, dropped and recreated.

Queueing uses ``outbox.email_queue_many`` (the documented bulk path: the same validation, suppression
check, hourly limit, thread, message, bodies and audit entry as ``email_queue``, under one workspace lock
per chunk of 500); each email goes to a different address, so each gets its own email thread. Delivery is
``delivery.deliver_due`` — the periodic sweep — as a worker runs it: per email a claim transaction, the SMTP
conversation (one connection per OUTBOX_BATCH_SIZE emails), and the result with its audit entry.
Fan-out is one ``notify`` call (preferences read in one query, one INSERT) inside a transaction, for 500
members, 10% of whom chose email (sent after commit, not timed), 10% the digest and 5% off; the median
of 7 runs after a warm-up.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import re
import socket
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EMAILS, CHUNK, FANOUT, FANOUT_RUNS = 10_000, 500, 500, 7
DB_NAME, SQLITE_FILE = "backline_bench_outbox", Path("/tmp/backline_bench_outbox.sqlite3")
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.MULTILINE | re.IGNORECASE)


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
    os.environ["CELERY_BROKER_URL"] = ""  # tasks in-process, as in the embedded default


# --- the SMTP server, in its own process ------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int, pipe) -> None:
    """Accept mail on 127.0.0.1:port, remembering each message's Message-ID; on "stop", answer
    (messages received, distinct Message-IDs)."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Counter:
        def __init__(self):
            self.count, self.ids = 0, set()

        async def handle_DATA(self, server, session, envelope):
            self.count += 1
            found = MESSAGE_ID.search(envelope.original_content or b"")
            if found:
                self.ids.add(found.group(1))
            return "250 Message accepted for delivery"

    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    pipe.recv()
    controller.stop()
    pipe.send((handler.count, len(handler.ids)))


# --- the run --------------------------------------------------------------------------------------

def build():
    """A promoter workspace (through the services) with a sender identity allowed the whole run, and 500
    people with a mix of notification preferences."""
    from backline.accounts import services as accounts
    from backline.accounts.models import User
    from backline.core.places import find_city
    from backline.mail.models import SenderIdentity
    from backline.notifications.models import Channel, NotificationPreference, NotificationType

    owner = User.objects.create(email="owner@bench.example.org", name="Mia Jensen", password="!")
    workspace = accounts.workspace_create(actor=owner, kind="promoter", name="Night Owl Promotions",
                                          geoname_id=find_city("Berlin", "DE").geoname_id)
    SenderIdentity.objects.create(workspace=workspace, from_name="Mia from Night Owl", from_email="mia@nightowl.example",
                                  signature="Mia Jensen\nNight Owl Promotions", hourly_limit=EMAILS)
    people = User.objects.bulk_create([User(email=f"person{i:03d}@bench.example.org", name=f"Person {i}", password="!")
                                       for i in range(FANOUT)])
    prefs = []
    for i, person in enumerate(people):
        channel = (Channel.EMAIL if i % 10 == 0 else Channel.DIGEST if i % 10 == 1 else
                   Channel.OFF if i % 20 == 2 else None)
        if channel:
            prefs.append(NotificationPreference(user=person, type=NotificationType.MESSAGE, channel=channel))
    NotificationPreference.objects.bulk_create(prefs)
    return owner, workspace, people


def queue(owner, workspace) -> float:
    from backline.mail.services import outbox

    body = ("Hi {name},\n\nThe Owls are routing through **Berlin** in March and would love to play your room. "
            "Their green-zone dates: 12, 13 and 19 March.\n\nEPK: https://backline.example.org/epk/the-owls/\n\n"
            "Would any of those work?")
    start = time.perf_counter()
    for first in range(0, EMAILS, CHUNK):
        items = [{"to_email": f"buyer{i:05d}@venue{i % 97}.example", "to_name": f"Buyer {i}",
                  "subject": f"The Owls in Berlin, March (#{i})", "body": body.format(name=f"Buyer {i}")}
                 for i in range(first, min(EMAILS, first + CHUNK))]
        outbox.email_queue_many(actor=owner, workspace_id=workspace.pk, emails=items, deliver=False)
    return time.perf_counter() - start


def deliver(port: int) -> tuple[float, dict]:
    from django.conf import settings

    from backline.mail.services import delivery

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 10
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    totals: dict[str, int] = {}
    start = time.perf_counter()
    while True:
        counts = delivery.deliver_due()
        if not counts:
            break
        for status, n in counts.items():
            totals[status] = totals.get(status, 0) + n
    return time.perf_counter() - start, totals


def fanout(people) -> list[float]:
    from django.db import transaction

    from backline.notifications import services
    from backline.notifications.models import NotificationType

    runs = []
    for run in range(FANOUT_RUNS + 1):
        with transaction.atomic():
            start = time.perf_counter()
            created = services.notify(users=people, type=NotificationType.MESSAGE,
                                      title=f"Mia Jensen in “The Owls in Berlin, March” ({run})",
                                      body="Would the 13th work for you?", url="/notifications/")
            elapsed = time.perf_counter() - start
        assert len(created) == FANOUT - FANOUT // 20, len(created)  # everyone but those who chose off
        if run:  # the first is a warm-up
            runs.append(elapsed * 1000)
    return runs


def main() -> None:
    prepare_database()
    port = free_port()
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(port, theirs), daemon=True)
    server.start()
    assert ours.recv() == "ready"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from backline.mail.models import EmailStatus, OutboundEmail

    owner, workspace, people = build()
    queue_seconds = queue(owner, workspace)
    assert OutboundEmail.objects.filter(status=EmailStatus.QUEUED).count() == EMAILS
    deliver_seconds, totals = deliver(port)
    ours.send("stop")
    received, distinct = ours.recv()
    server.join(10)
    sent = OutboundEmail.objects.filter(status=EmailStatus.SENT).count()
    assert totals == {EmailStatus.SENT: EMAILS}, totals
    assert received == distinct == sent == EMAILS, (received, distinct, sent)

    # The notifications written by the email-channel people's mails go to the same (stopped) server after
    # commit; point them at the in-memory backend so the fan-out measure is not about SMTP.
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    runs = fanout(people)

    vendor = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info))}" \
        if connection.vendor == "sqlite" else f"{connection.vendor} {connection.pg_version // 10000}"
    emails_per_s = EMAILS / deliver_seconds
    median = statistics.median(runs)
    print(f"database: {vendor}; Python {platform.python_version()}; {os.cpu_count()} CPUs; "
          f"OUTBOX_BATCH_SIZE={settings.OUTBOX_BATCH_SIZE}")
    print(f"{'measure':<46}{'value':>14}")
    print(f"{'queue 10,000 (email_queue_many, chunks of 500)':<46}{EMAILS / queue_seconds:>10.0f} /s  ({queue_seconds:.1f} s)")
    print(f"{'deliver 10,000 over SMTP (deliver_due)':<46}{emails_per_s:>10.0f} /s  ({deliver_seconds:.1f} s)")
    print(f"{'received by the server / distinct Message-IDs':<46}{received:>8} / {distinct}")
    print(f"{'notify() to 500 people, median of 7 (ms)':<46}{median:>14.2f}")
    print(f"{'notify() to 500 people, min / max (ms)':<46}{min(runs):>8.2f} / {max(runs):.2f}")
    print(f"outbox emails={EMAILS} emails_per_s={emails_per_s:.0f} fanout_500_ms={median:.2f}")


if __name__ == "__main__":
    main()
