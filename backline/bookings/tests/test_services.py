"""The deal pipeline through its services, on the real database: the workflow table, holds and their
ranks, offers and counter-offers, confirmation with commitments, agencies' performers, bad input."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import performer_create
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Offer, OfferStatus, Status
from backline.bookings.workflow import TRANSITIONS, move
from backline.core.errors import Conflict, Forbidden, Invalid, InvalidTransition, NotFound
from backline.core.models import AuditEntry
from backline.core.timeutil import zone
from backline.scheduling.models import Commitment
from backline.venues.models import Venue

BERLIN = ZoneInfo("Europe/Berlin")


def show_time(days=30, hour=20, hours=2):
    start = (timezone.now() + dt.timedelta(days=days)).astimezone(BERLIN).replace(hour=hour, minute=0, second=0,
                                                                                  microsecond=0)
    return start, start + dt.timedelta(hours=hours)


@pytest.fixture
def world(make_team, django_capture_on_commit_callbacks):
    venue_ws, venue_people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, act_people = make_team(WorkspaceKind.ACT, name="The Owls")
    return {"venue_ws": venue_ws, "venue": Venue.objects.get(workspace=venue_ws), "buyer": venue_people,
            "act_ws": act_ws, "act": act_ws.act, "band": act_people}


def inquiry(w, **kw):
    args = {"title": "Friday club night", "act_id": w["act"].pk, "venue_id": w["venue"].pk, "budget": "800"} | kw
    return services.inquiry_create(actor=w["buyer"][Role.OWNER], workspace_id=w["venue_ws"].pk, **args)


def held(w, days=30, **kw):
    booking = inquiry(w, **kw)
    start, end = show_time(days)
    return services.hold_place(actor=w["buyer"][Role.OWNER], booking_id=booking.pk, starts_at=start, ends_at=end)


GUARANTEE = {"deal_type": "guarantee", "guarantee": "500", "deposit_percent": "50"}


# --- the workflow table ---------------------------------------------------------------------------

@pytest.mark.parametrize("frm", list(Status.values))
@pytest.mark.parametrize("to", list(Status.values))
def test_every_transition_is_allowed_or_refused_as_the_table_says(frm, to):
    booking = Booking(status=frm)
    if to in TRANSITIONS[frm]:
        move(booking, to)
        assert booking.status == to
    else:
        with pytest.raises(InvalidTransition) as exc:
            move(booking, to)
        assert exc.value.extra["allowed"] == sorted(TRANSITIONS[frm])
        assert booking.status == frm


# --- inquiries ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw, field", [
    ({"budget": "-5"}, "budget"), ({"budget": "lots"}, "budget"), ({"currency": "EURO"}, "currency"),
    ({"date_from": dt.date(2027, 5, 2), "date_to": dt.date(2027, 5, 1)}, "date_to"), ({"source": "pigeon"}, "source"),
])
def test_bad_inquiries_are_refused_and_nothing_is_written(world, kw, field):
    with pytest.raises(Invalid) as exc:
        inquiry(world, **kw)
    assert field in exc.value.errors
    assert not Booking.objects.exists()


def test_the_act_does_not_see_an_inquiry_until_there_is_a_hold(world):
    booking = inquiry(world)
    with pytest.raises(NotFound):
        services.offer_make(actor=world["band"][Role.OWNER], booking_id=booking.pk, **GUARANTEE)
    services.inquiry_mark_lost(actor=world["buyer"][Role.COORDINATOR], booking_id=booking.pk, reason="Went elsewhere")
    assert Booking.objects.get(pk=booking.pk).status == Status.LOST


def test_an_act_cannot_log_inquiries_and_members_cannot_manage(world):
    with pytest.raises(NotFound):
        services.inquiry_create(actor=world["band"][Role.OWNER], workspace_id=world["act_ws"].pk, title="x")
    with pytest.raises(Forbidden):
        services.inquiry_create(actor=world["buyer"][Role.VIEWER], workspace_id=world["venue_ws"].pk, title="x")


# --- holds ----------------------------------------------------------------------------------------

def test_holds_are_ranked_and_move_up_when_the_first_is_released(world, make_team):
    first, second, third = held(world), held(world, title="Second"), held(world, title="Third")
    assert [b.hold_rank for b in (first, second, third)] == [1, 2, 3]
    services.hold_release(actor=world["buyer"][Role.OWNER], booking_id=first.pk, reason="Act went on tour")
    second.refresh_from_db(), third.refresh_from_db()
    assert (second.hold_rank, third.hold_rank) == (1, 2)
    assert AuditEntry.objects.filter(action="booking.hold_promoted", object_id=str(second.pk)).exists()


def test_a_hold_on_a_past_date_or_without_a_venue_is_refused(world):
    booking = inquiry(world, venue_id=None)
    start, end = show_time(days=-2)
    with pytest.raises(Invalid) as exc:
        services.hold_place(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, starts_at=start, ends_at=end)
    assert "starts_at" in exc.value.errors
    start, end = show_time()
    with pytest.raises(Invalid) as exc:
        services.hold_place(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, starts_at=start, ends_at=end)
    assert "venue_id" in exc.value.errors
    assert Booking.objects.get(pk=booking.pk).status == Status.INQUIRY


def test_holds_expire_and_a_challenged_first_hold_that_does_not_answer_is_released(world):
    first, second = held(world), held(world, title="Challenger")
    with pytest.raises(Invalid):  # no firm offer yet
        services.hold_challenge(actor=world["buyer"][Role.OWNER], booking_id=second.pk)
    services.offer_make(actor=world["buyer"][Role.OWNER], booking_id=second.pk, **GUARANTEE)
    challenged = services.hold_challenge(actor=world["buyer"][Role.OWNER], booking_id=second.pk)
    assert challenged.pk == first.pk and challenged.challenge_deadline > timezone.now()
    assert services.expire_due(now=challenged.challenge_deadline + dt.timedelta(minutes=1)) >= 1
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Status.RELEASED and second.hold_rank == 1
    third = held(world, title="Runs out")
    services.expire_due(now=third.hold_expires_at + dt.timedelta(seconds=1))
    assert Booking.objects.get(pk=third.pk).status == Status.EXPIRED


# --- offers and confirmation ----------------------------------------------------------------------

def test_offer_counter_accept_confirms_and_commits_the_band(world, django_capture_on_commit_callbacks):
    booking = held(world)
    buyer, band = world["buyer"][Role.OWNER], world["band"][Role.ADMIN]
    services.offer_make(actor=buyer, booking_id=booking.pk, **GUARANTEE)
    with pytest.raises(Forbidden):  # you don't accept your own offer
        services.offer_accept(actor=buyer, booking_id=booking.pk)
    counter = services.offer_make(actor=band, booking_id=booking.pk, deal_type="versus", guarantee="500", percent="70",
                                  basis="net", expenses="200")
    assert counter.version == 2 and counter.side == "act"
    assert Offer.objects.get(booking=booking, version=1).status == OfferStatus.SUPERSEDED
    with pytest.raises(Forbidden):
        services.offer_accept(actor=world["band"][Role.MEMBER], booking_id=booking.pk)  # members view only
    confirmed = services.offer_accept(actor=buyer, booking_id=booking.pk)
    assert confirmed.status == Status.CONFIRMED and confirmed.contract_issued_at and confirmed.hold_rank is None
    players = set(Commitment.objects.filter(source_type="booking", source_id=booking.pk, status="confirmed")
                  .values_list("user_id", flat=True))
    assert players == {p.pk for r, p in world["band"].items() if r != Role.VIEWER}
    with pytest.raises(InvalidTransition):
        services.offer_make(actor=buyer, booking_id=booking.pk, **GUARANTEE)
    services.booking_cancel(actor=band, booking_id=booking.pk, reason="Singer lost her voice")
    assert set(Commitment.objects.filter(source_id=booking.pk, source_type="booking")
               .values_list("status", flat=True)) == {"cancelled"}


@pytest.mark.parametrize("terms, field", [
    ({"deal_type": "guarantee", "guarantee": "-1"}, "guarantee"),
    ({"deal_type": "door", "percent": "120"}, "percent"),
    ({"deal_type": "guarantee", "guarantee": "500", "deposit_percent": "150"}, "deposit_percent"),
    ({"deal_type": "guarantee", "guarantee": "500", "currency": "XYZ"}, "currency"),
    ({"deal_type": "barter"}, "deal_type"),
    ({"deal_type": "guarantee", "guarantee": "abc"}, "guarantee"),
])
def test_bad_terms_are_refused_and_nothing_is_written(world, terms, field):
    booking = held(world)
    with pytest.raises(Invalid) as exc:
        services.offer_make(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, **terms)
    assert field in exc.value.errors
    assert not Offer.objects.exists() and Booking.objects.get(pk=booking.pk).status == Status.HOLD


def test_a_band_member_cannot_be_in_two_shows_at_once(world, make_team):
    first = held(world)
    services.offer_make(actor=world["buyer"][Role.OWNER], booking_id=first.pk, **GUARANTEE)
    services.offer_accept(actor=world["band"][Role.OWNER], booking_id=first.pk)
    other_ws, other_people = make_team(WorkspaceKind.PROMOTER, name="Night Shift")
    other_venue = Venue.objects.create(workspace=other_ws, name="Crypt", capacity=200, time_zone="Europe/Berlin")
    second = services.inquiry_create(actor=other_people[Role.OWNER], workspace_id=other_ws.pk, title="Same night",
                                     act_id=world["act"].pk, venue_id=other_venue.pk)
    start, end = first.starts_at + dt.timedelta(hours=1), first.ends_at + dt.timedelta(hours=1)
    services.hold_place(actor=other_people[Role.OWNER], booking_id=second.pk, starts_at=start, ends_at=end)
    services.offer_make(actor=other_people[Role.OWNER], booking_id=second.pk, **GUARANTEE)
    with pytest.raises(Conflict) as exc:
        services.offer_accept(actor=world["band"][Role.OWNER], booking_id=second.pk)
    assert exc.value.code == "double_booked" and exc.value.extra["conflicting"]["id"] == first.pk
    assert Booking.objects.get(pk=second.pk).status == Status.OFFER  # nothing changed


# --- agencies -------------------------------------------------------------------------------------

@pytest.fixture
def agency(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    owner = people[Role.OWNER]
    ana = performer_create(actor=owner, workspace_id=ws.pk, name="Ana Sax")
    ben = performer_create(actor=owner, workspace_id=ws.pk, name="Ben Keys")
    return ws, people, ana, ben


def agency_booking(ws, people, days=20, title="Wedding", at=None):
    client = agency_services.client_create(actor=people[Role.COORDINATOR], workspace_id=ws.pk, name="Mia Jones",
                                           email="Mia@Example.org")
    package = agency_services.package_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Jazz trio",
                                             duration_minutes=180, price="1500", performer_count=3)
    start, end = at or show_time(days, hour=18, hours=4)
    booking = services.inquiry_create(actor=people[Role.COORDINATOR], workspace_id=ws.pk, title=title,
                                      client_id=client.pk, package_id=package.pk, location="Schloss Britz",
                                      starts_at=start, ends_at=end)
    return booking, package


def test_an_agency_quotes_converts_and_assigns_with_conflicts_and_overrides(agency):
    ws, people, ana, ben = agency
    coordinator, owner = people[Role.COORDINATOR], people[Role.OWNER]
    booking, package = agency_booking(ws, people)
    agency_services.performer_assign(actor=coordinator, booking_id=booking.pk, performer_id=ana.pk, payout="400")
    services.offer_make(actor=coordinator, booking_id=booking.pk, deal_type="flat", guarantee="1500",
                        package_id=package.pk)
    agency_services.inquiry_convert(actor=coordinator, booking_id=booking.pk)
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED
    other, _ = agency_booking(ws, people, title="Gala", at=(booking.starts_at, booking.ends_at))
    with pytest.raises(Conflict) as exc:
        agency_services.performer_assign(actor=coordinator, booking_id=other.pk, performer_id=ana.pk, payout="400")
    assert exc.value.code == "performer_conflict" and exc.value.extra["conflicting"]["id"] == booking.pk
    shown = booking.starts_at.astimezone(zone(booking.time_zone))
    assert f"({shown:%a} {shown.day} {shown:%b %Y, %H:%M})" in exc.value.detail  # the show's day for people, not ISO
    with pytest.raises(Forbidden):  # coordinators cannot override
        agency_services.performer_assign(actor=coordinator, booking_id=other.pk, performer_id=ana.pk, payout="400",
                                         override_reason="She plays both sets")
    assignment = agency_services.performer_assign(actor=owner, booking_id=other.pk, performer_id=ana.pk, payout="400",
                                                  override_reason="Short set, same building")
    assert assignment.override_reason == "Short set, same building"
    entry = AuditEntry.objects.filter(action="assignment.created", object_id=str(other.pk)).latest("at")
    assert entry.after["override_reason"] == "Short set, same building"
    free = agency_services.performer_assign(actor=coordinator, booking_id=other.pk, performer_id=ben.pk, payout="350")
    assert free.payout == Decimal("350")


def test_a_performer_sees_no_bookings(agency):
    ws, people, *_ = agency
    booking, _ = agency_booking(ws, people)
    with pytest.raises(Forbidden):
        services.booking_cancel(actor=people[Role.PERFORMER], booking_id=booking.pk, reason="x")


def test_a_ranked_offer_taken_back_keeps_its_hold_and_moving_it_keeps_ranks_one_to_n_on_both_days(world):
    """Review finding: OFFER → HOLD re-ranked the booking as the last without closing the gap it left. A
    date is no longer held again under an open offer (409 ``offer_open``): the offer is withdrawn, which
    puts it back to its hold at the same rank; moved to another day, it is ranked there."""
    owner = world["buyer"][Role.OWNER]
    first, second, third = held(world), held(world, title="Second"), held(world, title="Third")
    services.offer_make(actor=owner, booking_id=first.pk, **GUARANTEE)
    start, end = show_time(30)
    with pytest.raises(Conflict):
        services.hold_place(actor=owner, booking_id=first.pk, starts_at=start, ends_at=end + dt.timedelta(hours=1))
    again = services.offer_withdraw(actor=owner, booking_id=first.pk)
    assert again.status == Status.HOLD and again.hold_rank == 1  # the same venue and day: it keeps its place
    moved_start, moved_end = show_time(31)
    services.offer_make(actor=owner, booking_id=first.pk, **GUARANTEE)
    moved = services.booking_update(actor=owner, booking_id=first.pk, starts_at=moved_start, ends_at=moved_end)
    second.refresh_from_db(), third.refresh_from_db()
    assert moved.hold_rank == 1 and (second.hold_rank, third.hold_rank) == (1, 2)
