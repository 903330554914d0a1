"""A venue's iCal feed lists its confirmed shows; the periodic task expires holds that ran out."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services, tasks
from backline.bookings.models import Booking, Status
from backline.scheduling import feeds
from backline.venues.models import Venue


@pytest.fixture
def confirmed(make_team):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    venue = Venue.objects.get(workspace=venue_ws)
    start = (timezone.now() + dt.timedelta(days=20)).replace(microsecond=0)
    b = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title="Owls live", act_id=act_ws.act.pk,
                                venue_id=venue.pk)
    services.hold_place(actor=buyer[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    services.offer_make(actor=buyer[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="500")
    services.offer_accept(actor=band[Role.OWNER], booking_id=b.pk)
    return Booking.objects.get(pk=b.pk), buyer, venue


def events_of(client, feed):
    response = client.get(f"/feeds/{feed.token}.ics")
    assert response.status_code == 200
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_venue_feed_lists_confirmed_shows_and_marks_cancelled_ones(confirmed, client):
    booking, buyer, venue = confirmed
    feed = feeds.feed_for_venue(actor=buyer[Role.MEMBER], venue_id=venue.pk)
    event = events_of(client, feed)[f"show-{booking.reference}@backline"]
    assert str(event["SUMMARY"]).startswith("The Owls") and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == booking.starts_at
    services.booking_cancel(actor=buyer[Role.OWNER], booking_id=booking.pk, reason="Flooded basement")
    event = events_of(client, feed)[f"show-{booking.reference}@backline"]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_the_periodic_task_expires_holds_that_ran_out(make_team):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Blue Door")
    venue = Venue.objects.get(workspace=venue_ws)
    start = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    b = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title="Short hold", venue_id=venue.pk,
                                act_id=make_team(WorkspaceKind.ACT, name="X")[0].act.pk)
    services.hold_place(actor=buyer[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                        expires_at=timezone.now() + dt.timedelta(seconds=1))
    assert tasks.expire_holds_and_offers() == 0
    Booking.objects.filter(pk=b.pk).update(hold_expires_at=timezone.now() - dt.timedelta(seconds=1))  # time passes
    assert tasks.expire_holds_and_offers() == 1
    assert Booking.objects.get(pk=b.pk).status == Status.EXPIRED
