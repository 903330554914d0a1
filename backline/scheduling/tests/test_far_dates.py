"""Issue 10, defect 4: a far-future (or far-past) date must never break a calendar. Dates the product
accepts are bounded by one shared rule (``core.timeutil.check_planned``); rows already stored outside
the range (from before the bound, or imported) are skipped by every feed and calendar; an act event can
be deleted. Feeds are read back with the icalendar parser."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists.models import ActMember
from backline.core.errors import Invalid
from backline.core.timeutil import FUTURE_DAYS, PAST_DAYS, check_planned, planning_bounds
from backline.scheduling import feeds
from backline.scheduling.models import ActEvent, AvailabilityBlock, BlockSource, Commitment, EventStatus

UTC = dt.UTC
FAR = dt.datetime(9999, 12, 31, 20, 0, tzinfo=UTC)
TODAY = dt.date(2026, 12, 5)


# --- the bound ------------------------------------------------------------------------------------------

def test_the_bound_is_one_year_back_to_ten_years_ahead_inclusive():
    first, last = planning_bounds(TODAY)
    assert first == TODAY - dt.timedelta(days=PAST_DAYS) == dt.date(2025, 12, 4)
    assert last == TODAY + dt.timedelta(days=FUTURE_DAYS) == dt.date(2036, 12, 5)
    check_planned(today=TODAY, starts_on=first, ends_on=last)  # both edges are inside


@pytest.mark.parametrize("value", [dt.date(2025, 12, 3), dt.date(2036, 12, 6), dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_a_date_one_day_beyond_either_edge_is_refused_with_a_field_error(value):
    with pytest.raises(Invalid) as exc:
        check_planned(today=TODAY, starts_on=value)
    assert list(exc.value.errors) == ["starts_on"]
    assert "4 Dec 2025" in exc.value.errors["starts_on"][0] and "5 Dec 2036" in exc.value.errors["starts_on"][0]


def test_datetimes_are_bounded_by_their_utc_day_even_at_the_very_ends_of_the_calendar():
    last_ok = dt.datetime(2036, 12, 5, 23, 59, tzinfo=UTC)
    check_planned(today=TODAY, starts_at=last_ok, ends_at=dt.datetime(2025, 12, 4, 0, 0, tzinfo=UTC))
    with pytest.raises(Invalid) as exc:
        check_planned(today=TODAY, starts_at=last_ok + dt.timedelta(minutes=1),
                      ends_at=dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-14))),
                      other=dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=14))))
    assert set(exc.value.errors) == {"starts_at", "ends_at", "other"}


def test_none_and_lists_of_dates():
    check_planned(today=TODAY, ends_on=None, exdates=[TODAY, TODAY + dt.timedelta(days=3)])
    with pytest.raises(Invalid) as exc:
        check_planned(today=TODAY, exdates=[TODAY, dt.date(9999, 1, 1)])
    assert list(exc.value.errors) == ["exdates"]


# --- stored rows beyond the range never break a feed or a calendar ---------------------------------------

@pytest.fixture
def owls(make_team):
    workspace, band = make_team(WorkspaceKind.ACT, name="The Far Owls")
    return workspace, band


def _stored_far_rows(workspace, band) -> None:
    """What the database may hold from before the bound: an act event in 9999 (and one in year 1 that
    ends now), with the commitments the event gave its participants."""
    act = workspace.act
    member = band[Role.MEMBER]
    for starts_at, ends_at, title in ((FAR, FAR + dt.timedelta(hours=3), "Far rehearsal"),
                                      (dt.datetime(1, 1, 1, tzinfo=UTC), timezone.now() + dt.timedelta(days=1), "Ancient")):
        event = ActEvent.objects.create(act=act, title=title, starts_at=starts_at, ends_at=ends_at,
                                        time_zone="Pacific/Kiritimati", status=EventStatus.CANCELLED)
        event.participants.set(ActMember.objects.filter(act=act, user=member))
        Commitment.objects.create(user=member, workspace=workspace, source_type="act_event", source_id=event.pk,
                                  title=title, starts_at=starts_at, ends_at=ends_at, time_zone="Pacific/Kiritimati")
    # An imported busy block from the start to the end of the calendar, in a zone west of UTC.
    AvailabilityBlock.objects.create(user=member, state="busy", source=BlockSource.IMPORT, label="Forever",
                                     starts_at=dt.datetime(1, 1, 1, tzinfo=UTC),
                                     ends_at=dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC), time_zone="America/New_York")
    start = timezone.now() + dt.timedelta(days=3)
    ActEvent.objects.create(act=act, title="Normal rehearsal", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                            time_zone="Europe/Berlin")
    Commitment.objects.create(user=member, workspace=workspace, source_type="test", source_id=1, title="Normal rehearsal",
                              starts_at=start, ends_at=start + dt.timedelta(hours=2), time_zone="Europe/Berlin")


def _summaries(client, feed) -> list[str]:
    response = client.get(f"/feeds/{feed.token}.ics")
    assert response.status_code == 200
    return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]


def test_a_stored_year_9999_event_does_not_break_the_act_feed_or_the_members_feed(owls, client):
    workspace, band = owls
    _stored_far_rows(workspace, band)
    act_feed = feeds.feed_for_act(actor=band[Role.OWNER], workspace_id=workspace.pk)
    feeds.feed_set_green_zone(actor=band[Role.OWNER], feed_id=act_feed.pk, include=True)
    assert "Normal rehearsal" in _summaries(client, act_feed)
    assert "Far rehearsal" not in _summaries(client, act_feed)
    person = _summaries(client, feeds.feed_for_person(actor=band[Role.MEMBER]))
    assert "Normal rehearsal" in person and "Far rehearsal" not in person


def test_a_stored_year_9999_commitment_does_not_break_the_calendar_pages_or_the_api(owls, client, login_client):
    workspace, band = owls
    _stored_far_rows(workspace, band)
    member = band[Role.MEMBER]
    api = {"HTTP_AUTHORIZATION": f"Bearer {issue_access_token(member)[0]}"}
    now = timezone.now()
    response = client.get("/api/v1/me/calendar", {"start": now.isoformat(), "end": (now + dt.timedelta(days=30)).isoformat()},
                          **api)
    assert response.status_code == 200, response.content
    assert "Normal rehearsal" in {i["title"] for i in response.json()}
    # A range at the very end of the calendar answers (an empty list or a 422), never 500.
    far = client.get("/api/v1/me/calendar", {"start": "9999-06-01T00:00:00Z", "end": "9999-12-31T23:59:00Z"}, **api)
    assert far.status_code in (200, 422), far.content
    web = login_client(member)
    for url in ("/me/availability/", f"/w/{workspace.slug}/schedule/"):
        page = web.get(url)
        assert page.status_code == 200, url
        assert "Far rehearsal" not in page.content.decode()


# --- imported calendars ----------------------------------------------------------------------------------

def _vcalendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Backline tests//EN\r\n{body}END:VCALENDAR\r\n".encode()


def test_an_imported_event_reaching_the_ends_of_the_calendar_is_clamped_to_the_horizon_not_an_error():
    from backline.scheduling.imports import parse_busy

    start, end = dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 1, tzinfo=UTC)
    body = _vcalendar(
        "UID:forever\r\nSUMMARY:Forever\r\nDTSTART:00010101T000000\r\nDTEND:99991231T235959",  # floating, in -10:00
        "UID:far\r\nSUMMARY:Far\r\nDTSTART:99991231T220000Z\r\nDTEND:99991231T230000Z",
        "UID:near\r\nSUMMARY:Near\r\nDTSTART:20250603T100000Z\r\nDTEND:20250603T110000Z",
    )
    events = parse_busy(body, horizon_start=start, horizon_end=end, time_zone="Pacific/Honolulu")
    assert [tuple(e) for e in events] == [
        (start, end, False, "Forever"),
        (dt.datetime(2025, 6, 3, 10, tzinfo=UTC), dt.datetime(2025, 6, 3, 11, tzinfo=UTC), False, "Near"),
    ]


# --- deleting an act event --------------------------------------------------------------------------------

def test_a_stored_year_9999_event_opens_and_can_be_deleted_with_its_commitments_and_an_audit_entry(owls, client,
                                                                                                 login_client):
    from backline.core.models import AuditEntry

    workspace, band = owls
    _stored_far_rows(workspace, band)
    far = ActEvent.objects.get(title="Far rehearsal")
    ActEvent.objects.filter(pk=far.pk).update(starts_at=dt.datetime(9999, 12, 31, 22, tzinfo=UTC),
                                              ends_at=dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    web = login_client(band[Role.ADMIN])
    page = web.get(f"/w/{workspace.slug}/schedule/events/{far.pk}/")
    assert page.status_code == 200 and 'data-testid="event-delete"' in page.content.decode()
    assert 'data-testid="event-delete"' not in login_client(band[Role.MEMBER]).get(
        f"/w/{workspace.slug}/schedule/events/{far.pk}/").content.decode()

    response = web.post(f"/w/{workspace.slug}/schedule/events/{far.pk}/delete/")
    assert response.status_code == 302
    assert not ActEvent.objects.filter(pk=far.pk).exists()
    assert not Commitment.objects.filter(source_type="act_event", source_id=far.pk).exists()
    entry = AuditEntry.objects.get(action="act_event.deleted")
    assert entry.before["title"] == "Far rehearsal" and entry.before["commitments_of"] == [band[Role.MEMBER].pk]


def test_deleting_an_event_through_the_api_removes_it_from_the_feeds(owls, client):
    workspace, band = owls
    owner = {"HTTP_AUTHORIZATION": f"Bearer {issue_access_token(band[Role.OWNER])[0]}"}
    start = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    event = client.post(f"/api/v1/acts/{workspace.pk}/events", {
        "title": "Typo rehearsal", "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=2)).isoformat()},
        content_type="application/json", **owner).json()
    act_feed = feeds.feed_for_act(actor=band[Role.OWNER], workspace_id=workspace.pk)
    person_feed = feeds.feed_for_person(actor=band[Role.MEMBER])
    assert "Typo rehearsal" in _summaries(client, act_feed)
    assert "Typo rehearsal · The Far Owls" in _summaries(client, person_feed)

    member = {"HTTP_AUTHORIZATION": f"Bearer {issue_access_token(band[Role.MEMBER])[0]}"}
    assert client.delete(f"/api/v1/events/{event['id']}", **member).status_code == 403
    assert client.delete(f"/api/v1/events/{event['id']}", **owner).status_code == 204
    assert client.delete(f"/api/v1/events/{event['id']}", **owner).status_code == 404
    assert "Typo rehearsal" not in _summaries(client, act_feed)
    assert not [s for s in _summaries(client, person_feed) if "Typo" in s]


def test_a_stored_share_link_reaching_year_9999_still_opens_as_page_pdf_and_json(owls, client):
    from backline.scheduling.models import ShareLink

    workspace, band = owls
    _stored_far_rows(workspace, band)
    today = timezone.now().date()
    link = ShareLink.objects.create(act=workspace.act, starts_on=today, ends_on=dt.date(9999, 12, 31))
    gone = ShareLink.objects.create(act=workspace.act, starts_on=dt.date(9999, 1, 1), ends_on=dt.date(9999, 12, 31))
    for url in (f"/availability/{link.token}/", f"/availability/{link.token}.pdf",
                f"/api/v1/public/availability/{link.token}"):
        assert client.get(url).status_code == 200, url
    for url in (f"/availability/{gone.token}/", f"/api/v1/public/availability/{gone.token}"):
        assert client.get(url).status_code == 404, url


def test_a_stored_year_9999_event_opens_for_editing_and_an_old_events_notes_can_still_change(owls, login_client):
    """Review findings: the edit page converted a year-9999 time without the guard (500), and an event
    more than a year old could not change its notes (its unchanged times were re-bounded)."""
    from backline.scheduling.services.act_events import act_event_update

    workspace, band = owls
    far = ActEvent.objects.create(act=workspace.act, title="Far", starts_at=dt.datetime(9999, 12, 31, 22, tzinfo=UTC),
                                  ends_at=dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC), time_zone="Pacific/Kiritimati")
    page = login_client(band[Role.ADMIN]).get(f"/w/{workspace.slug}/schedule/events/{far.pk}/edit/")
    assert page.status_code == 200

    start = timezone.now() - dt.timedelta(days=500)
    old = ActEvent.objects.create(act=workspace.act, title="Old", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                  time_zone="Europe/Berlin")
    act_event_update(actor=band[Role.ADMIN], event_id=old.pk, notes="Recorded it", starts_at=old.starts_at,
                     ends_at=old.ends_at)
    old.refresh_from_db()
    assert old.notes == "Recorded it"
    with pytest.raises(Invalid):  # moving it is giving new times: those are bounded
        act_event_update(actor=band[Role.ADMIN], event_id=old.pk, starts_at=start + dt.timedelta(hours=1),
                         ends_at=start + dt.timedelta(hours=3))
