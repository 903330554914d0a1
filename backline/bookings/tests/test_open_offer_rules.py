"""Two rules about an open offer: a date is not held under it (withdraw or answer it first), and the side
that made it does not decline it (it withdraws it). Both refusals are 409s with a stable code and change
nothing; an agency still records its client's no to its own quote."""

import pytest
from django.test import Client

from backline.accounts.models import Role
from backline.accounts.tokens import issue_access_token
from backline.bookings import services
from backline.bookings.models import Booking, OfferStatus, Status
from backline.core.errors import Conflict
from backline.core.models import AuditEntry

from .test_services import GUARANTEE, held, show_time


def _state(booking_id):
    booking = Booking.objects.get(pk=booking_id)
    return (booking.status, booking.hold_rank, booking.starts_at, list(booking.offers.values_list("version", "status")),
            AuditEntry.objects.filter(object_id=str(booking_id)).count())


def test_holding_a_date_under_an_open_offer_is_refused_and_nothing_changes(world):
    owner = world["buyer"][Role.OWNER]
    booking = held(world)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    before = _state(booking.pk)
    start, end = show_time(31)
    with pytest.raises(Conflict) as exc:
        services.hold_place(actor=owner, booking_id=booking.pk, starts_at=start, ends_at=end)
    assert exc.value.code == "offer_open" and exc.value.status == 409
    assert exc.value.detail.startswith("Withdraw or answer the open offer first")
    assert exc.value.extra["conflicting"]["version"] == 1
    assert _state(booking.pk) == before
    again = services.offer_withdraw(actor=owner, booking_id=booking.pk)  # taken back, the date is held as it was
    assert again.status == Status.HOLD and again.offers.get().status == OfferStatus.WITHDRAWN


def test_an_inquiry_with_an_open_offer_is_not_held_until_the_offer_is_taken_back(world):
    owner = world["buyer"][Role.OWNER]
    booking = services.inquiry_create(actor=owner, workspace_id=world["venue_ws"].pk, title="Late show",
                                      act_id=world["act"].pk, venue_id=world["venue"].pk)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    start, end = show_time(32)
    with pytest.raises(Conflict):
        services.hold_place(actor=owner, booking_id=booking.pk, starts_at=start, ends_at=end)
    services.offer_withdraw(actor=owner, booking_id=booking.pk)
    held_now = services.hold_place(actor=owner, booking_id=booking.pk, starts_at=start, ends_at=end)
    assert held_now.status == Status.HOLD and held_now.hold_rank == 1


def test_the_side_that_made_the_offer_cannot_decline_it_the_other_side_can(world):
    owner, band_owner = world["buyer"][Role.OWNER], world["band"][Role.OWNER]
    booking = held(world)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    before = _state(booking.pk)
    with pytest.raises(Conflict) as exc:
        services.offer_decline(actor=owner, booking_id=booking.pk, reason="Changed our mind")
    assert exc.value.code == "own_offer" and "withdraw it instead" in exc.value.detail
    assert _state(booking.pk) == before
    declined = services.offer_decline(actor=band_owner, booking_id=booking.pk, reason="Too far to travel")
    assert declined.status == Status.DECLINED and declined.offers.get().status == OfferStatus.DECLINED


def test_a_counter_offer_is_the_acts_own_so_the_act_withdraws_it_and_the_venue_declines_it(world):
    owner, band_owner = world["buyer"][Role.OWNER], world["band"][Role.OWNER]
    booking = held(world)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    services.offer_make(actor=band_owner, booking_id=booking.pk, **(GUARANTEE | {"guarantee": "700"}))
    with pytest.raises(Conflict):
        services.offer_decline(actor=band_owner, booking_id=booking.pk, reason="x")
    assert services.offer_decline(actor=owner, booking_id=booking.pk, reason="Over budget").status == Status.DECLINED


def test_an_agency_records_its_clients_no_to_its_own_quote(quoted):
    _, people, booking = quoted
    declined = services.offer_decline(actor=people[Role.COORDINATOR], booking_id=booking.pk, reason="The client chose a DJ")
    assert declined.status == Status.DECLINED


def test_the_api_answers_both_refusals_as_409_problems_naming_the_conflict(world):
    owner, band_owner = world["buyer"][Role.OWNER], world["band"][Role.OWNER]
    booking = held(world)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    before = _state(booking.pk)
    start, end = show_time(33)
    buyer = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(owner)[0]}")
    held_again = buyer.post(f"/api/v1/bookings/{booking.pk}/hold", {"starts_at": start.isoformat(), "ends_at": end.isoformat()},
                            content_type="application/json")
    declined = buyer.post(f"/api/v1/bookings/{booking.pk}/decline", {"reason": "Changed our mind"},
                          content_type="application/json")
    for response, code in ((held_again, "offer_open"), (declined, "own_offer")):
        assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == code and response.json()["conflicting"]["type"] == "offer"
    assert _state(booking.pk) == before
    band = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(band_owner)[0]}")
    assert band.post(f"/api/v1/bookings/{booking.pk}/decline", {"reason": "No"},
                     content_type="application/json").status_code == 200
