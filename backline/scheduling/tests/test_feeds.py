"""Secret-token iCal feeds: every feed is read back by icalendar and by recurring_ical_events (a real
consumer), and checked against RFC 5545 basics (UID, DTSTAMP, a VTIMEZONE per TZID, no floating time)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.core.errors import Forbidden, NotFound
from backline.core.models import AuditEntry
from backline.scheduling import feeds
from backline.scheduling.models import (
    ActEvent,
    AvailabilityBlock,
    BlockSource,
    CalendarFeed,
    Commitment,
    CommitmentStatus,
    EventKind,
    EventStatus,
    ExternalCalendar,
    FeedKind,
    State,
)
from tests.factories import UserFactory

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
CONTENT_TYPE = "text/calendar; charset=utf-8"
DATE_PROPS = {"DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED", "CREATED", "RECURRENCE-ID"}


# --- helpers -----------------------------------------------------------------------------------------------

def _unfolded_lines(body: bytes) -> list[str]:
    return body.decode().replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def parse_feed(body: bytes) -> icalendar.Calendar:
    """Parse with both libraries and check what every feed must satisfy; returns the icalendar object."""
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["PRODID"]) == "-//Backline//Backline//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"])
    assert "UID" not in cal  # no random calendar UID: regenerations must be identical
    events = cal.walk("VEVENT")
    for event in events:
        assert event.get("UID"), event
        assert event.get("DTSTAMP"), event
        assert event["DTSTAMP"].dt.tzinfo is not None
        for name in ("DTSTART", "DTEND"):
            value = event[name].dt
            assert isinstance(value, dt.datetime) and value.tzinfo is not None, (name, event)
    # No floating time on the wire: each date-time carries a TZID or is UTC ("Z").
    in_vtimezone = False
    for line in _unfolded_lines(body):
        if line in ("BEGIN:VTIMEZONE", "END:VTIMEZONE"):
            in_vtimezone = line == "BEGIN:VTIMEZONE"
            continue
        head, _, value = line.partition(":")
        name = head.split(";")[0]
        if name in DATE_PROPS and not in_vtimezone:
            assert "TZID=" in head or value.endswith("Z"), line
    # Every TZID used has its VTIMEZONE.
    used = set(re.findall(r";TZID=([^;:]+)", body.decode()))
    described = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert used <= described, used - described
    assert cal.get_missing_tzids() == set()
    # A real consumer reads the same events.
    occurrences = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(
        dt.datetime(2000, 1, 1, tzinfo=UTC), dt.datetime(2100, 1, 1, tzinfo=UTC))
    assert sorted(str(o["UID"]) for o in occurrences) == sorted(str(e["UID"]) for e in events)
    for occurrence in occurrences:
        assert occurrence["DTSTART"].dt.tzinfo is not None
    return cal


def by_uid(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def soon(days: int, hour: int = 19, zone=BERLIN) -> dt.datetime:
    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone)


_source_ids = iter(range(1, 1_000_000))


def commitment(user, workspace, *, title="Rehearsal", days=7, hours=3, zone=BERLIN, status=CommitmentStatus.CONFIRMED,
               location="Proberaum 4", sequence=0) -> Commitment:
    start = soon(days, zone=zone)
    return Commitment.objects.create(
        user=user, workspace=workspace, source_type="test", source_id=next(_source_ids), title=title,
        location=location, starts_at=start, ends_at=start + dt.timedelta(hours=hours), time_zone=str(zone),
        status=status, sequence=sequence)


def act_event(act, *, title="Band rehearsal", days=5, kind=EventKind.REHEARSAL, status=EventStatus.SCHEDULED,
              zone=BERLIN, sequence=0) -> ActEvent:
    start = soon(days, zone=zone)
    return ActEvent.objects.create(act=act, kind=kind, title=title, starts_at=start,
                                   ends_at=start + dt.timedelta(hours=2), time_zone=str(zone), location="Proberaum 4",
                                   status=status, sequence=sequence)


@pytest.fixture
def owls(make_team):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Velvet Owls")
    return workspace, people


def feed_url(feed: CalendarFeed) -> str:
    return reverse("calendar_feed", kwargs={"token": feed.token})


# --- person feed -------------------------------------------------------------------------------------------

def test_person_feed_lists_own_commitments_across_workspaces(owls, make_team):
    owls_ws, people = owls
    other_ws, _ = make_team(WorkspaceKind.ACT, name="Night Trains")
    alice, bob = people[Role.MEMBER], people[Role.VIEWER]
    # Titled as their sources title them: the act or agency is named already, and the feed adds nothing.
    rehearsal = commitment(alice, owls_ws, title="Rehearsal · The Velvet Owls")
    gig = commitment(alice, other_ws, title="Club show · Night Trains", days=12, zone=NEW_YORK, status=CommitmentStatus.TENTATIVE,
                     location="Brooklyn", sequence=3)
    dropped = commitment(alice, owls_ws, title="Cancelled rehearsal", days=9, status=CommitmentStatus.CANCELLED)
    old = commitment(alice, owls_ws, title="Long ago", days=-120)
    recent = commitment(alice, owls_ws, title="Last month", days=-30)
    bobs = commitment(bob, owls_ws, title="Bob's dentist-free slot")

    cal = parse_feed(feeds.person_calendar(alice))
    events = by_uid(cal)

    assert set(events) == {f"commitment-{c.uid}@backline" for c in (rehearsal, gig, dropped, recent)}
    assert f"commitment-{old.uid}@backline" not in events
    assert f"commitment-{bobs.uid}@backline" not in events

    first = events[f"commitment-{rehearsal.uid}@backline"]
    assert str(first["SUMMARY"]) == "Rehearsal · The Velvet Owls"
    assert str(first["LOCATION"]) == "Proberaum 4"
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert first["DTSTART"].dt == rehearsal.starts_at and first["DTEND"].dt == rehearsal.ends_at
    rehearsal.refresh_from_db()
    assert first["DTSTAMP"].dt == rehearsal.updated_at.astimezone(UTC).replace(microsecond=0)
    assert first["LAST-MODIFIED"].dt == first["DTSTAMP"].dt
    assert str(first["STATUS"]) == "CONFIRMED"
    assert int(first["SEQUENCE"]) == 0

    second = events[f"commitment-{gig.uid}@backline"]
    assert str(second["SUMMARY"]) == "Club show · Night Trains"
    assert second["DTSTART"].params["TZID"] == "America/New_York"
    assert second["DTSTART"].dt.astimezone(UTC) == gig.starts_at
    assert str(second["STATUS"]) == "TENTATIVE"
    assert int(second["SEQUENCE"]) == 3
    assert str(events[f"commitment-{dropped.uid}@backline"]["STATUS"]) == "CANCELLED"

    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} >= {"Europe/Berlin", "America/New_York"}


def test_person_feed_never_shows_someone_elses_commitments(owls):
    workspace, people = owls
    alice, bob = people[Role.MEMBER], people[Role.VIEWER]
    commitment(alice, workspace, title="Alice only")
    commitment(bob, workspace, title="Bob only")
    body = feeds.person_calendar(alice)
    parse_feed(body)
    assert b"Alice only" in body and b"Bob only" not in body


def test_person_feed_uids_stable_and_sequence_from_row(owls):
    workspace, people = owls
    alice = people[Role.MEMBER]
    row = commitment(alice, workspace)
    uid = f"commitment-{row.uid}@backline"
    first, second = by_uid(parse_feed(feeds.person_calendar(alice))), by_uid(parse_feed(feeds.person_calendar(alice)))
    assert set(first) == set(second) == {uid}
    assert int(first[uid]["SEQUENCE"]) == 0

    Commitment.objects.filter(pk=row.pk).update(sequence=4)
    assert int(by_uid(parse_feed(feeds.person_calendar(alice)))[uid]["SEQUENCE"]) == 4


def test_empty_person_feed_is_a_valid_calendar(user):
    cal = parse_feed(feeds.person_calendar(user))
    assert cal.walk("VEVENT") == []
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


# --- act feed ----------------------------------------------------------------------------------------------

def test_act_feed_shows_act_events_and_no_private_data(owls, make_team):
    workspace, people = owls
    act, alice = workspace.act, people[Role.MEMBER]
    rehearsal = act_event(act, title="Band rehearsal", sequence=2)
    recording = act_event(act, title="Studio day", kind=EventKind.RECORDING, days=20, zone=NEW_YORK)
    called_off = act_event(act, title="Called-off rehearsal", days=8, status=EventStatus.CANCELLED)
    old = act_event(act, title="Ancient rehearsal", days=-200)
    # Private things of a member: an imported calendar, its busy block, a manual block, another act.
    private = ExternalCalendar.objects.create(user=alice, name="Alice private calendar", url="https://example.org/a.ics")
    AvailabilityBlock.objects.create(user=alice, state=State.BUSY, starts_at=soon(5, 10), ends_at=soon(5, 12),
                                     label="Therapy session", source=BlockSource.IMPORT, calendar=private)
    AvailabilityBlock.objects.create(user=alice, state=State.BUSY, starts_at=soon(6, 10), ends_at=soon(6, 12),
                                     label="Dentist")
    other_ws, _ = make_team(WorkspaceKind.ACT, name="Side Project")
    commitment(alice, other_ws, title="Secret side gig")

    body = feeds.act_calendar(act, green_zone_intervals=None)
    cal = parse_feed(body)
    events = by_uid(cal)
    assert set(events) == {f"act-event-{e.uid}@backline" for e in (rehearsal, recording, called_off)}
    assert f"act-event-{old.uid}@backline" not in events
    for secret in (b"Therapy session", b"Dentist", b"Alice private calendar", b"Secret side gig", b"Side Project"):
        assert secret not in body

    first = events[f"act-event-{rehearsal.uid}@backline"]
    assert str(first["SUMMARY"]) == "Band rehearsal"
    assert int(first["SEQUENCE"]) == 2
    assert str(first["STATUS"]) == "CONFIRMED"
    assert [str(c) for c in first["CATEGORIES"].cats] == ["rehearsal"]
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    studio = events[f"act-event-{recording.uid}@backline"]
    assert [str(c) for c in studio["CATEGORIES"].cats] == ["recording"]
    assert studio["DTSTART"].params["TZID"] == "America/New_York"
    assert str(events[f"act-event-{called_off.uid}@backline"]["STATUS"]) == "CANCELLED"
    assert str(cal["X-WR-CALNAME"]) == "The Velvet Owls · Backline"
    assert not any(str(e["SUMMARY"]) == "Everyone free" for e in events.values())


def test_act_feed_green_zone_is_transparent_and_stable(owls):
    workspace, _ = owls
    act = workspace.act
    event = act_event(act)
    intervals = [(soon(3, 18), soon(3, 23)), (soon(4, 10), soon(4, 22))]

    first = by_uid(parse_feed(feeds.act_calendar(act, green_zone_intervals=intervals)))
    second = by_uid(parse_feed(feeds.act_calendar(act, green_zone_intervals=list(reversed(intervals)))))
    assert set(first) == set(second)
    green = {uid: e for uid, e in first.items() if str(e["SUMMARY"]) == "Everyone free"}
    assert len(green) == 2
    for uid, e in green.items():
        assert uid.startswith(f"green-zone-{act.pk}-") and uid.endswith("@backline")
        assert str(e["TRANSP"]) == "TRANSPARENT"
    assert str(first[f"act-event-{event.uid}@backline"]["TRANSP"]) == "OPAQUE"

    # A changed interval gets a new UID; the unchanged one keeps its own.
    changed = [intervals[0], (soon(4, 12), soon(4, 22))]
    third = by_uid(parse_feed(feeds.act_calendar(act, green_zone_intervals=changed)))
    kept = feeds.green_zone_uid(act, *intervals[0])
    assert kept in green and kept in third
    assert feeds.green_zone_uid(act, *intervals[1]) not in third


def test_act_feed_sequence_follows_the_row(owls):
    act = owls[0].act
    row = act_event(act)
    uid = f"act-event-{row.uid}@backline"
    assert int(by_uid(parse_feed(feeds.act_calendar(act)))[uid]["SEQUENCE"]) == 0
    ActEvent.objects.filter(pk=row.pk).update(sequence=7)
    assert int(by_uid(parse_feed(feeds.act_calendar(act)))[uid]["SEQUENCE"]) == 7


# --- venue feed --------------------------------------------------------------------------------------------

@pytest.fixture
def venue_team(make_team):
    workspace, people = make_team(WorkspaceKind.VENUE, name="Lido")
    return workspace.venues.get(), people


@pytest.fixture
def fresh_sources(monkeypatch):
    monkeypatch.setattr(feeds, "_VENUE_FEED_SOURCES", [])


def test_venue_feed_without_sources_is_an_empty_valid_calendar(venue_team, fresh_sources):
    venue, _ = venue_team
    cal = parse_feed(feeds.venue_calendar(venue, feeds.venue_feed_items(venue)))
    assert cal.walk("VEVENT") == []
    assert cal.walk("VTIMEZONE")  # the venue's zone, so the calendar holds a component


def test_venue_feed_from_a_registered_source(venue_team, fresh_sources, client):
    venue, people = venue_team
    show_uid, cancelled_uid = uuid.uuid4(), uuid.uuid4()
    start = soon(10, 20)

    @feeds.register_venue_feed_source
    def shows(v):
        assert v == venue
        return [
            {"uid": show_uid, "sequence": 1, "title": "The Velvet Owls live", "starts_at": start,
             "ends_at": start + dt.timedelta(hours=3), "time_zone": "Europe/Berlin", "status": "confirmed"},
            {"uid": cancelled_uid, "sequence": 2, "title": "Called off", "starts_at": start + dt.timedelta(days=1),
             "ends_at": start + dt.timedelta(days=1, hours=3), "time_zone": "Europe/Berlin", "status": "cancelled"},
        ]

    feeds.register_venue_feed_source(shows)  # registering twice has no effect
    feed = feeds.feed_for_venue(actor=people[Role.VIEWER], venue_id=venue.pk)
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    events = by_uid(parse_feed(response.content))
    assert set(events) == {f"show-{show_uid}@backline", f"show-{cancelled_uid}@backline"}
    show = events[f"show-{show_uid}@backline"]
    assert str(show["SUMMARY"]) == "The Velvet Owls live" and int(show["SEQUENCE"]) == 1
    assert str(show["LOCATION"]).startswith("Lido")
    assert str(events[f"show-{cancelled_uid}@backline"]["STATUS"]) == "CANCELLED"


# --- the public endpoint --------------------------------------------------------------------------------------

def test_feed_endpoint_headers_and_no_login(owls, client, django_assert_max_num_queries):
    workspace, people = owls
    alice = people[Role.MEMBER]
    for days in range(1, 8):
        commitment(alice, workspace, days=days)
    feed = feeds.feed_for_person(actor=alice)
    url = feed_url(feed)
    assert url == f"/feeds/{feed.token}.ics"

    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'inline; filename="backline-my-commitments.ics"'
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "max-age=300"} <= cache
    assert len(parse_feed(response.content).walk("VEVENT")) == 7

    assert client.get("/feeds/not-a-token.ics").status_code == 404
    assert client.post(url).status_code == 405


def test_rotated_token_answers_404_and_new_token_200(owls, client):
    workspace, people = owls
    owner = people[Role.OWNER]
    feed = feeds.feed_for_act(actor=people[Role.VIEWER], workspace_id=workspace.pk)
    old_url = feed_url(feed)
    assert client.get(old_url).status_code == 200

    rotated = feeds.feed_rotate(actor=owner, feed_id=feed.pk)
    assert rotated.pk == feed.pk and rotated.token != feed.token
    assert client.get(old_url).status_code == 404
    response = client.get(feed_url(rotated))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="backline-the-velvet-owls.ics"'

    entry = AuditEntry.objects.get(action="calendar_feed.rotated")
    assert entry.actor == owner and entry.workspace_id == workspace.pk
    assert entry.before["token"] != entry.after["token"]
    assert feed.token not in str(entry.before) and rotated.token not in str(entry.after)


def test_green_zone_in_the_act_feed_endpoint(owls, client):
    from backline.scheduling.services import availability

    workspace, people = owls
    act = workspace.act
    for person in people.values():  # everyone free every evening from today
        availability.availability_rule_create(actor=person, state="free", starts_on=dt.date.today() - dt.timedelta(days=1),
                                              start_time=dt.time(18), end_time=dt.time(23), rrule="FREQ=DAILY",
                                              time_zone=workspace.time_zone)
    feed = feeds.feed_for_act(actor=people[Role.OWNER], workspace_id=workspace.pk)
    # Off by default: no green zone.
    assert "Everyone free" not in client.get(feed_url(feed)).content.decode()

    with pytest.raises(Forbidden):
        feeds.feed_set_green_zone(actor=people[Role.MEMBER], feed_id=feed.pk, include=True)
    feeds.feed_set_green_zone(actor=people[Role.ADMIN], feed_id=feed.pk, include=True)
    events = by_uid(parse_feed(client.get(feed_url(feed)).content))
    zone_events = [e for e in events.values() if str(e.get("SUMMARY")) == "Everyone free"]
    assert len(zone_events) >= 170  # one a day for six months
    first = zone_events[0]
    assert str(first.get("TRANSP")) == "TRANSPARENT"
    assert str(first.get("UID")) == feeds.green_zone_uid(act, first.decoded("DTSTART"), first.decoded("DTEND"))
    assert AuditEntry.objects.filter(action="calendar_feed.green_zone_changed", workspace_id=workspace.pk).count() == 1


# --- services: who may get which feed ---------------------------------------------------------------------------

def test_feed_for_person_is_created_once_and_audited(user):
    feed = feeds.feed_for_person(actor=user)
    assert feeds.feed_for_person(actor=user) == feed
    assert feed.kind == FeedKind.PERSON and feed.user == user
    entries = AuditEntry.objects.filter(action="calendar_feed.created")
    assert entries.count() == 1 and feed.token not in str(entries.get().after)


def test_person_feed_is_only_its_owners(user, make_user):
    feed = feeds.feed_for_person(actor=user)
    stranger = make_user()
    with pytest.raises(NotFound):
        feeds.feed_rotate(actor=stranger, feed_id=feed.pk)
    with pytest.raises(NotFound):
        feeds.feed_set_green_zone(actor=user, feed_id=feed.pk, include=True)  # not an act feed
    assert feeds.feed_rotate(actor=user, feed_id=feed.pk).token != feed.token


def test_act_feed_needs_membership_of_an_act(owls, make_team, make_user):
    workspace, people = owls
    outsider = make_user()
    with pytest.raises(NotFound):
        feeds.feed_for_act(actor=outsider, workspace_id=workspace.pk)
    venue_ws, venue_people = make_team(WorkspaceKind.VENUE, name="Lido")
    with pytest.raises(NotFound):
        feeds.feed_for_act(actor=venue_people[Role.OWNER], workspace_id=venue_ws.pk)
    feed = feeds.feed_for_act(actor=people[Role.VIEWER], workspace_id=workspace.pk)
    assert feeds.feed_for_act(actor=people[Role.OWNER], workspace_id=workspace.pk) == feed  # one per act
    with pytest.raises(NotFound):
        feeds.feed_rotate(actor=outsider, feed_id=feed.pk)
    with pytest.raises(NotFound):
        feeds.feed_set_green_zone(actor=outsider, feed_id=feed.pk, include=True)


def test_venue_feed_needs_membership_of_the_operating_workspace(venue_team, make_user, owls):
    venue, people = venue_team
    with pytest.raises(NotFound):
        feeds.feed_for_venue(actor=make_user(), venue_id=venue.pk)
    with pytest.raises(NotFound):
        feeds.feed_for_venue(actor=owls[1][Role.OWNER], venue_id=venue.pk)
    with pytest.raises(NotFound):
        feeds.feed_for_venue(actor=people[Role.OWNER], venue_id=venue.pk + 1000)
    feed = feeds.feed_for_venue(actor=people[Role.MEMBER], venue_id=venue.pk)
    assert feed.kind == FeedKind.VENUE and feed.venue == venue
    with pytest.raises(NotFound):
        feeds.feed_rotate(actor=owls[1][Role.OWNER], feed_id=feed.pk)
    with pytest.raises(Forbidden):  # rotating breaks every subscription: only editors may
        feeds.feed_rotate(actor=people[Role.MEMBER], feed_id=feed.pk)
    assert feeds.feed_rotate(actor=people[Role.ADMIN], feed_id=feed.pk).token != feed.token


def test_a_deactivated_persons_feed_answers_404(db, client):
    person = UserFactory()
    feed = feeds.feed_for_person(actor=person)
    assert client.get(feed_url(feed)).status_code == 200
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    assert client.get(feed_url(feed)).status_code == 404
