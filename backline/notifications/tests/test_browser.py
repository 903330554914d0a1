"""Notifications in a real Chromium: a promoter holds a date and makes an offer; the act's singer sees
the bell's count, opens the offer from the list, marks everything read, deletes one, and chooses email
for offers. (The fixtures are the browser journeys' own, in tests/browser/conftest.py.)"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import WorkspaceKind
from backline.artists.services import act_create
from backline.bookings import services as bookings
from backline.core.places import find_city
from backline.notifications.models import Notification, NotificationPreference
from backline.venues.services import venue_create
from tests.browser.conftest import PHONE, chromium, open_browser, site  # noqa: F401  (fixtures)
from tests.browser.test_journey_band import assert_clean, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def offered(site):  # noqa: F811
    berlin = find_city("Berlin", "DE").geoname_id
    promoter = UserFactory(email="pia.promoter@example.org", name="Pia Promoter")
    ws = accounts.workspace_create(actor=promoter, kind=WorkspaceKind.PROMOTER, name="Night Shift", geoname_id=berlin)
    venue = venue_create(actor=promoter, workspace_id=ws.pk, name="Crypt Club", capacity=300, geoname_id=berlin)
    singer = UserFactory(email="sol.singer@example.org", name="Sol Singer")
    act = act_create(actor=singer, name="The Night Owls", geoname_id=berlin)
    show = (dt.datetime.now(BERLIN) + dt.timedelta(days=21)).replace(hour=20, minute=0, second=0, microsecond=0)
    booking = bookings.inquiry_create(actor=promoter, workspace_id=ws.pk, title="Night Owls at the Crypt", act_id=act.pk,
                                      venue_id=venue.pk)
    bookings.hold_place(actor=promoter, booking_id=booking.pk, starts_at=show, ends_at=show + dt.timedelta(hours=2))
    bookings.offer_make(actor=promoter, booking_id=booking.pk, deal_type="guarantee", guarantee="500")
    return singer, act, booking


def test_the_act_is_told_opens_the_offer_and_chooses_email(open_browser, offered):  # noqa: F811
    singer, act, booking = offered
    assert Notification.objects.filter(user=singer).count() == 2  # the hold and the offer, after their commits
    sol = open_browser()
    log_in(sol, singer.email, PASSWORD)
    page = sol.page
    page.goto(f"/w/{act.workspace.slug}/")
    expect(page.get_by_test_id("notification-count")).to_have_text("2")
    sol.shot("bell")

    page.get_by_test_id("notification-bell").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_test_id("notification")).to_have_count(2)
    sol.shot("notifications")
    page.get_by_label("Type").select_option("offer")
    expect(page.get_by_test_id("notification")).to_have_count(1)
    page.get_by_role("button", name=re.compile(r"^Night Shift made an offer for The Night Owls on ")).click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Offer out")
    assert page.url.endswith(f"/w/{act.workspace.slug}/bookings/{booking.pk}/")
    expect(page.get_by_test_id("notification-count")).to_have_text("1")

    page.goto("/notifications/")
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    expect(page.locator("[data-unread]")).to_have_count(0)
    first = page.get_by_test_id("notification").first
    first.get_by_role("button", name="Delete").click()
    expect(page.get_by_test_id("notification")).to_have_count(1)
    sol.shot("read-and-deleted")

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Offers, counter-offers and quotes").select_option("email")
    sol.shot("settings")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    assert NotificationPreference.objects.get(user=singer, type="offer").channel == "email"
    assert_clean(sol)

    phone = open_browser(PHONE)
    log_in(phone, singer.email, PASSWORD)
    phone.page.goto("/notifications/")
    phone.shot("phone")
    assert_clean(phone)
