"""An agency asks to represent an act, the act accepts, and the agency asks a venue for a date on the
act's behalf, in a real Chromium (issue 12, item 2). The venue finds the inquiry in its pipeline under
the act's name, via the agency; the act sees it on its own board."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts.services import workspace_create
from backline.artists.services import act_create
from backline.bookings.models import Booking
from backline.core.places import find_city
from backline.venues.services import venue_workspace_create
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def parties(site):
    berlin = find_city("Berlin", "DE").geoname_id
    vera = UserFactory(email="vera.venue@example.org", name="Vera Venue")
    venue = venue_workspace_create(actor=vera, name="Lantern Hall", capacity=300, geoname_id=berlin)
    olly = UserFactory(email="olly.owl@example.org", name="Olly Owl")
    act = act_create(actor=olly, name="The Night Owls", geoname_id=berlin)
    clara = UserFactory(email="clara.agent@example.org", name="Clara Agent")
    agency = workspace_create(actor=clara, kind="agency", name="Silver Lining", geoname_id=berlin)
    return vera, venue.workspace, olly, act.workspace, clara, agency


def choose(page, field_id: str, typed: str, option: str) -> None:
    """Pick from a searchable select (Tom Select) by typing part of the name."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::div[contains(@class,'ts-wrapper')]") \
        .locator(".ts-control").click()
    page.keyboard.type(typed)
    page.locator(".ts-dropdown .option", has_text=option).first.click()


def test_an_agency_asks_a_venue_for_a_date_on_behalf_of_the_act_it_represents(open_browser, site, parties):
    vera, venue_ws, olly, act_ws, clara, agency_ws = parties
    day = dt.datetime.now(ZoneInfo("Europe/Berlin")).date() + dt.timedelta(days=45)

    # The agency, on a phone, asks to represent the act.
    agent = open_browser(PHONE)
    log_in(agent, clara.email, PASSWORD)
    page = agent.page
    page.goto(f"/w/{agency_ws.slug}/represented-acts/")
    choose(page, "id_partner", "Night", "The Night Owls")
    page.get_by_test_id("representation-ask").click()
    expect(page.get_by_test_id("representation-status")).to_have_text("waiting for their answer")
    agent.shot("asked-to-represent")

    # The act accepts on its Agencies page.
    owl = open_browser(LAPTOP)
    log_in(owl, olly.email, PASSWORD)
    op = owl.page
    op.goto(f"/w/{act_ws.slug}/agencies/")
    expect(op.get_by_test_id("representation-row")).to_contain_text("Silver Lining")
    op.get_by_test_id("representation-accept").click()
    expect(op.get_by_test_id("representation-status")).to_have_text("represents the act")
    owl.shot("act-accepted")

    # The agency asks the venue for a date for the act (the act is chosen already: it is the only one).
    page.goto(f"/w/{agency_ws.slug}/bookings/")
    page.get_by_test_id("agency-ask").click()
    expect(page.locator("#id_act")).to_have_value(str(act_ws.pk))
    choose(page, "id_to", "Lantern", "Lantern Hall")
    page.locator("#id_date_from").fill(day.isoformat())
    page.get_by_label("Message").fill("Booking for The Night Owls: a folk four-piece, 75 minutes.")
    agent.shot("agency-ask-form")
    page.get_by_test_id("send-inquiry").click()
    expect(page.get_by_test_id("asked-by")).to_contain_text("The Night Owls via Silver Lining")
    booking = Booking.objects.get(act__workspace=act_ws)
    assert (booking.workspace, booking.asked_by_workspace) == (venue_ws, agency_ws)
    agent.shot("inquiry-sent")

    # The venue sees an inquiry from the act, via the agency, in its pipeline.
    hall = open_browser(LAPTOP)
    log_in(hall, vera.email, PASSWORD)
    hall.page.goto(f"/w/{venue_ws.slug}/bookings/")
    card = hall.page.get_by_test_id("booking-card").filter(has_text="The Night Owls at Lantern Hall")
    expect(card).to_be_visible()
    expect(card.get_by_test_id("asked-by-act")).to_have_text("asked via Silver Lining")
    hall.shot("venue-pipeline")

    # The act sees it on its own board.
    op.goto(f"/w/{act_ws.slug}/bookings/")
    expect(op.get_by_test_id("booking-card").filter(has_text="The Night Owls at Lantern Hall")).to_be_visible()

    # The act ends the representation: a dialog says what happens; the inquiry stays with the act.
    op.goto(f"/w/{act_ws.slug}/agencies/")
    op.get_by_test_id("representation-end").click()
    dialog = op.locator(".modal.show")
    expect(dialog).to_contain_text("can no longer ask venues or promoters for dates on your behalf")
    owl.shot("end-dialog")
    dialog.get_by_test_id("representation-end-confirm").click()
    expect(op.get_by_test_id("representation-status")).to_have_text("ended")
    op.goto(f"/w/{act_ws.slug}/bookings/")
    expect(op.get_by_test_id("booking-card").filter(has_text="The Night Owls at Lantern Hall")).to_be_visible()
    for b in (agent, owl, hall):
        assert_clean(b)
