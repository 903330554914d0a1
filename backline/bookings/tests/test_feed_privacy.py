"""Issue 10, defect 3: a buyer's booking at a venue run by another workspace must not write into that
venue's calendar, and no feed or calendar shows another workspace's private title, notes or client.
Every feed is read back with the icalendar parser and the assertions are on the parsed text."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.models import ActMember
from backline.artists.services import performer_create, performer_link_user
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Status
from backline.core.errors import Conflict
from backline.scheduling import feeds
from backline.scheduling.models import Commitment
from backline.venues.models import Venue

SECRET = "Smith wedding (Jane Smith, +49 151 000000)"


def _start(days: int = 20) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0, second=0)


def parsed_events(client, feed) -> list[icalendar.Event]:
    response = client.get(f"/feeds/{feed.token}.ics")
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def texts(events) -> str:
    return " | ".join(str(e.get(name, "")) for e in events for name in ("SUMMARY", "DESCRIPTION", "LOCATION"))


@pytest.fixture
def hall(make_team):
    venue_ws, staff = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    return Venue.objects.get(workspace=venue_ws), staff


@pytest.fixture
def owls(make_team):
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    member = band[Role.MEMBER]
    ActMember.objects.filter(act=act_ws.act).update(is_optional=False)
    assert ActMember.objects.filter(act=act_ws.act, user=member).exists()
    return act_ws, band


def _agency_gig(make_team, venue, *, act=None, with_performer=False):
    """An agency logs a private client's wedding at someone else's venue and confirms it itself."""
    agency_ws, agents = make_team(WorkspaceKind.AGENCY, name="Starlight Agency")
    boss = agents[Role.OWNER]
    start = _start()
    booking = services.inquiry_create(actor=boss, workspace_id=agency_ws.pk, title=SECRET, venue_id=venue.pk,
                                      act_id=act.pk if act else None, notes="Client pays cash; code 4411",
                                      starts_at=start, ends_at=start + dt.timedelta(hours=3))
    if with_performer:  # an agency performer (role: performer, who may not open bookings) with a login
        performer = performer_create(actor=boss, workspace_id=agency_ws.pk, name="Pia Piano")
        performer_link_user(actor=boss, performer_id=performer.pk, user_id=agents[Role.PERFORMER].pk)
        agency_services.performer_assign(actor=boss, booking_id=booking.pk, performer_id=performer.pk, payout="200")
    services.offer_make(actor=boss, booking_id=booking.pk, deal_type="guarantee", guarantee="1500")
    return booking, agency_ws, agents


def test_an_agency_booking_at_another_workspaces_venue_stays_out_of_the_venue_feed(make_team, hall, client):
    venue, staff = hall
    booking, _, agents = _agency_gig(make_team, venue, with_performer=True)
    agency_services.inquiry_convert(actor=agents[Role.OWNER], booking_id=booking.pk)
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED

    feed = feeds.feed_for_venue(actor=staff[Role.VIEWER], venue_id=venue.pk)
    events = parsed_events(client, feed)
    assert events == []  # the venue was never asked: nothing of the agency's gig in its public calendar
    assert "Smith" not in texts(events)


def test_a_promoters_confirmed_show_at_another_venue_stays_out_of_the_venue_feed(make_team, hall, owls, client):
    venue, staff = hall
    promoter_ws, promoters = make_team(WorkspaceKind.PROMOTER, name="Nightjar Promotions")
    act_ws, band = owls
    start = _start()
    b = services.inquiry_create(actor=promoters[Role.OWNER], workspace_id=promoter_ws.pk, title=SECRET,
                                act_id=act_ws.act.pk, venue_id=venue.pk)
    services.hold_place(actor=promoters[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    services.offer_make(actor=promoters[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="500")
    services.offer_accept(actor=band[Role.OWNER], booking_id=b.pk)

    feed = feeds.feed_for_venue(actor=staff[Role.OWNER], venue_id=venue.pk)
    assert parsed_events(client, feed) == []


def test_the_venues_own_bookings_still_appear_in_its_feed(hall, owls, client):
    venue, staff = hall
    act_ws, band = owls
    start = _start()
    b = services.inquiry_create(actor=staff[Role.OWNER], workspace_id=venue.workspace_id, title="Owls live",
                                act_id=act_ws.act.pk, venue_id=venue.pk)
    services.hold_place(actor=staff[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    services.offer_make(actor=staff[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="500")
    services.offer_accept(actor=band[Role.OWNER], booking_id=b.pk)
    events = parsed_events(client, feeds.feed_for_venue(actor=staff[Role.OWNER], venue_id=venue.pk))
    assert [str(e["SUMMARY"]) for e in events] == ["The Owls"]


def test_a_performers_person_feed_and_calendar_never_carry_the_agencys_private_title(make_team, hall, client, bearer):
    venue, _ = hall
    booking, _, agents = _agency_gig(make_team, venue, with_performer=True)
    user = agents[Role.PERFORMER]
    agency_services.inquiry_convert(actor=agents[Role.OWNER], booking_id=booking.pk)

    events = parsed_events(client, feeds.feed_for_person(actor=user))
    assert [str(e["SUMMARY"]) for e in events] == ["Booked via Starlight Agency at Lantern Hall"]
    assert "Smith" not in texts(events) and "4411" not in texts(events)

    response = client.get("/api/v1/me/calendar", {"start": (_start(0)).isoformat(), "end": _start(40).isoformat()},
                          **bearer(user))
    assert response.status_code == 200
    commitments = [item for item in response.json() if item["kind"] == "commitment"]
    assert [c["title"] for c in commitments] == ["Booked via Starlight Agency at Lantern Hall"]
    assert "Smith" not in response.content.decode()


def test_an_act_members_person_feed_shows_the_act_and_venue_not_the_buyers_title(make_team, hall, owls, client):
    venue, _ = hall
    act_ws, band = owls
    booking, _, agents = _agency_gig(make_team, venue, act=act_ws.act)
    services.offer_accept(actor=band[Role.OWNER], booking_id=booking.pk)
    member = band[Role.MEMBER]
    assert Commitment.objects.filter(user=member, source_type="booking").exists()

    events = parsed_events(client, feeds.feed_for_person(actor=member))
    assert [str(e["SUMMARY"]) for e in events] == ["Booked: The Owls at Lantern Hall"]
    assert "Smith" not in texts(events)


def test_the_act_feed_with_its_green_zone_carries_no_booking_text(make_team, hall, owls, client):
    venue, _ = hall
    act_ws, band = owls
    booking, _, _ = _agency_gig(make_team, venue, act=act_ws.act)
    services.offer_accept(actor=band[Role.OWNER], booking_id=booking.pk)
    feed = feeds.feed_for_act(actor=band[Role.OWNER], workspace_id=act_ws.pk)
    feeds.feed_set_green_zone(actor=band[Role.OWNER], feed_id=feed.pk, include=True)
    events = parsed_events(client, feed)
    assert "Smith" not in texts(events) and "4411" not in texts(events)


def test_a_clash_names_the_other_show_neutrally(make_team, hall, owls):
    """The 409 for a double-booked person names the show they have without the other buyer's title."""
    venue, _ = hall
    act_ws, band = owls
    booking, _, _ = _agency_gig(make_team, venue, act=act_ws.act)
    services.offer_accept(actor=band[Role.OWNER], booking_id=booking.pk)
    titles = set(Commitment.objects.filter(source_type="booking").values_list("title", flat=True))
    assert titles == {"Booked: The Owls at Lantern Hall"}


def test_the_data_migration_rewrites_commitments_stored_with_the_buyers_title(make_team, hall, owls):
    from importlib import import_module

    from django.apps import apps

    venue, _ = hall
    act_ws, band = owls
    booking, _, _ = _agency_gig(make_team, venue, act=act_ws.act)
    services.offer_accept(actor=band[Role.OWNER], booking_id=booking.pk)
    stored = Commitment.objects.filter(source_type="booking", source_id=booking.pk)
    stored.update(title=SECRET, sequence=2)  # as written before the fix
    import_module("backline.bookings.migrations.0006_neutral_commitment_titles").forwards(apps, None)
    assert set(stored.values_list("title", "sequence")) == {("Booked: The Owls at Lantern Hall", 3)}


def test_a_performer_conflict_with_another_workspaces_show_names_it_by_reference_only(make_team, hall, owls,
                                                                                      django_capture_on_commit_callbacks):
    """Review finding: assigning a performer whose login is committed to another buyer's show answered a
    409 carrying that buyer's private title."""
    from backline.accounts import services as accounts

    venue, _ = hall
    act_ws, band = owls
    other_ws, others = make_team(WorkspaceKind.AGENCY, name="Moonlight Agency")
    player = others[Role.PERFORMER]
    invitation = accounts.invitation_create(actor=band[Role.OWNER], workspace_id=act_ws.pk, email=player.email,
                                            role=Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):  # joining the act makes the player a member
        accounts.invitation_accept(user=player, token=invitation.token)
    ActMember.objects.filter(act=act_ws.act).update(is_optional=False)
    secret_show, _, _ = _agency_gig(make_team, venue, act=act_ws.act)
    services.offer_accept(actor=band[Role.OWNER], booking_id=secret_show.pk)
    assert Commitment.objects.filter(user=player, source_id=secret_show.pk, status="confirmed").exists()

    boss = others[Role.OWNER]
    start = _start()
    gig = services.inquiry_create(actor=boss, workspace_id=other_ws.pk, title="Gala", starts_at=start,
                                  ends_at=start + dt.timedelta(hours=2))
    performer = performer_create(actor=boss, workspace_id=other_ws.pk, name="Pat Player")
    performer_link_user(actor=boss, performer_id=performer.pk, user_id=player.pk)
    with pytest.raises(Conflict) as refused:
        agency_services.performer_assign(actor=boss, booking_id=gig.pk, performer_id=performer.pk, payout="200")
    assert secret_show.reference in str(refused.value) and "Smith" not in str(refused.value)
