"""Importing a person's own calendar from its secret iCal address.

The calendars are served by a real HTTP server on 127.0.0.1 (so the SSRF guard is switched off with
``CALENDAR_IMPORT_ALLOW_PRIVATE`` except in the tests of the guard itself)."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import zoneinfo
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.models import AuditEntry
from backline.scheduling import tasks
from backline.scheduling.imports import CalendarFetchError, fetch_ics, is_public_address, normalize_url, parse_busy
from backline.scheduling.models import AvailabilityBlock, BlockSource, ExternalCalendar, ImportStatus, State
from backline.scheduling.services import external_calendars
from tests.factories import UserFactory

UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


# --- a real HTTP server ---------------------------------------------------------------------------

@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    content_length: bool = True


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append(self.path)
        route = self.server.routes.get(self.path) or Route(b"not found", status=404)
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        for name, value in {"Content-Type": "text/calendar; charset=utf-8", **route.headers}.items():
            self.send_header(name, value)
        if route.content_length:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.write(route.body)

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # the client gave up (timeouts, size cap): expected in these tests


class CalendarServer:
    def __init__(self):
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.routes = {}
        self.httpd.hits = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def routes(self) -> dict[str, Route]:
        return self.httpd.routes

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.httpd.server_address[1]}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = CalendarServer()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def calendar_settings(settings):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = True
    settings.CALENDAR_IMPORT_TIMEOUT = 5
    settings.CALENDAR_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    settings.CALENDAR_IMPORT_INTERVAL_MINUTES = 60
    return settings


@pytest.fixture
def unused_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


# --- calendar files -------------------------------------------------------------------------------

def vcalendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Backline tests//EN\r\n{body}END:VCALENDAR\r\n".encode()


def ics_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def ics_local(day: dt.date, hour: int) -> str:
    return f"{ics_date(day)}T{hour:02d}0000"


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def next_dst_change(after: dt.date) -> dt.date:
    """The first day after ``after`` on which Berlin's UTC offset at noon differs from the day before."""
    day = after
    while True:
        nxt = day + dt.timedelta(days=1)
        if dt.datetime.combine(nxt, dt.time(12), BERLIN).utcoffset() != dt.datetime.combine(day, dt.time(12), BERLIN).utcoffset():
            return nxt
        day = nxt


def berlin_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), BERLIN).astimezone(UTC)


@dataclass
class NormalCalendar:
    body: bytes
    expected: list[tuple[dt.datetime, dt.datetime, bool, str]]


def normal_calendar() -> NormalCalendar:
    """A realistic personal calendar around today: a weekly rehearsal across a DST change with one
    week skipped (EXDATE), an all-day trip, a cancelled and a "free" event, a UTC and a floating one."""
    today = timezone.now().date()
    change = next_dst_change(today + dt.timedelta(days=7))
    first = change - dt.timedelta(days=3)  # two occurrences before the change would be too many days back
    spring = dt.datetime.combine(change, dt.time(12), BERLIN).utcoffset() == dt.timedelta(hours=2)
    before_hour, after_hour = (18, 17) if spring else (17, 18)  # 19:00 in Berlin, in UTC
    trip = today + dt.timedelta(days=10)
    body = vcalendar(
        f"""UID:choir@test\r\nSUMMARY:Choir\r\nDTSTART;TZID=Europe/Berlin:{ics_local(first, 19)}
DTEND;TZID=Europe/Berlin:{ics_local(first, 21)}\r\nRRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Berlin:{ics_local(first + dt.timedelta(days=14), 19)}""".replace("\n", "\r\n"),
        f"UID:trip@test\r\nSUMMARY:Trip to Lisbon\r\nDTSTART;VALUE=DATE:{ics_date(trip)}\r\n"
        f"DTEND;VALUE=DATE:{ics_date(trip + dt.timedelta(days=2))}",
        f"UID:gone@test\r\nSUMMARY:Cancelled gig\r\nSTATUS:CANCELLED\r\nDTSTART:{ics_local(trip, 12)}Z\r\n"
        f"DTEND:{ics_local(trip, 13)}Z",
        f"UID:free@test\r\nSUMMARY:Reminder\r\nTRANSP:TRANSPARENT\r\nDTSTART:{ics_local(trip, 14)}Z\r\n"
        f"DTEND:{ics_local(trip, 15)}Z",
        f"UID:dentist@test\r\nSUMMARY:Dentist\r\nDTSTART:{ics_local(today + dt.timedelta(days=1), 10)}Z\r\nDURATION:PT2H",
        f"UID:floating@test\r\nSUMMARY:Call mum\r\nDTSTART:{ics_local(today + dt.timedelta(days=2), 9)}\r\n"
        f"DTEND:{ics_local(today + dt.timedelta(days=2), 10)}",
    )
    tomorrow, day_after = today + dt.timedelta(days=1), today + dt.timedelta(days=2)
    floating_start = dt.datetime.combine(day_after, dt.time(9), BERLIN).astimezone(UTC)

    def choir(day: dt.date, hour: int):
        start = dt.datetime.combine(day, dt.time(hour), UTC)
        return (start, start + dt.timedelta(hours=2), False, "Choir")

    expected = sorted([
        choir(first, before_hour),
        choir(first + dt.timedelta(days=7), after_hour),
        choir(first + dt.timedelta(days=21), after_hour),
        (berlin_midnight(trip), berlin_midnight(trip + dt.timedelta(days=2)), True, "Trip to Lisbon"),
        (dt.datetime.combine(tomorrow, dt.time(10), UTC), dt.datetime.combine(tomorrow, dt.time(12), UTC), False, "Dentist"),
        (floating_start, floating_start + dt.timedelta(hours=1), False, "Call mum"),
    ])
    return NormalCalendar(body, expected)


def blocks_of(calendar: ExternalCalendar) -> list[tuple[dt.datetime, dt.datetime, bool, str]]:
    return [(b.starts_at, b.ends_at, b.all_day, b.label)
            for b in AvailabilityBlock.objects.filter(calendar=calendar).order_by("starts_at", "ends_at")]


def make_calendar(user, url: str, **fields) -> ExternalCalendar:
    return ExternalCalendar.objects.create(user=user, name=fields.pop("name", "Personal"), url=url, **fields)


# --- parsing (fixed dates) ------------------------------------------------------------------------

HORIZON = {"horizon_start": utc(2025, 1, 1), "horizon_end": utc(2026, 1, 1)}


def test_parse_expands_recurrences_and_skips_cancelled_and_free_events():
    body = vcalendar(
        # Weekly, 19:00–21:00 Berlin; Europe goes to summer time on 30 March 2025.
        """UID:choir\r\nSUMMARY:Choir\r\nDTSTART;TZID=Europe/Berlin:20250320T190000\r\nDTEND;TZID=Europe/Berlin:20250320T210000
RRULE:FREQ=WEEKLY;COUNT=5\r\nEXDATE;TZID=Europe/Berlin:20250327T190000""".replace("\n", "\r\n"),
        # One occurrence cancelled the way Google and Outlook do it: an override with STATUS:CANCELLED.
        """UID:choir\r\nRECURRENCE-ID;TZID=Europe/Berlin:20250410T190000\r\nSUMMARY:Choir\r\nSTATUS:CANCELLED
DTSTART;TZID=Europe/Berlin:20250410T190000\r\nDTEND;TZID=Europe/Berlin:20250410T210000""".replace("\n", "\r\n"),
        "UID:holiday\r\nSUMMARY:Holiday\r\nDTSTART;VALUE=DATE:20250401\r\nDTEND;VALUE=DATE:20250403",
        "UID:mayday\r\nSUMMARY:May Day\r\nDTSTART;VALUE=DATE:20250501",  # no DTEND: one day
        "UID:floating\r\nSUMMARY:Floating\r\nDTSTART:20250612T100000\r\nDURATION:PT90M",
        "UID:zero\r\nSUMMARY:Zero\r\nDTSTART:20250703T100000Z",  # no DTEND, no DURATION: takes no time
        "UID:free\r\nSUMMARY:Free\r\nTRANSP:TRANSPARENT\r\nDTSTART:20250703T100000Z\r\nDTEND:20250703T110000Z",
        "UID:gone\r\nSUMMARY:Gone\r\nSTATUS:CANCELLED\r\nDTSTART:20250703T120000Z\r\nDTEND:20250703T130000Z",
        "UID:old\r\nSUMMARY:Old\r\nDTSTART:20240703T120000Z\r\nDTEND:20240703T130000Z",  # before the horizon
        "UID:autumn\r\nSUMMARY:Rehearsal\r\nDTSTART;TZID=Europe/Berlin:20251020T200000\r\n"
        "DTEND;TZID=Europe/Berlin:20251020T230000\r\nRRULE:FREQ=WEEKLY;COUNT=2",
    )

    events = parse_busy(body, time_zone="Europe/Berlin", **HORIZON)

    assert [tuple(e) for e in events] == [
        (utc(2025, 3, 20, 18), utc(2025, 3, 20, 20), False, "Choir"),  # CET, UTC+1
        (utc(2025, 3, 31, 22), utc(2025, 4, 2, 22), True, "Holiday"),  # Berlin midnight to midnight
        (utc(2025, 4, 3, 17), utc(2025, 4, 3, 19), False, "Choir"),  # CEST, UTC+2; 27 March skipped
        (utc(2025, 4, 17, 17), utc(2025, 4, 17, 19), False, "Choir"),  # 10 April cancelled
        (utc(2025, 4, 30, 22), utc(2025, 5, 1, 22), True, "May Day"),
        (utc(2025, 6, 12, 8), utc(2025, 6, 12, 9, 30), False, "Floating"),  # 10:00 Berlin wall clock
        (utc(2025, 10, 20, 18), utc(2025, 10, 20, 21), False, "Rehearsal"),  # CEST
        (utc(2025, 10, 27, 19), utc(2025, 10, 27, 22), False, "Rehearsal"),  # CET after 26 October
    ]
    assert not events.truncated


def test_parse_reads_dates_and_floating_times_in_the_persons_zone():
    body = vcalendar("UID:a\r\nSUMMARY:Off\r\nDTSTART;VALUE=DATE:20250601",
                     "UID:b\r\nSUMMARY:Lunch\r\nDTSTART:20250602T120000\r\nDTEND:20250602T130000")

    events = parse_busy(body, time_zone="America/New_York", **HORIZON)

    assert [tuple(e) for e in events] == [(utc(2025, 6, 1, 4), utc(2025, 6, 2, 4), True, "Off"),
                                          (utc(2025, 6, 2, 16), utc(2025, 6, 2, 17), False, "Lunch")]


def test_parse_caps_the_number_of_occurrences_keeping_the_earliest():
    body = vcalendar("UID:a\r\nSUMMARY:Daily\r\nDTSTART:20250101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY")

    events = parse_busy(body, limit=10, **HORIZON)

    assert len(events) == 10 and events.truncated
    assert events[0].starts_at == utc(2025, 1, 1, 9) and events[-1].starts_at == utc(2025, 1, 10, 9)


@pytest.mark.parametrize("body, message", [
    (b"<!doctype html><title>Sign in</title>", "did not return a calendar file"),
    (b"", "did not return a calendar file"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "could not be read"),
    (vcalendar("UID:a\r\nSUMMARY:x\r\nDTSTART:20250101T090000Z\r\nRRULE:FREQ=FORTNIGHTLY"), "could not be read"),
    (vcalendar("UID:a\r\nSUMMARY:Pill\r\nDTSTART:20150101T090000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY"),
     "“Pill” repeats too often"),
])
def test_parse_refuses_what_is_not_a_readable_calendar(body, message):
    with pytest.raises(CalendarFetchError) as exc:
        parse_busy(body, **HORIZON)
    assert exc.value.code == "calendar_invalid"
    assert message in exc.value.detail


# --- fetching -------------------------------------------------------------------------------------

def test_fetch_returns_the_file_and_follows_a_redirect(server):
    server.routes["/cal.ics"] = Route(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    server.routes["/moved"] = Route(status=302, headers={"Location": "/cal.ics"})

    assert fetch_ics(server.url("/moved")) == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert server.hits == ["/moved", "/cal.ics"]


@pytest.mark.parametrize("content_length", [True, False])
def test_fetch_refuses_a_file_over_the_size_cap(server, settings, content_length):
    settings.CALENDAR_IMPORT_MAX_BYTES = 1000
    server.routes["/big.ics"] = Route(b"BEGIN:VCALENDAR\r\n" + b"X" * 200_000, content_length=content_length)
    server.routes["/fits.ics"] = Route(b"B" * 1000, content_length=content_length)

    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(server.url("/big.ics"))
    assert exc.value.code == "calendar_too_large"
    assert "larger than 1 KB" in exc.value.detail
    assert fetch_ics(server.url("/fits.ics")) == b"B" * 1000


def test_fetch_gives_up_on_a_slow_server(server, settings):
    settings.CALENDAR_IMPORT_TIMEOUT = 0.3
    server.routes["/slow.ics"] = Route(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", delay=3)

    started = time.monotonic()
    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(server.url("/slow.ics"))
    assert time.monotonic() - started < 2.5
    assert exc.value.code == "calendar_unreachable"
    assert "did not answer within 0.3 seconds" in exc.value.detail


def test_fetch_reports_http_errors_and_closed_ports(server, unused_port):
    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(server.url("/missing.ics"))
    assert exc.value.code == "calendar_unreachable"
    assert "was not found (404)" in exc.value.detail and "copy it again" in exc.value.detail

    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(f"http://127.0.0.1:{unused_port}/cal.ics")
    assert exc.value.code == "calendar_unreachable"
    assert "connection was refused" in exc.value.detail


def test_fetch_stops_after_a_few_redirects(server):
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop2"})
    server.routes["/loop2"] = Route(status=302, headers={"Location": "/loop"})

    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(server.url("/loop"))
    assert exc.value.code == "calendar_unreachable" and "redirects too often" in exc.value.detail
    assert len(server.hits) == 6  # the first request and 5 redirects


def test_fetch_refuses_redirects_to_other_schemes(server):
    server.routes["/sneaky"] = Route(status=302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(server.url("/sneaky"))
    assert exc.value.code == "calendar_forbidden_address"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_ssrf_guard_refuses_local_addresses_before_connecting(server, settings, host):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = False
    server.routes["/cal.ics"] = Route(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(server.url("/cal.ics", host=host))
    assert exc.value.code == "calendar_forbidden_address"
    assert "private or local network address" in exc.value.detail
    assert server.hits == []


def test_ssrf_guard_checks_redirect_targets(server, settings):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = False
    # The first hop is refused already; the guard runs on every connection, redirects included.
    server.routes["/moved"] = Route(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(CalendarFetchError) as exc:
        fetch_ics(server.url("/moved"))
    assert exc.value.code == "calendar_forbidden_address"


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("::1", False), ("fe80::1%eth0", False), ("fd00::1", False), ("::ffff:127.0.0.1", False),
    ("2002:7f00:1::", False), ("64:ff9b::a00:1", False),
    ("8.8.8.8", True), ("2a00:1450:4001:80b::200e", True),
])
def test_public_address_check(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize("url, normalized", [
    ("webcal://p01-calendars.icloud.com/published/2/abc", "https://p01-calendars.icloud.com/published/2/abc"),
    ("  https://calendar.google.com/calendar/ical/x%40gmail.com/private-abc/basic.ics ",
     "https://calendar.google.com/calendar/ical/x%40gmail.com/private-abc/basic.ics"),
    ("HTTP://Example.org:8080/cal.ics?x=1#frag", "http://example.org:8080/cal.ics?x=1"),
])
def test_normalize_url(url, normalized):
    assert normalize_url(url) == normalized


@pytest.mark.parametrize("url", ["", "ftp://example.org/cal.ics", "file:///etc/passwd", "https://user:pw@example.org/c",
                                 "https:///nohost", "http://example.org:99999/"])
def test_normalize_url_refuses_other_addresses(url):
    with pytest.raises(CalendarFetchError) as exc:
        normalize_url(url)
    assert exc.value.code == "calendar_bad_url" and exc.value.errors["url"]


# --- services -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_add_imports_the_calendar_as_private_busy_blocks(server, django_capture_on_commit_callbacks):
    normal = normal_calendar()
    server.routes["/personal.ics"] = Route(normal.body)
    person = UserFactory(time_zone="Europe/Berlin")

    with django_capture_on_commit_callbacks(execute=True):
        calendar = external_calendars.external_calendar_add(actor=person, name=" Personal ", url=server.url("/personal.ics"))

    assert calendar.name == "Personal"
    assert calendar.status == ImportStatus.OK and calendar.failures == 0 and calendar.last_error == ""
    assert calendar.event_count == 6 and calendar.last_success_at is not None
    assert blocks_of(calendar) == normal.expected
    assert set(AvailabilityBlock.objects.filter(calendar=calendar).values_list("user", "state", "source", "time_zone")) == {
        (person.pk, State.BUSY, BlockSource.IMPORT, "Europe/Berlin")}
    added = AuditEntry.objects.get(action="external_calendar.added", object_id=str(calendar.pk))
    assert added.actor == person and added.workspace_id is None
    assert "personal.ics" not in str(added.after)  # the secret address stays out of the audit log


@pytest.mark.django_db
def test_add_records_a_failed_first_import_on_the_calendar(server, django_capture_on_commit_callbacks):
    person = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        calendar = external_calendars.external_calendar_add(actor=person, name="Work", url=server.url("/missing.ics"))

    assert calendar.status == ImportStatus.ERROR and calendar.failures == 1
    assert "not found (404)" in calendar.last_error


@pytest.mark.django_db
def test_add_refuses_a_sixth_calendar_and_a_duplicate(server):
    person = UserFactory()
    for n in range(5):
        make_calendar(person, server.url(f"/{n}.ics"))

    with pytest.raises(Conflict) as exc:
        external_calendars.external_calendar_add(actor=person, name="Sixth", url=server.url("/6.ics"))
    assert exc.value.code == "calendar_limit"

    ExternalCalendar.objects.filter(user=person).first().delete()
    with pytest.raises(Conflict) as exc:
        external_calendars.external_calendar_add(actor=person, name="Again", url=server.url("/1.ics"))
    assert exc.value.code == "calendar_exists"
    assert ExternalCalendar.objects.filter(user=person).count() == 4


@pytest.mark.django_db
def test_add_validates_the_address_and_name():
    person = UserFactory()
    with pytest.raises(CalendarFetchError) as exc:
        external_calendars.external_calendar_add(actor=person, name="Work", url="ftp://example.org/cal.ics")
    assert exc.value.status == 422 and "url" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        external_calendars.external_calendar_add(actor=person, name="  ", url="https://example.org/cal.ics")
    assert "name" in exc.value.errors
    assert not ExternalCalendar.objects.exists()


@pytest.mark.django_db
def test_refresh_replaces_the_blocks(server):
    normal = normal_calendar()
    server.routes["/personal.ics"] = Route(normal.body)
    person = UserFactory()
    calendar = make_calendar(person, server.url("/personal.ics"))
    manual = AvailabilityBlock.objects.create(user=person, state=State.FREE, starts_at=utc(2030, 1, 1),
                                              ends_at=utc(2030, 1, 2))
    external_calendars.external_calendar_refresh(actor=person, calendar_id=calendar.pk)
    assert blocks_of(calendar) == normal.expected

    moved = timezone.now().replace(microsecond=0, second=0, minute=0) + dt.timedelta(days=3)
    server.routes["/personal.ics"] = Route(vcalendar(
        f"UID:dentist@test\r\nSUMMARY:Dentist (moved)\r\nDTSTART:{moved:%Y%m%dT%H%M%SZ}\r\nDURATION:PT1H"))
    calendar = external_calendars.external_calendar_refresh(actor=person, calendar_id=calendar.pk)

    assert blocks_of(calendar) == [(moved, moved + dt.timedelta(hours=1), False, "Dentist (moved)")]
    assert calendar.event_count == 1
    assert AvailabilityBlock.objects.filter(pk=manual.pk).exists()  # the person's own blocks are not touched
    assert AuditEntry.objects.filter(action="external_calendar.refreshed", object_id=str(calendar.pk)).count() == 2


@pytest.mark.django_db
def test_a_failing_refresh_keeps_the_blocks_records_the_error_and_backs_off(server, settings):
    settings.CALENDAR_IMPORT_INTERVAL_MINUTES = 30
    normal = normal_calendar()
    server.routes["/personal.ics"] = Route(normal.body)
    person = UserFactory()
    calendar = make_calendar(person, server.url("/personal.ics"))
    external_calendars.external_calendar_refresh(actor=person, calendar_id=calendar.pk)

    server.routes["/personal.ics"] = Route(b"<html>We are down for maintenance</html>", status=503)
    before = timezone.now()
    calendar = external_calendars.external_calendar_refresh(actor=person, calendar_id=calendar.pk)
    assert calendar.status == ImportStatus.ERROR and calendar.failures == 1
    assert calendar.last_error == "The calendar at 127.0.0.1 answered with an error (503 Service Unavailable)."
    assert before + dt.timedelta(minutes=15) <= calendar.next_fetch_at <= timezone.now() + dt.timedelta(minutes=15)
    assert blocks_of(calendar) == normal.expected
    assert calendar.event_count == 6

    server.routes["/personal.ics"] = Route(b"<html>Please sign in</html>")
    before = timezone.now()
    calendar = external_calendars.external_calendar_refresh(actor=person, calendar_id=calendar.pk)
    assert calendar.failures == 2 and "did not return a calendar file" in calendar.last_error
    assert before + dt.timedelta(minutes=30) <= calendar.next_fetch_at <= timezone.now() + dt.timedelta(minutes=30)
    assert blocks_of(calendar) == normal.expected

    server.routes["/personal.ics"] = Route(normal.body)
    before = timezone.now()
    calendar = external_calendars.external_calendar_refresh(actor=person, calendar_id=calendar.pk)
    assert calendar.status == ImportStatus.OK and calendar.failures == 0 and calendar.last_error == ""
    assert before + dt.timedelta(minutes=30) <= calendar.next_fetch_at <= timezone.now() + dt.timedelta(minutes=30)
    assert AuditEntry.objects.filter(action="external_calendar.refresh_failed", object_id=str(calendar.pk)).count() == 2


def test_backoff_doubles_up_to_a_day():
    assert [external_calendars.backoff(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (15, 30, 60, 120)]
    assert external_calendars.backoff(7) == dt.timedelta(hours=16)
    assert external_calendars.backoff(8) == external_calendars.backoff(500) == dt.timedelta(hours=24)


@pytest.mark.django_db
def test_refresh_through_the_ssrf_guard_records_the_refusal(server, settings):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = False
    server.routes["/personal.ics"] = Route(normal_calendar().body)
    person = UserFactory()
    calendar = make_calendar(person, server.url("/personal.ics"))

    calendar = external_calendars.external_calendar_refresh(actor=person, calendar_id=calendar.pk)

    assert calendar.status == ImportStatus.ERROR and "private or local network address" in calendar.last_error
    assert server.hits == [] and not AvailabilityBlock.objects.exists()


@pytest.mark.django_db
def test_only_the_owner_can_refresh_or_remove(server):
    server.routes["/personal.ics"] = Route(normal_calendar().body)
    owner, other = UserFactory(), UserFactory()
    calendar = make_calendar(owner, server.url("/personal.ics"))
    external_calendars.external_calendar_refresh(actor=owner, calendar_id=calendar.pk)
    hits = len(server.hits)

    with pytest.raises(NotFound):
        external_calendars.external_calendar_refresh(actor=other, calendar_id=calendar.pk)
    with pytest.raises(NotFound):
        external_calendars.external_calendar_remove(actor=other, calendar_id=calendar.pk)
    assert len(server.hits) == hits
    assert AvailabilityBlock.objects.filter(calendar=calendar).count() == 6

    external_calendars.external_calendar_remove(actor=owner, calendar_id=calendar.pk)
    assert not ExternalCalendar.objects.filter(pk=calendar.pk).exists()
    assert not AvailabilityBlock.objects.filter(source=BlockSource.IMPORT).exists()
    assert AuditEntry.objects.filter(action="external_calendar.removed", object_id=str(calendar.pk)).exists()
    with pytest.raises(NotFound):
        external_calendars.external_calendar_remove(actor=owner, calendar_id=calendar.pk)


@pytest.mark.django_db
def test_refresh_due_calendars_picks_only_due_ones(server):
    body = normal_calendar().body
    for path in ("/personal.ics", "/personal.ics?never", "/personal.ics?later"):
        server.routes[path] = Route(body)
    person = UserFactory()
    now = timezone.now()
    overdue = make_calendar(person, server.url("/personal.ics"), name="Overdue", next_fetch_at=now - dt.timedelta(minutes=1))
    never = make_calendar(person, server.url("/personal.ics?never"), name="Never fetched")
    later = make_calendar(person, server.url("/personal.ics?later"), name="Later", next_fetch_at=now + dt.timedelta(minutes=5))

    assert tasks.refresh_external_calendars() == 2

    overdue.refresh_from_db(), never.refresh_from_db(), later.refresh_from_db()
    assert overdue.status == never.status == ImportStatus.OK
    assert overdue.next_fetch_at > now + dt.timedelta(minutes=59)
    assert later.status == ImportStatus.PENDING and later.last_attempt_at is None
    assert later.next_fetch_at == now + dt.timedelta(minutes=5)
    assert sorted(server.hits) == ["/personal.ics", "/personal.ics?never"]
    # the periodic job audits an outcome that changed (pending → ok), with no person as actor
    assert AuditEntry.objects.filter(action="external_calendar.refreshed", actor=None).count() == 2
    assert external_calendars.refresh_due_calendars() == 0
