"""An act asks a venue for a date, in a real Chromium (issue 12, items 2 and 3). The act's owner opens
the schedule, clicks a green day, asks a venue for it; the venue finds the inquiry in its pipeline,
holds the date and makes an offer; the act accepts; the show is in the venue's calendar and the act's,
and that evening is offered as green only after the show."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.artists.services import act_create
from backline.bookings.models import Booking, Status
from backline.core.places import find_city
from backline.scheduling.services.availability import schedule_set_default
from backline.venues.services import venue_workspace_create
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def parties(site):
    berlin = find_city("Berlin", "DE").geoname_id
    vera = UserFactory(email="vera.venue@example.org", name="Vera Venue")
    venue = venue_workspace_create(actor=vera, name="Lantern Hall", capacity=300, geoname_id=berlin)
    olly = UserFactory(email="olly.owl@example.org", name="Olly Owl")
    act = act_create(actor=olly, name="The Night Owls", geoname_id=berlin)
    schedule_set_default(actor=olly, default_state="free")  # every evening is green
    return vera, venue.workspace, olly, act.workspace


def test_an_act_asks_a_venue_for_a_green_date_and_the_show_is_booked(open_browser, site, parties):
    vera, venue_ws, olly, act_ws = parties
    day = dt.datetime.now(BERLIN).date() + dt.timedelta(days=3)

    # The act's owner opens the schedule: the green dates are counted and paged.
    owl = open_browser(LAPTOP)
    log_in(owl, olly.email, PASSWORD)
    page = owl.page
    page.goto(f"/w/{act_ws.slug}/schedule/")
    expect(page.get_by_test_id("green-total")).to_have_text("90")
    expect(page.get_by_test_id("green-date")).to_have_count(10)
    page.get_by_test_id("green-next").click()
    expect(page.get_by_test_id("green-pager")).to_contain_text("11–20 of 90")

    # A click on the green day in the calendar offers what to do with it.
    cell = page.locator(f".fc-daygrid-day[data-date='{day.isoformat()}']")
    if not cell.is_visible():
        page.locator(".fc-next-button").click()
    expect(cell.locator(".bl-zone-day")).to_have_count(1)
    cell.click()
    modal = page.locator("#green-date-modal")
    expect(modal.get_by_test_id("green-date-detail")).to_contain_text("Everyone is free 18:00–02:00")
    for testid in ("date-ask", "date-pitch", "date-hold", "date-pencil", "date-share"):
        expect(modal.get_by_test_id(testid)).to_be_visible()
    owl.shot("green-date-actions")
    modal.get_by_test_id("date-ask").click()

    # The ask form has the date; the venue is found by typing its name.
    expect(page.locator("#id_date_from")).to_have_value(day.isoformat())
    page.locator(".ts-control").first.click()
    page.keyboard.type("Lantern")
    page.locator(".ts-dropdown .option", has_text="Lantern Hall").first.click()
    page.get_by_label("Show starts").fill("20:00")
    page.get_by_label("Show ends").fill("22:00")
    page.get_by_label("Fee you hope for").fill("600")
    page.get_by_label("Message").fill("We are a four-piece folk band from Berlin; 75 minutes, our own backline.")
    owl.shot("ask-form")
    page.get_by_test_id("send-inquiry").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Inquiry")
    expect(page.get_by_test_id("asked-by")).to_contain_text("The Night Owls")
    booking = Booking.objects.get(act__workspace=act_ws)
    assert booking.workspace == venue_ws and booking.act_asked
    owl.shot("inquiry-sent")

    # The venue sees it in its pipeline as an inquiry from the act, holds the date and offers.
    hall = open_browser(LAPTOP)
    log_in(hall, vera.email, PASSWORD)
    vp = hall.page
    vp.goto(f"/w/{venue_ws.slug}/bookings/")
    card = vp.get_by_test_id("booking-card").filter(has_text="The Night Owls at Lantern Hall")
    expect(card).to_be_visible()
    hall.shot("venue-pipeline")
    card.click()
    expect(vp.get_by_test_id("asked-by")).to_contain_text("The Night Owls · Olly Owl")
    expect(vp.get_by_test_id("booking-conversation")).to_contain_text("four-piece folk band")
    hall.shot("venue-inquiry")
    vp.get_by_test_id("hold-form").get_by_role("button", name="Place hold").click()
    expect(vp.get_by_test_id("booking-status")).to_have_text("Hold")
    offer = vp.get_by_test_id("offer-form")
    expect(offer.get_by_label("Deal type")).to_have_value("guarantee")  # a venue's first offer: a guarantee
    offer.get_by_label("Guarantee").fill("550")
    offer.get_by_role("button", name="Send").click()
    expect(vp.get_by_test_id("booking-status")).to_have_text("Offer out")

    # The act accepts: confirmed.
    page.reload()
    page.get_by_test_id("accept-offer").click()
    page.get_by_test_id("confirm-deal").click()  # the dialog says what confirming does
    expect(page.get_by_test_id("booking-status")).to_have_text("Confirmed")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.starts_at.astimezone(BERLIN).replace(tzinfo=None) == dt.datetime.combine(day, dt.time(20))

    # Both calendars show the show; the act's schedule no longer offers that evening as green.
    for b, slug in ((hall, venue_ws.slug), (owl, act_ws.slug)):
        b.page.goto(f"/w/{slug}/bookings/calendar/")
        if not b.page.locator(f".fc-daygrid-day[data-date='{day.isoformat()}']").is_visible():
            b.page.locator(".fc-next-button").click()
        expect(b.page.locator(f".fc-daygrid-day[data-date='{day.isoformat()}'] .bl-stage-confirmed")).to_have_count(1)
        b.shot("calendar")
    # The show is in every member's calendar, so that evening is free only after it (22:00–02:00).
    page.goto(f"/w/{act_ws.slug}/schedule/")
    evening = page.locator(f"[data-testid=green-date][data-date='{day.isoformat()}']")
    expect(evening).to_contain_text("22:00–02:00")
    owl.shot("schedule-after")
    assert_clean(owl)
    assert_clean(hall)


def test_on_a_phone_the_green_dates_and_the_form_fit(open_browser, site, parties):
    _, _, olly, act_ws = parties
    phone = open_browser(PHONE)
    log_in(phone, olly.email, PASSWORD)
    page = phone.page
    page.goto(f"/w/{act_ws.slug}/schedule/")
    page.get_by_test_id("green-date-menu").first.click()
    expect(page.get_by_test_id("date-ask").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    phone.shot("phone-green-menu")
    page.get_by_test_id("date-ask").first.click()
    expect(page.get_by_test_id("ask-form")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    phone.shot("phone-ask-form")
    assert_clean(phone)
