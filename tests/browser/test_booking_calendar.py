"""A venue's booking calendar in a real Chromium (issue 12): at 1366 px a hold's or offer's stage sits on
the time line, so the show's name wraps on its own two lines instead of being cut ("3rd hold · The Copper
Harbour…"); the whole title stays the tooltip; on a phone the month is a list."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.artists.services import act_create
from backline.bookings import services as bookings
from backline.core.places import find_city
from backline.venues.services import venue_workspace_create
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")
LAPTOP = {"width": 1366, "height": 900}
NAMES = ("The Brass Satellites", "The Brass Weather", "The Copper Harbour")


@pytest.fixture
def venue(site):
    """Three acts held on one evening (1st, 2nd, 3rd hold); the 2nd hold has an offer out."""
    berlin = find_city("Berlin", "DE").geoname_id
    buyer = UserFactory(email="nora@example.org", name="Nora Jensen", time_zone="Europe/Berlin")
    hall = venue_workspace_create(actor=buyer, name="Lantern Hall", capacity=300, geoname_id=berlin)
    day = dt.datetime.now(BERLIN).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(20), tzinfo=BERLIN)
    held = []
    for name in NAMES:
        act = act_create(actor=UserFactory(), name=name, geoname_id=berlin)
        b = bookings.inquiry_create(actor=buyer, workspace_id=hall.workspace_id, title=f"{name} headline",
                                    act_id=act.pk, venue_id=hall.pk)
        bookings.hold_place(actor=buyer, booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=3))
        held.append(b)
    bookings.offer_make(actor=buyer, booking_id=held[1].pk, deal_type="guarantee", guarantee="900")
    return hall.workspace, buyer, day


def _month_of(page, day: dt.date) -> None:
    today = dt.datetime.now(BERLIN).date()
    if (day.year, day.month) != (today.year, today.month):
        page.locator(".fc-next-button").click()


def test_hold_and_offer_titles_wrap_whole_with_the_stage_on_the_time_line(open_browser, venue):
    workspace, buyer, day = venue
    laptop = open_browser(viewport=LAPTOP)
    log_in(laptop, buyer.email, PASSWORD)
    page = laptop.page
    page.goto(f"/w/{workspace.slug}/bookings/calendar/")
    _month_of(page, day)
    events = page.locator(".bl-booking")
    expect(events).to_have_count(3)
    third = page.locator(".bl-booking", has_text="The Copper Harbour")
    expect(third.locator(".fc-event-time")).to_have_text("20:00 · 3rd hold")
    expect(third.locator(".fc-event-title")).to_have_text("The Copper Harbour headline")
    assert "3rd hold · The Copper Harbour headline" in third.get_attribute("title")  # the whole title
    offer = page.locator(".bl-booking", has_text="The Brass Weather")
    expect(offer.locator(".fc-event-time")).to_have_text("20:00 · Offer · 2nd hold")
    # No title is clipped: each fits its box across and down (at most two lines).
    clipped = page.evaluate("""() => [...document.querySelectorAll('.bl-booking .fc-event-title')]
        .filter((t) => t.scrollWidth > t.clientWidth + 1 || t.scrollHeight > t.clientHeight + 1)
        .map((t) => t.textContent)""")
    assert clipped == []
    laptop.shot("booking-calendar-1366")
    assert_clean(laptop)

    phone = open_browser(viewport=PHONE)
    log_in(phone, buyer.email, PASSWORD)
    phone.page.goto(f"/w/{workspace.slug}/bookings/calendar/")
    expect(phone.page.locator(".fc-list")).to_be_visible()
    _month_of(phone.page, day)
    expect(phone.page.locator(".fc-list-event", has_text="3rd hold · The Copper Harbour headline")).to_have_count(1)
    assert phone.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.shot("booking-calendar-phone")
    assert_clean(phone)
