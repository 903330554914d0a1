"""The public venue page /v/<slug>/ and GET /api/v1/public/venues/{slug}: visibility for every kind of
visitor, only confirmed upcoming shows (never holds, inquiries or money), JSON-LD that parses, Open
Graph, the way to inquire, and a constant number of queries."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.bookings import services as bookings
from backline.venues import services
from backline.venues.models import Venue


@pytest.fixture
def hall(make_team, django_capture_on_commit_callbacks):
    venue_ws, buyers = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Velvet Owls")
    venue = Venue.objects.get(workspace=venue_ws)
    stage = venue.stages.get()
    services.stage_spec_update(actor=buyers[Role.OWNER], stage_id=stage.pk, width_m="6", depth_m="4", monitor_mixes=4,
                               inputs=16, console="Allen & Heath SQ-5")
    services.venue_update(actor=buyers[Role.OWNER], venue_id=venue.pk, genres=["indie rock", "jazz"],
                          description='Loud </script><script>alert("x")</script> & proud')
    return venue, buyers, act_ws, band


def _show(hall, days, *, confirm, title="Club night"):
    venue, buyers, act_ws, band = hall
    owner = buyers[Role.OWNER]
    booking = bookings.inquiry_create(actor=owner, workspace_id=venue.workspace_id, title=title, act_id=act_ws.act.pk,
                                      venue_id=venue.pk, budget="800")
    start = (timezone.now() + dt.timedelta(days=days)).replace(hour=20, minute=0, second=0, microsecond=0)
    bookings.hold_place(actor=owner, booking_id=booking.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    if confirm:
        bookings.offer_make(actor=owner, booking_id=booking.pk, deal_type="guarantee", guarantee="777",
                            deposit_percent="0")
        bookings.offer_accept(actor=band[Role.OWNER], booking_id=booking.pk)
    return booking


def _as(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("visibility,anonymous,stranger,member", [
    ("public", 200, 200, 200), ("unlisted", 200, 200, 200), ("private", 404, 404, 200)])
def test_visibility_for_anonymous_a_stranger_and_the_team(hall, make_team, visibility, anonymous, stranger, member):
    venue, buyers, act_ws, band = hall
    services.venue_update(actor=buyers[Role.OWNER], venue_id=venue.pk, visibility=visibility)
    someone = band[Role.OWNER]  # logged in, not in the venue's team
    url, api = f"/v/{venue.slug}/", f"/api/v1/public/venues/{venue.slug}"
    assert _as().get(url).status_code == anonymous
    assert _as().get(api).status_code == anonymous
    assert _as(someone).get(url).status_code == stranger
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(someone)[0]}")
    assert bearer.get(api).status_code == stranger
    assert _as(buyers[Role.VIEWER]).get(url).status_code == member
    team_bearer = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(buyers[Role.VIEWER])[0]}")
    assert team_bearer.get(api).status_code == member
    page = _as(buyers[Role.VIEWER]).get(url).content.decode()
    assert ('name="robots" content="noindex' in page) == (visibility != "public")
    assert _as().get("/v/no-such-hall/").status_code == 404


def test_only_confirmed_upcoming_shows_appear_and_no_deal_details(hall):
    venue, buyers, act_ws, band = hall
    _show(hall, 20, confirm=True, title="Owls album launch")
    _show(hall, 40, confirm=False, title="Secret hold night")
    page = _as().get(f"/v/{venue.slug}/").content.decode()
    assert page.count('data-testid="show"') == 1 and "The Velvet Owls" in page
    for private in ("Secret hold night", "Owls album launch", "777", "800", "Hold", "Inquiry"):
        assert private not in page
    api = _as().get(f"/api/v1/public/venues/{venue.slug}").json()
    assert [s["act"] for s in api["upcoming_shows"]] == ["The Velvet Owls"]
    assert "777" not in json.dumps(api) and "Secret hold night" not in json.dumps(api)


def test_json_ld_parses_is_a_music_venue_and_cannot_break_out_of_its_script(hall):
    venue, *_ = hall
    _show(hall, 20, confirm=True)
    page = _as().get(f"/v/{venue.slug}/").content.decode()
    block = re.search(r'<script type="application/ld\+json" id="venue-jsonld">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "MusicVenue" and data["name"] == "Lantern Hall"
    assert data["maximumAttendeeCapacity"] == 300 and data["event"][0]["performer"]["name"] == "The Velvet Owls"
    assert '<script>alert("x")' not in page  # the description's markup is escaped everywhere
    assert data["description"].startswith("Loud </script>")
    assert '<meta property="og:title" content="Lantern Hall, Berlin">' in page


def test_the_stage_spec_in_words_the_map_spot_and_genres(hall):
    venue, *_ = hall
    page = _as().get(f"/v/{venue.slug}/").content.decode()
    assert "6 × 4 m stage, 4 monitor mixes, 16 inputs on an Allen &amp; Heath SQ-5" in page
    assert "data-map" in page and f'data-lat="{venue.latitude:f}"' in page
    assert "indie rock" in page and "jazz" in page


def test_how_to_inquire_depends_on_who_looks(hall):
    venue, buyers, act_ws, band = hall
    assert "Sign up" in _as().get(f"/v/{venue.slug}/").content.decode()
    page = _as(band[Role.COORDINATOR]).get(f"/v/{venue.slug}/").content.decode()
    assert f"/w/{act_ws.slug}/bookings/new/?venue={venue.pk}" in page and "Ask for a date" in page
    assert "Ask for a date" not in _as(band[Role.VIEWER]).get(f"/v/{venue.slug}/").content.decode()
    assert "Ask for a date" not in _as(buyers[Role.OWNER]).get(f"/v/{venue.slug}/").content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_page_and_its_api_cost_the_same_queries_whatever_the_size(hall):
    venue, buyers, *_ = hall
    anonymous, team = _as(), _as(buyers[Role.OWNER])
    page, api = f"/v/{venue.slug}/", f"/api/v1/public/venues/{venue.slug}"
    small = [_queries(c, u) for c in (anonymous, team) for u in (page, api)]
    _show(hall, 20, confirm=True)
    for n in range(4):
        services.stage_add(actor=buyers[Role.OWNER], venue_id=venue.pk, name=f"Room {n}", capacity=50)
    _show(hall, 25, confirm=True)
    big = [_queries(c, u) for c in (anonymous, team) for u in (page, api)]
    assert big == small, (small, big)
    assert big[0] <= 5 and big[1] <= 5  # anonymous: the venue, stages, photos, documents, shows


def test_a_stages_photos_show_with_that_stage(hall):
    from backline.media.models import AssetKind

    from .conftest import make_asset

    venue, buyers, *_ = hall
    owner = buyers[Role.OWNER]
    upstairs = services.stage_add(actor=owner, venue_id=venue.pk, name="Upstairs", capacity=80)
    photo = make_asset(venue.workspace, kind=AssetKind.PHOTO, title="Upstairs from the bar")
    services.stage_spec_update(actor=owner, stage_id=upstairs.pk, photo_ids=[photo.pk])
    page = _as().get(f"/v/{venue.slug}/").content.decode()
    articles = page.split("<article")[1:]
    upstairs_article = next(a for a in articles if "Upstairs</h3>" in a)
    assert 'aria-label="Photos of Upstairs"' in upstairs_article and 'alt="Upstairs from the bar"' in upstairs_article
    assert not any("stage-photos" in a for a in articles if "Upstairs</h3>" not in a)
