"""The act's riders on a booking: an accepted offer records the versions in force, the venue sees them on
the booking page with a PDF, and a stage with a known spec is compared with the technical rider."""

from decimal import Decimal

from backline.accounts.models import Role
from backline.artists import riders
from backline.bookings import services
from backline.bookings.riders import known_stage_offer

from .test_services import GUARANTEE, held

ROWS = [{"channel": n, "source": f"Channel {n}"} for n in range(1, 25)]


def publish(w, kind="technical", **fields):
    owner, ws_id = w["band"][Role.OWNER], w["act_ws"].pk
    draft = riders.rider_draft(actor=owner, workspace_id=ws_id, kind=kind)
    riders.rider_update(actor=owner, workspace_id=ws_id, rider_id=draft.pk, **fields)
    return riders.rider_publish(actor=owner, workspace_id=ws_id, rider_id=draft.pk)


def test_accepting_an_offer_records_the_riders_in_force(world):
    first = publish(world, inputs=ROWS[:16], monitor_mixes=["", "", "", ""])
    hospitality = publish(world, "hospitality", guest_list=4)
    booking = held(world)
    services.offer_make(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, **GUARANTEE)
    services.offer_accept(actor=world["band"][Role.OWNER], booking_id=booking.pk)
    publish(world, inputs=ROWS, monitor_mixes=[""] * 6)  # a newer version after the deal
    offer = booking.offers.get(status="accepted")
    assert (offer.technical_rider_id, offer.hospitality_rider_id) == (first.pk, hospitality.pk)


def test_the_venue_sees_the_rider_in_force_on_the_booking_with_its_pdf(world, login_client,
                                                                       django_assert_max_num_queries):
    publish(world, inputs=ROWS[:16], monitor_mixes=["Vocals", "", "", ""])
    booking = held(world)
    client = login_client(world["buyer"][Role.VIEWER])
    page = client.get(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/")
    html = page.content.decode()
    assert 'data-testid="booking-riders"' in html and "Technical rider, version 1" in html
    assert "Channel 16" in html
    pdf = client.get(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/riders.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # the act's own side too
    act_page = login_client(world["band"][Role.MEMBER]).get(f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/")
    assert "Technical rider, version 1" in act_page.content.decode()
    # a longer input list costs no more queries on the booking page
    with django_assert_max_num_queries(60) as small:
        client.get(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/")
    publish(world, inputs=ROWS, monitor_mixes=[""] * 6)
    publish(world, "hospitality", guest_list=2)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):  # + the hospitality rider's card
        client.get(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/")


def test_a_stage_with_a_spec_is_compared_and_one_without_is_unknown(db):
    from backline.venues.models import Stage

    assert known_stage_offer(Stage(name="Main room", capacity=100)) is None
    offer = known_stage_offer(Stage(name="Main room", capacity=100, monitor_mixes=4, width_m=Decimal(6), depth_m=Decimal(4)))
    assert (offer.monitor_mixes, offer.width_m, offer.inputs) == (4, Decimal(6), None)
