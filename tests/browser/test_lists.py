"""Lists in a real Chromium: on a phone the bookings list is cards that show every field without
scrolling sideways, and the status filter is a searchable multi-select; on a laptop the column headers
sort it. A performer opens their gig from the dashboard; a coordinator sees who is free."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import act_create, performer_create, performer_link_user
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.core.places import find_city
from backline.venues.services import venue_create
from tests.factories import PASSWORD, UserFactory

from .conftest import DESKTOP, PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def promoter(site):
    berlin = find_city("Berlin", "DE").geoname_id
    pia = UserFactory(email="pia.promoter@example.org", name="Pia Promoter")
    ws = accounts.workspace_create(actor=pia, kind=WorkspaceKind.PROMOTER, name="Night Shift", geoname_id=berlin)
    venue = venue_create(actor=pia, workspace_id=ws.pk, name="Crypt Club", capacity=300, geoname_id=berlin)
    act = act_create(actor=UserFactory(), name="The Night Owls With A Long Name", geoname_id=berlin)
    for days, fee in ((30, "900"), (10, "500"), (20, "1200")):
        start = (dt.datetime.now(BERLIN) + dt.timedelta(days=days)).replace(hour=20, minute=0, second=0, microsecond=0)
        b = services.inquiry_create(actor=pia, workspace_id=ws.pk, title=f"Owls night {fee}", act_id=act.pk,
                                    venue_id=venue.pk)
        services.hold_place(actor=pia, booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        services.offer_make(actor=pia, booking_id=b.pk, deal_type="versus", guarantee=fee, percent="70")
    services.inquiry_create(actor=pia, workspace_id=ws.pk, title="Just asking", budget="400")
    return pia, ws


def test_the_bookings_list_is_cards_on_a_phone_and_sorts_by_its_headers_on_a_laptop(open_browser, promoter):
    pia, ws = promoter
    phone = open_browser(PHONE)
    log_in(phone, pia.email, PASSWORD)
    page = phone.page
    page.goto(f"/w/{ws.slug}/bookings/list/")
    expect(page.locator("table[data-testid=booking-list] thead")).to_be_hidden()
    rows = page.get_by_test_id("booking-row")
    expect(rows).to_have_count(4)
    first = rows.first
    for label in ("When", "Act / client", "Venue", "Status", "Fee"):
        cell = first.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
    expect(first.get_by_test_id("fee")).to_have_text("€500 vs 70% of net")
    _no_sideways_scroll(page)
    phone.shot("list-cards")
    page.locator("#f-status + .ts-wrapper .ts-control").click()  # tom-select, not a clipped native box
    page.keyboard.type("Offer")
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)  # typing finds a stage
    page.locator(".ts-dropdown .option", has_text="Offer out").click()
    expect(page.locator(".ts-dropdown")).to_be_hidden()  # closed after the pick: the form's button is free
    phone.shot("status-filter-chosen")
    page.get_by_label("Sort by").select_option("-fee")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("booking-row")).to_have_count(3)
    expect(page.get_by_test_id("booking-row").first.get_by_test_id("fee")).to_have_text("€1,200 vs 70% of net")
    expect(page.get_by_test_id("totals")).to_contain_text("€2,600")
    _no_sideways_scroll(page)
    phone.shot("filtered")
    assert_clean(phone)

    laptop = open_browser(DESKTOP)
    log_in(laptop, pia.email, PASSWORD)
    page = laptop.page
    page.goto(f"/w/{ws.slug}/bookings/list/")
    expect(page.locator("table[data-testid=booking-list] thead")).to_be_visible()
    page.locator("th a[data-sort=fee]").click()
    expect(page.locator("th:has(a[data-sort=fee])")).to_have_attribute("aria-sort", "ascending")
    page.locator("th a[data-sort=fee]").click()
    expect(page.locator("th:has(a[data-sort=fee])")).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_test_id("booking-row").first.get_by_test_id("fee")).to_have_text("€1,200 vs 70% of net")
    laptop.shot("list-table")
    assert_clean(laptop)


def test_a_performer_opens_a_gig_and_a_coordinator_sees_who_is_free(open_browser, site):
    berlin = find_city("Berlin", "DE").geoname_id
    owner = UserFactory(email="olga.owner@example.org", name="Olga Owner")
    ws = accounts.workspace_create(actor=owner, kind=WorkspaceKind.AGENCY, name="Silver Lining", geoname_id=berlin)
    rosa = UserFactory(email="rosa@example.org", name="Rosa Moreau")
    invitation = accounts.invitation_create(actor=owner, workspace_id=ws.pk, email=rosa.email, role=Role.PERFORMER)
    accounts.invitation_accept(user=rosa, token=invitation.token)
    performer = performer_create(actor=owner, workspace_id=ws.pk, name="Rosa Moreau")
    performer_link_user(actor=owner, performer_id=performer.pk, user_id=rosa.pk)
    performer_create(actor=owner, workspace_id=ws.pk, name="Sam Walsh")
    start = (dt.datetime.now(BERLIN) + dt.timedelta(days=12)).replace(hour=19, minute=0, second=0, microsecond=0)
    gala = services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Winter gala", location="Hotel Adlon, Berlin",
                                   starts_at=start, ends_at=start + dt.timedelta(hours=3))
    agency_services.performer_assign(actor=owner, booking_id=gala.pk, performer_id=performer.pk, payout="380")
    services.offer_make(actor=owner, booking_id=gala.pk, deal_type="flat", guarantee="2000", load_in=dt.time(17))
    agency_services.inquiry_convert(actor=owner, booking_id=gala.pk)

    b = open_browser(PHONE)
    log_in(b, rosa.email, PASSWORD)
    page = b.page
    page.goto(f"/w/{ws.slug}/")
    page.get_by_test_id("gig").get_by_role("link", name="Winter gala").click()
    expect(page.get_by_test_id("gig-payout")).to_contain_text("€380")
    expect(page.get_by_test_id("gig-calls")).to_contain_text("17:00")
    expect(page.get_by_test_id("gig-directions")).to_have_attribute("href", "https://www.google.com/maps/dir/?api=1&destination=Hotel+Adlon%2C+Berlin")
    _no_sideways_scroll(page)
    b.shot("gig")
    assert_clean(b)

    c = open_browser(PHONE)
    log_in(c, owner.email, PASSWORD)
    page = c.page
    page.goto(f"/w/{ws.slug}/whos-free/?date={start.date().isoformat()}")
    expect(page.get_by_test_id("group-busy")).to_contain_text("Booked: Winter gala")
    expect(page.get_by_test_id("group-unknown")).to_contain_text("Sam Walsh")
    page.get_by_test_id("shows").get_by_role("link").first.click()
    expect(page.get_by_test_id("group-assigned")).to_contain_text("Rosa Moreau")
    _no_sideways_scroll(page)
    c.shot("whos-free-staffing")
    assert_clean(c)
