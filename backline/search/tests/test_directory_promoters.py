"""Promoters without venues of their own in the venue directory (issue 13, item 7): one card each, by the
home city on their workspace, in the same list as venues (count, order and pages agree), plain text as they
have no public page; filters that only a venue can meet leave them out."""

import pytest

from backline.accounts.models import WorkspaceKind
from backline.accounts.services import workspace_create
from backline.search.directory import PAGE_SIZE, VenueFilters, directory_venues
from backline.venues.services import venue_create, venue_workspace_create
from tests.factories import UserFactory

from .test_directory import BERLIN, HAMBURG, names


@pytest.fixture
def scene(db):
    owner = UserFactory()
    venue_workspace_create(actor=owner, name="Lantern Hall", capacity=900, geoname_id=BERLIN.geoname_id)
    workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name="Night Shift", geoname_id=HAMBURG.geoname_id)
    with_room = workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name="Owl Nights", geoname_id=BERLIN.geoname_id)
    venue_create(actor=owner, workspace_id=with_room.pk, name="Owl Cellar", capacity=120, geoname_id=BERLIN.geoname_id)
    workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name="Berlin Bookings", geoname_id=BERLIN.geoname_id)


def test_promoters_without_venues_are_cards_by_their_home_city(scene):
    page = directory_venues(VenueFilters())
    assert names(page) == ["Berlin Bookings", "Lantern Hall", "Night Shift", "Owl Cellar"] and page.count == 4
    card = page.cards[0]
    assert card.kind == "promoter" and card.city == "Berlin, DE" and "Promoter" in card.badges
    assert card.latitude is not None and card.size is None and card.url is None  # no public page to link
    assert names(directory_venues(VenueFilters(kind="promoter"))) == ["Berlin Bookings", "Night Shift", "Owl Cellar"]
    assert names(directory_venues(VenueFilters(kind="venue"))) == ["Lantern Hall"]
    near = directory_venues(VenueFilters(city=BERLIN.geoname_id, radius_km=50))
    assert set(names(near)) == {"Berlin Bookings", "Lantern Hall", "Owl Cellar"}  # Hamburg is 250 km away
    assert all(c.distance_km is not None for c in near.cards)


def test_filters_only_a_venue_meets_leave_them_out(scene):
    assert "Berlin Bookings" not in names(directory_venues(VenueFilters(capacity_min=10)))
    assert names(directory_venues(VenueFilters(has_backline=True))) == []
    assert directory_venues(VenueFilters(verified=True)).count == 0


def test_count_and_pages_agree_across_both_kinds(db):
    owner = UserFactory()
    for i in range(PAGE_SIZE):
        venue_workspace_create(actor=owner, name=f"Hall {i:02}", capacity=100, geoname_id=BERLIN.geoname_id)
        workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name=f"Crew {i:02}", geoname_id=BERLIN.geoname_id)
    first, second = directory_venues(VenueFilters(), 1), directory_venues(VenueFilters(), 2)
    assert first.count == second.count == 2 * PAGE_SIZE and first.pages == 2
    assert names(first) == [f"Crew {i:02}" for i in range(PAGE_SIZE)]
    assert names(second) == [f"Hall {i:02}" for i in range(PAGE_SIZE)]


def test_the_api_and_the_page_show_promoter_cards(scene, client):
    client.force_login(UserFactory())
    body = client.get("/api/v1/directory/venues", {"city": "berlin-de"}).json()
    promoter = next(r for r in body["results"] if r["name"] == "Berlin Bookings")
    assert promoter["kind"] == "promoter" and promoter["page_url"] is None and promoter["capacity"] is None
    assert body["count"] == 3
    page = client.get("/directory/venues/", {"kind": "promoter"}).content.decode()
    assert "Berlin Bookings" in page and "Night Shift" in page and page.count('data-testid="directory-card"') == 3
