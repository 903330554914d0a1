"""An act's schedule shows every commitment of the act: its holds, offers, confirmed and played shows
(from bookings) beside its own rehearsals; in the page, in what the calendar reads, and in the act's
feed. Its page and feed read a constant number of queries whatever the size of the band."""

import datetime as dt

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services
from backline.scheduling import feeds
from backline.scheduling.services import act_events, availability
from backline.venues.models import Venue
from tests.factories import UserFactory
from tests.pages import url


@pytest.fixture
def world(make_team):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    return venue_ws, buyer, act_ws, band, Venue.objects.get(workspace=venue_ws)


def _booking(world, title, days, *, stage):
    venue_ws, buyer, act_ws, band, venue = world
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0, second=0)
    b = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title=title, act_id=act_ws.act.pk,
                                venue_id=venue.pk)
    services.hold_place(actor=buyer[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    if stage in ("offer", "confirmed"):
        services.offer_make(actor=buyer[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="500")
    if stage == "confirmed":
        services.offer_accept(actor=band[Role.OWNER], booking_id=b.pk)
    return b


@pytest.fixture
def schedule(world, django_capture_on_commit_callbacks):
    """A rehearsal, a confirmed show, an offer and a hold of the act, in that order (committed, as
    requests would have left them)."""
    _, _, act_ws, band, _ = world
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0, second=0)
    with django_capture_on_commit_callbacks(execute=True):
        act_events.act_event_create(actor=band[Role.OWNER], workspace_id=act_ws.pk, title="Rehearsal for the tour",
                                    starts_at=start, ends_at=start + dt.timedelta(hours=3))
        return [_booking(world, "Release night", 10, stage="confirmed"),
                _booking(world, "Autumn club show", 20, stage="offer"), _booking(world, "Festival warm-up", 30, stage="hold")]


def test_the_schedule_page_lists_the_acts_shows_holds_and_offers_with_its_events(world, schedule, login_client):
    _, _, act_ws, band, _ = world
    page = login_client(band[Role.MEMBER]).get(url(act_ws, "schedule/")).content.decode()
    upcoming = page[page.index('data-testid="upcoming"'):]
    titles = ["Rehearsal for the tour", "Release night", "Autumn club show", "Festival warm-up"]
    assert [upcoming.index(t) for t in titles] == sorted(upcoming.index(t) for t in titles)  # by date
    assert "Show · " in upcoming and "Offer · " in upcoming and "1st hold · " in upcoming
    assert f'data-booking-url="/w/{act_ws.slug}/bookings/"' in page  # the calendar reads the act's bookings too


def test_the_calendar_reads_the_acts_bookings_from_the_api(world, schedule, bearer, client):
    """What the act calendar asks for (calendar.js): the act's bookings from the hold on, dated."""
    _, _, act_ws, band, _ = world
    start, end = timezone.now(), timezone.now() + dt.timedelta(days=42)
    query = [("workspace_id", act_ws.pk), ("start", start.isoformat()), ("end", end.isoformat()), ("page_size", 200)]
    query += [("status", s) for s in ("hold", "offer", "confirmed", "completed")]
    response = client.get("/api/v1/bookings", query, **bearer(band[Role.VIEWER]))
    assert response.status_code == 200
    assert {(b["title"], b["status"]) for b in response.json()["items"]} == {
        ("Release night", "confirmed"), ("Autumn club show", "offer"), ("Festival warm-up", "hold")}


def test_the_act_feed_carries_its_shows_holds_and_offers(world, schedule, client):
    _, _, act_ws, band, _ = world
    feed = feeds.feed_for_act(actor=band[Role.MEMBER], workspace_id=act_ws.pk)
    response = client.get(f"/feeds/{feed.token}.ics")
    events = {str(e["SUMMARY"]): str(e["STATUS"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert events == {"Rehearsal for the tour": "CONFIRMED", "Show at Lantern Hall": "CONFIRMED",
                      "Offer at Lantern Hall": "TENTATIVE", "1st hold at Lantern Hall": "TENTATIVE"}


def _grow_the_band(act_ws, owner, n, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(n):
            person = UserFactory()
            invitation = accounts.invitation_create(actor=owner, workspace_id=act_ws.pk, email=person.email,
                                                    role=Role.MEMBER)
            accounts.invitation_accept(user=person, token=invitation.token)
            availability.availability_rule_create(actor=person, state="free", starts_on=timezone.localdate(),
                                                  start_time=dt.time(18), end_time=dt.time(23),
                                                  rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
            availability.availability_block_create(actor=person, state="busy",
                                                   starts_at=timezone.now() + dt.timedelta(days=4),
                                                   ends_at=timezone.now() + dt.timedelta(days=5))


def _queries(fetch, *, cold: bool) -> int:
    if cold:
        cache.clear()
    else:
        fetch()
    with CaptureQueriesContext(connection) as ctx:
        assert fetch().status_code == 200
    return len(ctx)


def test_the_schedule_page_and_feed_read_constant_queries_whatever_the_band(world, schedule, login_client, client,
                                                                            django_capture_on_commit_callbacks):
    _, _, act_ws, band, _ = world
    owner = band[Role.OWNER]
    owner_client = login_client(owner)
    feed = feeds.feed_for_act(actor=owner, workspace_id=act_ws.pk)
    feeds.feed_set_green_zone(actor=owner, feed_id=feed.pk, include=True)
    fetches = {"page": lambda: owner_client.get(url(act_ws, "schedule/")),
               "feed": lambda: client.get(f"/feeds/{feed.token}.ics"),
               "green zone": lambda: owner_client.get(f"/api/v1/acts/{act_ws.pk}/green-zone",
                                                      {"start": timezone.localdate().isoformat(),
                                                       "end": (timezone.localdate() + dt.timedelta(days=41)).isoformat()})}
    _grow_the_band(act_ws, owner, 2, django_capture_on_commit_callbacks)
    fetches["page"]()  # the first visit remembers the workspace in the session
    few = {name: (_queries(fetch, cold=True), _queries(fetch, cold=False)) for name, fetch in fetches.items()}
    _grow_the_band(act_ws, owner, 12, django_capture_on_commit_callbacks)
    many = {name: (_queries(fetch, cold=True), _queries(fetch, cold=False)) for name, fetch in fetches.items()}
    assert many == few, f"queries (cold cache, warm cache) with 7 members {few}, with 17 {many}"
    # A warm cache reads no one's patterns, blocks or commitments: three queries fewer.
    assert all(warm == cold - 3 for cold, warm in many.values())
