"""An agency coordinator edits a date-only inquiry and confirms it, in a real Chromium (issue 12, item 4).
The inquiry asks for a date but no times; confirming is impossible until the show has them, so the page
says so and links to the Edit form. The coordinator sets the date and times, quotes a package (its price
fills the quote), confirms through the dialog that says what will happen, and sees the show confirmed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Status
from backline.core.models import AuditEntry
from backline.core.places import find_city
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def agency(site):
    owner = UserFactory(email="clara.owner@example.org", name="Clara Owner")
    ws = accounts.workspace_create(actor=owner, kind=WorkspaceKind.AGENCY, name="Silver Lining",
                                   geoname_id=find_city("London", "GB").geoname_id, currency="GBP")
    coordinator = UserFactory(email="owen.coordinator@example.org", name="Owen Coordinator")
    invitation = accounts.invitation_create(actor=owner, workspace_id=ws.pk, email=coordinator.email,
                                            role=Role.COORDINATOR)
    accounts.invitation_accept(user=coordinator, token=invitation.token)
    agency_services.package_create(actor=owner, workspace_id=ws.pk, name="Jazz duo, drinks reception",
                                   duration_minutes=120, price="750", currency="GBP")
    day = dt.datetime.now(LONDON).date() + dt.timedelta(days=70)
    inquiry = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Product launch drinks",
                                      source="referral", date_from=day, budget="800", currency="GBP")
    return ws, coordinator, inquiry, day


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_an_agency_coordinator_sets_a_date_only_inquirys_times_then_quotes_and_confirms(open_browser, agency, viewport):
    ws, coordinator, inquiry, day = agency
    owen = open_browser(viewport) if viewport else open_browser()
    log_in(owen, coordinator.email, PASSWORD)
    page = owen.page
    page.goto(f"/w/{ws.slug}/bookings/{inquiry.pk}/")
    expect(page.get_by_test_id("booking-status")).to_have_text("Inquiry")

    # A quote for a package: choosing it puts its price in the price field (the server fills it in).
    quote = page.get_by_test_id("offer-form")
    expect(quote.get_by_label("Ticket price")).to_have_count(0)  # a flat quote asks nothing about tickets
    quote.get_by_label("Package").select_option(label="Jazz duo, drinks reception · £750")
    expect(page.get_by_test_id("offer-form").get_by_label("Price")).to_have_value("750.00")
    expect(page.get_by_test_id("offer-summary")).to_contain_text("The client pays £750 for the show.")
    owen.shot("quote")
    page.get_by_test_id("offer-form").get_by_role("button", name="Send quote").click()
    expect(page.get_by_test_id("current-deal")).to_contain_text("£750")

    # The client says yes, but the show has no times yet: the page says so and links to the Edit form.
    expect(page.get_by_test_id("needs-times")).to_contain_text("needs its date and times")
    expect(page.get_by_test_id("accept-offer")).to_have_count(0)
    owen.shot("needs-times")
    page.get_by_test_id("set-times").click()
    form = page.get_by_test_id("edit-form")
    expect(form.get_by_label("Date", exact=True)).to_have_value(day.isoformat())
    form.get_by_label("Starts").fill("18:30")
    form.get_by_label("Ends").fill("20:30")
    form.get_by_label("Location").fill("Porter Tech HQ, Manchester")
    width = form.get_by_label("Starts").bounding_box()["width"]
    assert width >= 90, f"the time field is {width}px wide: too narrow to read 18:30"
    owen.shot("edit")
    form.get_by_role("button", name="Save changes").click()
    expect(page.locator("#messages")).to_contain_text("Saved.")
    expect(page.get_by_test_id("booking-status")).to_have_text("Quote sent")

    # Confirming asks first and says what will happen.
    page.get_by_test_id("accept-offer").click()
    modal = page.get_by_test_id("confirm-modal")
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("18:30–20:30")
    expect(modal).to_contain_text("at Porter Tech HQ, Manchester")
    expect(modal).to_contain_text("becomes the contract")
    owen.shot("confirm-dialog")
    page.get_by_test_id("confirm-deal").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Confirmed")
    owen.shot("confirmed")

    booking = Booking.objects.get(pk=inquiry.pk)
    start = dt.datetime.combine(day, dt.time(18, 30), tzinfo=LONDON)
    assert (booking.status, booking.starts_at, booking.ends_at) == (Status.CONFIRMED, start, start + dt.timedelta(hours=2))
    edit = AuditEntry.objects.get(action="booking.updated", object_id=str(booking.pk))
    assert edit.actor == coordinator and edit.before["starts_at"] is None
    assert_clean(owen)
