"""A person or an act is never confirmed twice at the same time, whoever has an account (issue 10,
defect 1): agency performers without a login and acts whose members have no accounts are protected by
the same check as people (409 ``double_booked`` naming the other booking) and, on PostgreSQL, by the
engagement exclusion constraints. Assigning warns early (any open stage with known times); confirming
is the hard gate; an admin's written override stands."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import act_create, act_member_add, performer_create
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Engagement, Status
from backline.core.errors import Conflict
from backline.core.places import find_city
from backline.scheduling.models import Commitment
from backline.venues.models import Venue

BERLIN = ZoneInfo("Europe/Berlin")
GUARANTEE = {"deal_type": "guarantee", "guarantee": "500"}


def evening(days=20, hour=18, hours=4):
    start = (timezone.now() + dt.timedelta(days=days)).astimezone(BERLIN).replace(hour=hour, minute=0, second=0,
                                                                                  microsecond=0)
    return start, start + dt.timedelta(hours=hours)


# --- agency performers without a login -----------------------------------------------------------

@pytest.fixture
def agency(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    ana = performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Ana Sax")  # no login
    assert ana.user_id is None
    return ws, people, ana


def gig(agency, title, at=None, **kw):
    ws, people, _ = agency
    start, end = at if at is not None else (None, None)
    return services.inquiry_create(actor=people[Role.COORDINATOR], workspace_id=ws.pk, title=title,
                                   starts_at=start, ends_at=end, **kw)


def assign(agency, booking, performer, **kw):
    return agency_services.performer_assign(actor=agency[1][Role.COORDINATOR], booking_id=booking.pk,
                                            performer_id=performer.pk, payout="400", **kw)


def hold_at(agency, booking, at, make_team):
    """Times agreed after the inquiry: the agency holds the date at a venue."""
    venue = Venue.objects.get(workspace=make_team(WorkspaceKind.VENUE, name="Schloss")[0])
    services.hold_place(actor=agency[1][Role.COORDINATOR], booking_id=booking.pk, venue_id=venue.pk, starts_at=at[0],
                        ends_at=at[1])


def convert(agency, booking):
    services.offer_make(actor=agency[1][Role.COORDINATOR], booking_id=booking.pk, deal_type="flat", guarantee="1500")
    return agency_services.inquiry_convert(actor=agency[1][Role.COORDINATOR], booking_id=booking.pk)


def test_assigning_checks_overlapping_inquiries_not_only_later_stages(agency):
    ws, people, ana = agency
    wedding = gig(agency, "Wedding", evening())
    assign(agency, wedding, ana)
    start, end = evening(hour=20)
    gala = gig(agency, "Gala", (start, end))
    with pytest.raises(Conflict) as refused:
        assign(agency, gala, ana)
    assert refused.value.code == "performer_conflict"
    assert refused.value.extra["conflicting"] == {"type": "booking", "id": wedding.pk, "reference": wedding.reference}
    assert not gala.assignments.exists()


def test_converting_is_the_hard_gate_for_a_performer_without_a_login(agency, make_team):
    ws, people, ana = agency
    wedding = gig(agency, "Wedding", evening())
    assign(agency, wedding, ana)
    convert(agency, wedding)
    # An inquiry without times yet: nothing to check when Ana is put on it ...
    gala = gig(agency, "Gala")
    assign(agency, gala, ana)
    # ... then it is held at the same evening and the client says yes.
    hold_at(agency, gala, evening(hour=21), make_team)
    with pytest.raises(Conflict) as refused:
        convert(agency, gala)
    err = refused.value
    assert (err.status, err.code) == (409, "double_booked")
    assert err.extra["conflicting"]["id"] == wedding.pk
    assert err.extra["conflicting"]["reference"] == wedding.reference
    assert err.extra["conflicting"]["performer_id"] == ana.pk
    assert "Ana Sax" in err.detail and "Wedding" in err.detail  # the agency's own booking: named in full
    assert Booking.objects.get(pk=gala.pk).status == Status.OFFER  # nothing changed
    assert list(Engagement.objects.filter(performer=ana).values_list("booking_id", flat=True)) == [wedding.pk]


def test_back_to_back_shows_do_not_clash_and_a_cancelled_show_frees_the_time(agency):
    ws, people, ana = agency
    start, end = evening(hour=18, hours=4)
    wedding = gig(agency, "Wedding", (start, end))
    assign(agency, wedding, ana)
    convert(agency, wedding)
    after = gig(agency, "Late set", (end, end + dt.timedelta(hours=2)))  # starts when the wedding ends
    assign(agency, after, ana)
    convert(agency, after)
    before = gig(agency, "Cocktails", (start - dt.timedelta(hours=1), start))
    assign(agency, before, ana)
    convert(agency, before)
    assert Engagement.objects.filter(performer=ana, exclusive=True).count() == 3
    overlapping = gig(agency, "Gala", (start + dt.timedelta(hours=1), end))
    with pytest.raises(Conflict):
        assign(agency, overlapping, ana)
    services.booking_cancel(actor=people[Role.COORDINATOR], booking_id=wedding.pk, reason="Client cancelled")
    assert not Engagement.objects.filter(booking=wedding).exists()
    assign(agency, overlapping, ana)
    assert convert(agency, overlapping).status == Status.CONFIRMED


def test_an_overridden_assignment_stands_but_still_blocks_later_confirmations(agency, make_team):
    ws, people, ana = agency
    wedding = gig(agency, "Wedding", evening())
    assign(agency, wedding, ana)
    convert(agency, wedding)
    gala = gig(agency, "Gala", evening(hour=20))
    agency_services.performer_assign(actor=people[Role.OWNER], booking_id=gala.pk, performer_id=ana.pk, payout="300",
                                     override_reason="Two short sets in the same building")
    assert convert(agency, gala).status == Status.CONFIRMED  # the override is the admin's written decision
    claims = dict(Engagement.objects.filter(performer=ana).values_list("booking_id", "exclusive"))
    assert claims == {wedding.pk: True, gala.pk: False}
    # With the wedding cancelled, the overridden gala still claims Ana: a third show is refused.
    services.booking_cancel(actor=people[Role.COORDINATOR], booking_id=wedding.pk, reason="Client cancelled")
    third = gig(agency, "Launch party")
    assign(agency, third, ana)
    hold_at(agency, third, (gala.starts_at, gala.ends_at), make_team)
    with pytest.raises(Conflict) as refused:
        convert(agency, third)
    assert refused.value.extra["conflicting"]["id"] == gala.pk


def test_assigning_to_a_confirmed_show_is_checked_too(agency):
    ws, people, ana = agency
    wedding = gig(agency, "Wedding", evening())
    assign(agency, wedding, ana)
    convert(agency, wedding)
    gala = gig(agency, "Gala", evening(hour=20))
    convert(agency, gala)  # confirmed with nobody on it yet
    with pytest.raises(Conflict) as refused:
        assign(agency, gala, ana)
    assert refused.value.code == "performer_conflict"
    agency_services.performer_assign(actor=people[Role.OWNER], booking_id=gala.pk, performer_id=ana.pk, payout="300",
                                     override_reason="Plays the first hour only")
    assert Engagement.objects.get(booking=gala, performer=ana).exclusive is False
    agency_services.performer_unassign(actor=people[Role.OWNER], booking_id=gala.pk, performer_id=ana.pk)
    assert not Engagement.objects.filter(booking=gala).exists()


# --- acts whose members have no accounts ---------------------------------------------------------

@pytest.fixture
def quiet_act(make_team):
    """An act whose line-up has no accounts (its manager runs the workspace without playing in it)."""
    _, band = make_team(WorkspaceKind.ACT, name="Placeholder")
    manager = band[Role.OWNER]
    act = act_create(actor=manager, name="The Unlisted", geoname_id=find_city("Berlin", "DE").geoname_id,
                     plays_in_act=False)
    for name in ("Lou Drums", "Kim Bass"):
        act_member_add(actor=manager, workspace_id=act.workspace_id, name=name)
    assert not act.members.filter(user__isnull=False).exists()
    return act, manager


def offer_from(make_team, act, name, at):
    ws, people = make_team(WorkspaceKind.VENUE, name=name)
    venue = Venue.objects.get(workspace=ws)
    buyer = people[Role.OWNER]
    b = services.inquiry_create(actor=buyer, workspace_id=ws.pk, title=f"{name} private party", act_id=act.pk,
                                venue_id=venue.pk)
    services.hold_place(actor=buyer, booking_id=b.pk, starts_at=at[0], ends_at=at[1])
    services.offer_make(actor=buyer, booking_id=b.pk, **GUARANTEE)
    return b


def test_an_act_without_member_accounts_is_never_confirmed_twice(quiet_act, make_team):
    act, manager = quiet_act
    first = offer_from(make_team, act, "Lantern Hall", evening(hour=20, hours=2))
    second = offer_from(make_team, act, "Blue Door", evening(hour=21, hours=2))
    services.offer_accept(actor=manager, booking_id=first.pk)
    assert not Commitment.objects.exists()  # nobody with an account: the old check saw nothing
    with pytest.raises(Conflict) as refused:
        services.offer_accept(actor=manager, booking_id=second.pk)
    err = refused.value
    assert (err.code, err.extra["conflicting"]["id"], err.extra["conflicting"]["act_id"]) == ("double_booked", first.pk,
                                                                                               act.pk)
    assert "The Unlisted" in err.detail and first.reference in err.detail
    assert "private party" not in err.detail  # another buyer's booking: its reference, not its title
    assert Booking.objects.get(pk=second.pk).status == Status.OFFER


def test_an_act_can_play_back_to_back_and_again_after_a_cancellation(quiet_act, make_team):
    act, manager = quiet_act
    start, end = evening(hour=18, hours=2)
    first = offer_from(make_team, act, "Lantern Hall", (start, end))
    second = offer_from(make_team, act, "Blue Door", (end, end + dt.timedelta(hours=2)))
    services.offer_accept(actor=manager, booking_id=first.pk)
    services.offer_accept(actor=manager, booking_id=second.pk)
    third = offer_from(make_team, act, "Crypt", (start + dt.timedelta(minutes=30), end))
    with pytest.raises(Conflict):
        services.offer_accept(actor=manager, booking_id=third.pk)
    services.booking_cancel(actor=manager, booking_id=first.pk, reason="Venue flooded")
    assert services.offer_accept(actor=manager, booking_id=third.pk).status == Status.CONFIRMED


# --- the database backstop -----------------------------------------------------------------------

@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the exclusion constraints exist on PostgreSQL only (SQLite relies on the service check)")
def test_postgresql_refuses_overlapping_exclusive_engagements_written_behind_the_services_back(agency, quiet_act,
                                                                                               make_team):
    ws, people, ana = agency
    act, manager = quiet_act
    a, b = gig(agency, "A", evening()), gig(agency, "B", evening())
    start, end = evening(hour=19)
    Engagement.objects.create(booking=a, performer=ana, starts_at=start, ends_at=end)
    Engagement.objects.create(booking=b, performer=ana, starts_at=end, ends_at=end + dt.timedelta(hours=1))  # touching
    with pytest.raises(IntegrityError, match="engagement_performer_no_overlap"), transaction.atomic():
        Engagement.objects.create(booking=b, performer=ana, starts_at=start + dt.timedelta(hours=1), ends_at=end)
    Engagement.objects.create(booking=gig(agency, "C"), performer=ana, starts_at=start, ends_at=end, exclusive=False)
    Engagement.objects.create(booking=a, act=act, starts_at=start, ends_at=end)
    with pytest.raises(IntegrityError, match="engagement_act_no_overlap"), transaction.atomic():
        Engagement.objects.create(booking=b, act=act, starts_at=start, ends_at=end)


def test_the_agency_sees_a_performer_busy_from_an_inquiry_with_times_until_it_is_lost(agency):
    from backline.bookings.agency.selectors import performers_availability

    ws, people, ana = agency
    wedding = gig(agency, "Wedding", evening())
    assign(agency, wedding, ana)
    day = wedding.starts_at.astimezone(ZoneInfo(ws.time_zone)).date()
    assert {d.performer: d.booked for d in performers_availability(ws, day)}[ana] == [wedding]
    services.inquiry_mark_lost(actor=people[Role.COORDINATOR], booking_id=wedding.pk, reason="Went elsewhere")
    assert {d.performer: d.booked for d in performers_availability(ws, day)}[ana] == []


def test_the_api_answers_a_double_booked_conversion_with_a_problem_naming_the_other_booking(agency, make_team):
    from django.test import Client as HttpClient

    from backline.accounts.tokens import issue_access_token

    ws, people, ana = agency
    wedding = gig(agency, "Wedding", evening())
    assign(agency, wedding, ana)
    convert(agency, wedding)
    gala = gig(agency, "Gala")
    assign(agency, gala, ana)
    hold_at(agency, gala, evening(hour=19), make_team)
    services.offer_make(actor=people[Role.COORDINATOR], booking_id=gala.pk, deal_type="flat", guarantee="1500")
    client = HttpClient(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(people[Role.COORDINATOR])[0]}")
    response = client.post(f"/api/v1/inquiries/{gala.pk}/convert-to-booking", {}, content_type="application/json")
    assert (response.status_code, response["Content-Type"]) == (409, "application/problem+json")
    body = response.json()
    assert body["code"] == "double_booked"
    assert {k: body["conflicting"][k] for k in ("type", "id", "reference", "performer_id")} == {
        "type": "booking", "id": wedding.pk, "reference": wedding.reference, "performer_id": ana.pk}
    assert client.get(f"/api/v1/bookings/{gala.pk}").json()["status"] == "offer"


def test_the_migration_fills_in_engagements_for_shows_confirmed_before_it(quiet_act, make_team):
    """Shows confirmed under the old check may overlap: the first keeps the time, the later one is kept
    but not exclusive, so that the PostgreSQL constraint can be created and nothing is lost."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("backline.bookings.migrations.0005_engagements").backfill
    act, manager = quiet_act
    first = offer_from(make_team, act, "Lantern Hall", evening(hour=20, hours=2))
    services.offer_accept(actor=manager, booking_id=first.pk)
    Engagement.objects.all().delete()  # as before the migration: the old check lets the next one through
    second = offer_from(make_team, act, "Blue Door", evening(hour=21, hours=2))
    services.offer_accept(actor=manager, booking_id=second.pk)
    Engagement.objects.all().delete()
    backfill(apps, None)
    assert dict(Engagement.objects.filter(act=act).values_list("booking_id", "exclusive")) == {first.pk: True,
                                                                                              second.pk: False}
