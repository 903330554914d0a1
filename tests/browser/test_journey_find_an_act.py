"""A promoter finds an act and asks it for a date, in a real Chromium (issue 13's journey): the promoter
opens "Find acts", filters by genre and city, finds the act on the map, opens its press kit, sees in plain
words what of the act's technical rider its stage cannot offer, and sends an inquiry from the page."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from backline.accounts.services import workspace_create
from backline.artists import epk, riders
from backline.artists.genres import GENRES
from backline.artists.models import Genre
from backline.artists.services import act_create
from backline.bookings.models import Booking
from backline.core.places import find_city
from backline.venues.models import Stage
from backline.venues.services import stage_spec_update, venue_create
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAPTOP = {"width": 1366, "height": 900}
BERLIN, HAMBURG = find_city("Berlin", "DE"), find_city("Hamburg", "DE")


def _act(name, city, genres, *, rider: bool):
    owner = UserFactory()
    act = act_create(actor=owner, name=name, geoname_id=city.geoname_id, genres=genres)
    epk.press_kit_save(actor=owner, workspace_id=act.workspace_id, fields={
        "visibility": "public", "short_bio": f"{name}: late-night jazz for small rooms.",
        "booking_email": "booking@example.org"})
    if rider:
        draft = riders.rider_draft(actor=owner, workspace_id=act.workspace_id, kind="technical")
        riders.rider_update(actor=owner, workspace_id=act.workspace_id, rider_id=draft.pk,
                            inputs=[{"channel": i + 1, "source": f"Source {i + 1}"} for i in range(20)],
                            monitor_mixes=["Vox", "Keys", "Bass", "Drums", "Sax", "Side"],
                            stage_width_m=Decimal(8), stage_depth_m=Decimal(5), backline_needs=["drum_kit"])
        riders.rider_publish(actor=owner, workspace_id=act.workspace_id, rider_id=draft.pk)
    return act


@pytest.fixture
def world(site):
    # A transactional test empties the tables after itself; the fixed genre list comes back here.
    for slug, name in GENRES:
        Genre.objects.get_or_create(slug=slug, defaults={"name": name})
    nina = UserFactory(email="nina.promoter@example.org", name="Nina Night")
    promoter = workspace_create(actor=nina, kind="promoter", name="Night Shift Promotions", geoname_id=BERLIN.geoname_id)
    venue = venue_create(actor=nina, workspace_id=promoter.pk, name="Kellerbar", capacity=180,
                         geoname_id=BERLIN.geoname_id)
    stage = Stage.objects.filter(venue=venue).first() or Stage.objects.create(venue=venue, name="Main", capacity=180)
    stage_spec_update(actor=nina, stage_id=stage.pk, width_m=Decimal(6), depth_m=Decimal(4), monitor_mixes=4,
                      inputs=16, backline_available=["bass_amp"])
    owls = _act("The Velvet Owls", BERLIN, ["jazz"], rider=True)
    _act("The Harbour Gulls", HAMBURG, ["jazz"], rider=False)  # jazz too, but 250 km away
    _act("Static Noise", BERLIN, ["punk"], rider=False)  # in Berlin, another genre
    return nina, promoter, venue, owls


def close_dropdown(page, dropdown):
    """Close a multi-select's list with Escape, as a person would. Tom-select refreshes its search 300 ms
    after the last key and may reopen the list then; on a busy machine that can land after the first
    Escape, so press again until the list stays shut."""
    page.wait_for_timeout(400)
    for _ in range(5):
        page.keyboard.press("Escape")
        try:
            expect(dropdown).to_be_hidden(timeout=2000)
            page.wait_for_timeout(400)
            expect(dropdown).to_be_hidden(timeout=100)
            return
        except AssertionError:
            continue
    expect(dropdown).to_be_hidden()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_promoter_finds_an_act_on_the_map_sees_the_rider_misfit_and_asks_for_a_date(open_browser, world, viewport):
    nina, promoter, venue, owls = world
    b = open_browser(viewport)
    log_in(b, nina.email, PASSWORD)
    page = b.page
    page.goto(f"/w/{promoter.slug}/")
    if viewport is PHONE:
        page.get_by_role("button", name="Open the menu").click()
    page.get_by_role("link", name="Find acts").click()
    expect(page.get_by_role("heading", name="Find acts")).to_be_visible()

    # Genre and city, each picked from its autocomplete.
    filters = page.get_by_test_id("directory-filters")
    filters.locator("#id_genres + .ts-wrapper .ts-control, #id_genres-ts-control").first.click()
    page.keyboard.type("Jazz")
    page.locator(".ts-dropdown .option", has_text="Jazz").first.click()
    close_dropdown(page, filters.locator("#id_genres + .ts-wrapper .ts-dropdown"))
    filters.locator("#id_city + .ts-wrapper .ts-control, #id_city-ts-control").first.click()
    page.keyboard.type("Berlin")
    page.locator(".ts-dropdown .option", has_text="Berlin").first.click()
    filters.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("directory-count")).to_contain_text("1 found")
    expect(page.get_by_test_id("directory-card")).to_have_count(1)
    assert "genres=jazz" in page.url  # a shareable address
    b.shot("directory")

    # The act on the map: its marker's popup links to the press kit.
    page.get_by_test_id("directory-map").scroll_into_view_if_needed()
    marker = page.locator("[data-testid=directory-map] path.leaflet-interactive")
    expect(marker).to_have_count(1)
    marker.click(force=True)
    popup = page.locator(".leaflet-popup-content a", has_text="The Velvet Owls")
    expect(popup).to_be_visible()
    b.shot("map-popup")
    popup.click()

    # The press kit, and how the act's rider fits the promoter's stage, in words.
    expect(page.get_by_role("heading", name="The Velvet Owls", level=1)).to_be_visible()
    fits = page.get_by_test_id("fits-your-stages")
    expect(fits).to_contain_text("Kellerbar")
    expect(fits).to_contain_text("Needs 6 monitor mixes; the stage has 4.")
    expect(fits).to_contain_text("Stage 6 × 4 m; the act needs 8 × 5 m.")
    fits.scroll_into_view_if_needed()
    b.shot("stage-fit")

    # Ask for a date at that venue, from the page.
    day = dt.date.today() + dt.timedelta(days=45)
    form = page.locator("#request")
    form.get_by_label("Venue", exact=True).select_option(label="Kellerbar")
    form.locator("#id_date").fill(day.isoformat())
    form.locator("#id_message").fill("A Friday in the Kellerbar? We can do a small-stage set-up.")
    form.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Inquiry")
    b.shot("inquiry")
    booking = Booking.objects.get(workspace=promoter)
    assert booking.act_id == owls.pk and booking.venue_id == venue.pk and booking.date_from == day
    assert_clean(b)
