"""The bookings' search column: ``search_text`` holds every name search matches a booking by, the services
refresh it when one of those names changes, and a client's rename refreshes all its bookings in one UPDATE.
(What search then finds is tested with the search app.)"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.indexing import booking_text, index_booking
from backline.bookings.models import Booking
from backline.venues.models import Venue


def soon(days=30, hour=20):
    return (timezone.now() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(make_team):
    venue_ws, venue = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, _ = make_team(WorkspaceKind.ACT, name="The Owls")
    agency_ws, agency = make_team(WorkspaceKind.AGENCY, name="Northern Lights")
    hall, owner = Venue.objects.get(workspace=venue_ws), venue[Role.OWNER]
    inquiry = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Midsummer jazz night",
                                      act_id=act_ws.act.pk, venue_id=hall.pk, contact_name="Mara Quill",
                                      contact_email="mara@example.org", location="Kreuzberg")
    held = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Harvest moon concert",
                                   act_id=act_ws.act.pk, venue_id=hall.pk)
    services.hold_place(actor=owner, booking_id=held.pk, starts_at=soon(), ends_at=soon(hour=22))
    client = agency_services.client_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, name="Harbour Festival",
                                           company="Quayside Events", email="booking@harbour.example", city_name="Hamburg")
    wedding = services.inquiry_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, title="Wedding by the water",
                                      client_id=client.pk)
    return {"venue_ws": venue_ws, "venue": venue, "act_ws": act_ws, "agency_ws": agency_ws, "agency": agency,
            "hall": hall, "inquiry": inquiry, "held": held, "client": client, "wedding": wedding}


def test_the_search_text_holds_every_matched_name_lowercased(world):
    inquiry, wedding = world["inquiry"], world["wedding"]
    inquiry.refresh_from_db()
    assert inquiry.search_text == booking_text(inquiry)
    assert inquiry.search_text == (f"{inquiry.reference} midsummer jazz night mara quill mara@example.org kreuzberg "
                                   f"the owls lantern hall").lower()
    wedding.refresh_from_db()
    assert wedding.search_text.endswith("wedding by the water harbour festival quayside events")
    held = world["held"]
    held.refresh_from_db()
    assert "the owls" in held.search_text and "lantern hall" in held.search_text


def test_a_hold_on_another_act_and_venue_refreshes_the_text(world):
    owner, venue_ws = world["venue"][Role.OWNER], world["venue_ws"]
    bare = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Autumn session")
    assert Booking.objects.get(pk=bare.pk).search_text == f"{bare.reference} autumn session".lower()
    services.hold_place(actor=owner, booking_id=bare.pk, starts_at=soon(40), ends_at=soon(40, hour=22),
                        act_id=world["act_ws"].act.pk, venue_id=world["hall"].pk)
    assert Booking.objects.get(pk=bare.pk).search_text == f"{bare.reference} autumn session the owls lantern hall".lower()


def test_index_booking_writes_only_the_search_column(world):
    inquiry = Booking.objects.select_related("act__workspace", "venue", "client").get(pk=world["inquiry"].pk)
    Booking.objects.filter(pk=inquiry.pk).update(search_text="stale")
    with CaptureQueriesContext(connection) as ctx:
        index_booking(inquiry)
    assert len(ctx.captured_queries) == 1 and '"search_text"' in ctx.captured_queries[0]["sql"]
    assert "title" not in ctx.captured_queries[0]["sql"].split(" WHERE ")[0]
    assert Booking.objects.get(pk=inquiry.pk).search_text == booking_text(inquiry)


def test_renaming_a_client_refreshes_its_bookings_in_one_update(world):
    owner, client, wedding = world["agency"][Role.OWNER], world["client"], world["wedding"]
    other = services.inquiry_create(actor=owner, workspace_id=world["agency_ws"].pk, title="Harbour gala",
                                    client_id=client.pk)
    with CaptureQueriesContext(connection) as ctx:
        agency_services.client_update(actor=owner, client_id=client.pk, name="Seaside Fair", company="Pier Events")
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "bookings_booking"')]
    assert len(updates) == 1  # both bookings in one statement
    for booking in (wedding, other):
        text = Booking.objects.get(pk=booking.pk).search_text
        assert text.endswith("seaside fair pier events") and "harbour festival" not in text and "quayside" not in text
    with CaptureQueriesContext(connection) as ctx:  # no rename: the bookings are left alone
        agency_services.client_update(actor=owner, client_id=client.pk, city_name="Kiel")
    assert not any(q["sql"].startswith('UPDATE "bookings_booking"') for q in ctx.captured_queries)
