"""The directory (issue 13, item 7): each filter, the radius bound, "free on a day" from the green zone
without revealing anything else, paging and constant queries, the map island, links to public pages."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import act_create, act_member_add
from backline.core.errors import Invalid
from backline.core.places import find_city
from backline.scheduling.services.availability import availability_block_create, schedule_set_default
from backline.search.directory import ActFilters, VenueFilters, directory_acts, directory_venues
from backline.search.selectors import search
from backline.venues.services import venue_workspace_create
from tests.factories import UserFactory

BERLIN, LEIPZIG, HAMBURG, PARIS = (find_city(n, c) for n, c in
                                   (("Berlin", "DE"), ("Leipzig", "DE"), ("Hamburg", "DE"), ("Paris", "FR")))
DAY = dt.date.today() + dt.timedelta(days=20)


def _act(name, city, genres, *, free=None, busy_on=None, extra_members=0):
    owner = UserFactory(time_zone=city.time_zone)
    act = act_create(actor=owner, name=name, geoname_id=city.geoname_id, genres=genres)
    for i in range(extra_members):
        act_member_add(actor=owner, workspace_id=act.workspace_id, name=f"{name} player {i}", is_optional=True)
    if free:
        schedule_set_default(actor=owner, default_state="free")
    if busy_on:
        start = dt.datetime.combine(busy_on, dt.time(0), dt.UTC) - dt.timedelta(hours=3)
        availability_block_create(actor=owner, state="busy", starts_at=start, ends_at=start + dt.timedelta(hours=30),
                                  label="Dentist in Spandau")
    return act


@pytest.fixture
def acts(db):
    return {
        "owls": _act("The Owls", BERLIN, ["jazz", "soul"], free=True, extra_members=2),
        "foxes": _act("The Foxes", LEIPZIG, ["rock"], free=True, busy_on=DAY),
        "gulls": _act("The Gulls", HAMBURG, ["jazz"]),
        "mimes": _act("Les Mimes", PARIS, ["jazz"], free=True),
    }


def names(page):
    return [c.name for c in page.cards]


def test_genre_filter_keeps_acts_with_any_chosen_genre(acts):
    assert names(directory_acts(ActFilters(genres=["rock"]))) == ["The Foxes"]
    assert set(names(directory_acts(ActFilters(genres=["soul", "rock"])))) == {"The Owls", "The Foxes"}


def test_radius_keeps_acts_within_the_distance_nearest_first(acts):
    near = directory_acts(ActFilters(city=BERLIN.geoname_id, radius_km=100))
    assert names(near) == ["The Owls"]
    wider = directory_acts(ActFilters(city=BERLIN.geoname_id, radius_km=300))
    assert names(wider) == ["The Owls", "The Foxes", "The Gulls"]  # 0, ~150, ~255 km
    assert 140 < wider.cards[1].distance_km < 160


def test_a_radius_over_1000_km_is_refused_everywhere(acts, client):
    with pytest.raises(Invalid) as exc:
        directory_acts(ActFilters(city=BERLIN.geoname_id, radius_km=10_000))
    assert "radius_km" in exc.value.errors
    with pytest.raises(Invalid):
        directory_venues(VenueFilters(radius_km=1001))
    client.force_login(acts["owls"].workspace.memberships.first().user)
    response = client.get("/api/v1/directory/acts", {"radius_km": 10_000})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "radius_km"
    page = client.get("/directory/acts/", {"radius_km": 10_000})
    assert page.status_code == 200 and "Choose a distance between 1 and 1000 km." in page.content.decode()
    assert 'data-testid="directory-card"' not in page.content.decode()


def test_line_up_size_filter(acts):
    assert names(directory_acts(ActFilters(members_min=3))) == ["The Owls"]  # the owner and two players
    assert "The Owls" not in names(directory_acts(ActFilters(members_max=2)))
    with pytest.raises(Invalid):
        directory_acts(ActFilters(members_min=5, members_max=2))


def test_free_on_a_day_follows_the_green_zone(acts):
    """The Owls' only required member is free by default; the Foxes' owner is busy that day; the Gulls'
    availability is unknown (never free). Les Mimes are free too, but in Paris, outside the radius."""
    assert set(names(directory_acts(ActFilters(free_on=DAY)))) == {"The Owls", "Les Mimes"}
    assert names(directory_acts(ActFilters(free_on=DAY, city=BERLIN.geoname_id, radius_km=300))) == ["The Owls"]
    assert "The Foxes" in names(directory_acts(ActFilters(free_on=DAY + dt.timedelta(days=3))))


def test_free_on_reveals_nothing_but_the_match(acts, client):
    client.force_login(UserFactory())
    body = client.get("/api/v1/directory/acts", {"free_on": DAY.isoformat()}).json()
    assert {r["name"] for r in body["results"]} == {"The Owls", "Les Mimes"}
    assert set(body["results"][0]) == {"id", "kind", "name", "city", "lat", "lng", "genres", "line_up_size", "capacity",
                                       "distance_km", "badges", "page_url"}
    text = json.dumps(body)
    assert "Dentist" not in text and "busy" not in text.lower() and "free" not in text.lower()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no dates at all: not the day asked, not others


def _kit(act, visibility="public", **fields):
    from backline.artists.models import PressKit

    return PressKit.objects.create(act=act, visibility=visibility, **fields)


def test_private_and_unlisted_press_kits_keep_the_act_out_of_the_directory(acts):
    _kit(acts["owls"], "private")
    _kit(acts["gulls"], "unlisted")
    _kit(acts["foxes"], "public")
    assert set(names(directory_acts(ActFilters()))) == {"The Foxes", "Les Mimes"}


def test_press_kit_filter_keeps_acts_with_a_published_kit_or_those_without(acts):
    _kit(acts["foxes"], "public")
    assert names(directory_acts(ActFilters(press_kit=True))) == ["The Foxes"]
    assert set(names(directory_acts(ActFilters(press_kit=False)))) == {"The Owls", "The Gulls", "Les Mimes"}


def test_fee_band_matches_acts_whose_published_range_overlaps(acts):
    from decimal import Decimal

    _kit(acts["owls"], fee_min=Decimal(800), fee_max=Decimal(1500), fee_currency="EUR")
    _kit(acts["foxes"], fee_min=Decimal(3000), fee_currency="EUR")  # no top: the lowest fee is the range
    assert names(directory_acts(ActFilters(fee_band="500_1000"))) == ["The Owls"]
    assert names(directory_acts(ActFilters(fee_band="1000_2500"))) == ["The Owls"]
    assert names(directory_acts(ActFilters(fee_band="2500_5000"))) == ["The Foxes"]
    assert names(directory_acts(ActFilters(fee_band="up_to_500"))) == []
    with pytest.raises(Invalid):
        directory_acts(ActFilters(fee_band="a-million"))


def test_verified_filter_and_badges_follow_the_trust_rules(acts):
    from django.utils import timezone

    from backline.artists.models import ActVerification

    ActVerification.objects.create(act=acts["gulls"], verified_at=timezone.now())
    page = directory_acts(ActFilters(verified=True))
    assert names(page) == ["The Gulls"] and page.cards[0].badges == ("Verified",)
    others = {c.name: c.badges for c in directory_acts(ActFilters()).cards}
    assert others["The Owls"] == ("Not verified",)


@pytest.fixture
def venues(db):
    owner = UserFactory()
    made = {}
    for name, city, capacity in (("Lantern Hall", BERLIN, 900), ("Small Room", BERLIN, 80), ("Elbe Club", HAMBURG, 400)):
        made[name] = venue_workspace_create(actor=owner, name=name, capacity=capacity, geoname_id=city.geoname_id)
    return made


def test_venue_filters_capacity_radius_and_kind(venues):
    assert names(directory_venues(VenueFilters(capacity_min=100))) == ["Elbe Club", "Lantern Hall"]
    assert names(directory_venues(VenueFilters(capacity_max=100))) == ["Small Room"]
    near = directory_venues(VenueFilters(city=BERLIN.geoname_id, radius_km=50))
    assert set(names(near)) == {"Lantern Hall", "Small Room"}
    assert directory_venues(VenueFilters(kind="promoter")).count == 0
    assert directory_venues(VenueFilters(kind="venue")).count == 3
    with pytest.raises(Invalid):
        directory_venues(VenueFilters(kind="agency"))


def _queries(select, filters) -> int:
    with CaptureQueriesContext(connection) as ctx:
        select(filters, 1)
    return len(ctx)


def test_paging_and_constant_queries_for_3_and_30_results(db):
    for i in range(3):
        _act(f"Trio {i:02}", BERLIN, ["jazz"], free=True)
    few = {"plain": _queries(directory_acts, ActFilters(genres=["jazz"])),
           "free": _queries(directory_acts, ActFilters(genres=["jazz"], city=BERLIN.geoname_id, free_on=DAY))}
    for i in range(27):
        _act(f"Band {i:02}", LEIPZIG, ["jazz"], free=True, extra_members=i % 3)
    many = {"plain": _queries(directory_acts, ActFilters(genres=["jazz"])),
            "free": _queries(directory_acts, ActFilters(genres=["jazz"], city=BERLIN.geoname_id, radius_km=200, free_on=DAY))}
    assert few == many and max(many.values()) <= 6
    first, second = directory_acts(ActFilters(genres=["jazz"]), 1), directory_acts(ActFilters(genres=["jazz"]), 2)
    assert first.count == second.count == 30 and first.pages == 2
    assert len(first.cards) == 24 and len(second.cards) == 6
    assert not set(names(first)) & set(names(second))
    free = directory_acts(ActFilters(free_on=DAY), 2)
    assert free.count == 30 and len(free.cards) == 6


def test_venue_genres_and_backline_filters(venues):
    from backline.venues.models import Stage, Venue

    Venue.objects.filter(name="Lantern Hall").update(genres=["Jazz", "Indie rock"])
    Venue.objects.filter(name="Elbe Club").update(genres=["Rock"])
    Stage.objects.filter(venue__name="Small Room").update(backline_available=["drum_kit"])
    assert names(directory_venues(VenueFilters(genres=["jazz"]))) == ["Lantern Hall"]
    assert names(directory_venues(VenueFilters(genres=["rock"]))) == ["Elbe Club"]  # "Indie rock" is another genre
    assert names(directory_venues(VenueFilters(has_backline=True))) == ["Small Room"]


def test_venue_queries_are_constant(db):
    owner = UserFactory()
    venue_workspace_create(actor=owner, name="Hall 0", capacity=300, geoname_id=BERLIN.geoname_id)
    few = _queries(directory_venues, VenueFilters(city=BERLIN.geoname_id, capacity_min=10))
    for i in range(1, 30):
        venue_workspace_create(actor=owner, name=f"Hall {i}", capacity=300, geoname_id=BERLIN.geoname_id)
    assert _queries(directory_venues, VenueFilters(city=BERLIN.geoname_id, capacity_min=10)) == few <= 6


def test_pages_need_a_login_and_show_cards_and_the_map_island(acts, client):
    assert client.get("/directory/acts/").status_code == 302
    client.force_login(UserFactory())
    page = client.get("/directory/acts/", {"genres": "jazz", "city": BERLIN.geoname_id, "radius_km": 300}).content.decode()
    assert page.count('data-testid="directory-card"') == 2  # the Owls and the Gulls
    assert 'data-map="directory-map-data"' in page and 'src="/static/dist/map.js"' in page
    data = json.loads(re.search(r'<script id="directory-map-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert {m["name"] for m in data["markers"]} == {"The Owls", "The Gulls"}
    assert all(isinstance(m["lat"], float) and isinstance(m["lng"], float) for m in data["markers"])
    assert data["tile_url"] == "" and data["centre"]["radius_km"] == 300
    shared = client.get("/directory/acts/", {"genres": "jazz", "page": 1}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in shared and 'data-testid="directory-card"' in shared


def test_tiles_only_when_configured(acts, client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    client.force_login(UserFactory())
    page = client.get("/directory/venues/").content.decode()
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in page and "Example tiles" in page


def test_the_built_map_bundle_has_leaflet_and_no_cdn():
    bundle = Path(settings.BASE_DIR) / "backline" / "static" / "dist" / "map.js"
    text = bundle.read_text()
    assert "leaflet" in text.lower() and "circleMarker" in text or "CircleMarker" in text
    assert "unpkg" not in text and "cdn" not in text.lower()
    css = (bundle.parent / "map.css").read_text()
    assert "leaflet-container" in css and "unpkg" not in css and "cdn" not in css.lower()


def test_nav_offers_find_acts_to_buyers_and_find_venues_to_acts(make_team, client):
    venue_ws, venue = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    client.force_login(venue[Role.VIEWER])
    page = client.get(f"/w/{venue_ws.slug}/find-acts/").content.decode()
    assert "Find acts" in page and f'href="/w/{venue_ws.slug}/find-acts/"' in page
    assert client.get(f"/w/{venue_ws.slug}/find-venues/").status_code == 404
    client.force_login(band[Role.VIEWER])
    assert f'href="/w/{act_ws.slug}/find-venues/"' in client.get(f"/w/{act_ws.slug}/").content.decode()


def test_search_results_and_cards_link_to_public_pages_only_when_published(acts, client):
    user = UserFactory()
    slug = acts["owls"].workspace.slug
    assert search(user, "Owls", type="acts")["acts"][0].url is None  # no press kit: no page to open
    kit = _kit(acts["owls"], "unlisted")
    assert directory_acts(ActFilters(genres=["soul"])).count == 0  # unlisted: link only, not listed
    kit.visibility = "public"
    kit.save()
    assert search(user, "Owls", type="acts")["acts"][0].url == f"/a/{slug}/"
    assert directory_acts(ActFilters(genres=["soul"])).cards[0].url == f"/a/{slug}/"
    client.force_login(user)
    assert f'href="/a/{slug}/"' in client.get("/search/", {"q": "Owls"}).content.decode()
    assert f'href="/a/{slug}/"' in client.get("/directory/acts/", {"genres": "soul"}).content.decode()
    assert client.get("/api/v1/directory/acts", {"genres": "soul"}).json()["results"][0]["page_url"] == f"/a/{slug}/"
