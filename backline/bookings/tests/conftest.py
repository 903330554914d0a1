"""Fixtures shared by the bookings tests that need a venue and an act, an agency, or an agency's quote to
its client, and nothing more (a test module that defines its own ``world`` or ``agency`` uses its own)."""

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services
from backline.venues.models import Venue


@pytest.fixture
def world(make_team):
    venue_ws, venue_people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, act_people = make_team(WorkspaceKind.ACT, name="The Owls")
    return {"venue_ws": venue_ws, "venue": Venue.objects.get(workspace=venue_ws), "buyer": venue_people,
            "act_ws": act_ws, "act": act_ws.act, "band": act_people}


@pytest.fixture
def agency(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    return ws, people


@pytest.fixture
def quoted(agency):
    """A wedding the agency quoted its client Mia Jones for: €1,500 flat fee, 30% deposit (the quote open)."""
    from .test_services import agency_booking

    ws, people, *_ = agency
    booking, package = agency_booking(ws, people)
    services.offer_make(actor=people[Role.COORDINATOR], booking_id=booking.pk, deal_type="flat", guarantee="1500",
                        package_id=package.pk, deposit_percent="30")
    return ws, people, booking
