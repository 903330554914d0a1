"""The search tests' world: two venues with their inquiries and a hold, an act with genres, an agency with
a client, the client's wedding and a performer; and API clients with a bearer token."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists.services import act_update, performer_create
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.venues.models import Venue


def soon(days=30, hour=20):
    return (timezone.now() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(make_team):
    venue_ws, venue = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Blue Door")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    agency_ws, agency = make_team(WorkspaceKind.AGENCY, name="Northern Lights")
    act_update(actor=band[Role.OWNER], workspace_id=act_ws.pk, genres=["jazz", "soul"])
    hall, door = Venue.objects.get(workspace=venue_ws), Venue.objects.get(workspace=other_ws)
    owner = venue[Role.OWNER]
    inquiry = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Midsummer jazz night",
                                      act_id=act_ws.act.pk, venue_id=hall.pk, contact_name="Mara Quill",
                                      contact_email="mara@example.org", location="Kreuzberg")
    held = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Harvest moon concert",
                                   act_id=act_ws.act.pk, venue_id=hall.pk)
    services.hold_place(actor=owner, booking_id=held.pk, starts_at=soon(), ends_at=soon(hour=22))
    theirs = services.inquiry_create(actor=other[Role.OWNER], workspace_id=other_ws.pk, title="Midsummer jazz brunch",
                                     act_id=act_ws.act.pk, venue_id=door.pk, location="Kreuzberg")
    client = agency_services.client_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, name="Harbour Festival",
                                           company="Quayside Events", email="booking@harbour.example", city_name="Hamburg")
    wedding = services.inquiry_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, title="Wedding by the water",
                                      client_id=client.pk)
    performer = performer_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, name="Ivo Saxby",
                                 skills="saxophone, clarinet")
    return {"venue_ws": venue_ws, "venue": venue, "other_ws": other_ws, "other": other, "act_ws": act_ws, "band": band,
            "agency_ws": agency_ws, "agency": agency, "hall": hall, "inquiry": inquiry, "held": held, "theirs": theirs,
            "client": client, "wedding": wedding, "performer": performer}


@pytest.fixture
def api():
    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}") if user else Client()

    return build


@pytest.fixture(autouse=True)
def _json_support_known(db):
    """Search builds its rows with JSON functions; the first time a SQLite connection is asked for them,
    Django checks once that JSON is supported (three queries: a savepoint, ``SELECT JSON(...)``, its
    release). That happens once per connection, not per request: check it before any test counts queries."""
    from django.db import connection

    assert connection.features.has_json_object_function
