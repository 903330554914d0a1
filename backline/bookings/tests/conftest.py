"""Fixtures shared by the bookings tests that need a venue and an act, or an agency, and nothing more (a
test module that defines its own ``world`` or ``agency`` uses its own)."""

import pytest

from backline.accounts.models import WorkspaceKind
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
