"""Lists in a real Chromium: on a phone the bookings list is cards that show every field without
scrolling sideways, and the status filter is a searchable multi-select; on a laptop the column headers
sort it. A performer opens their gig from the dashboard; a coordinator sees who is free."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import performer_create, performer_link_user
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.core.places import find_city
from tests.factories import PASSWORD, UserFactory

from .conftest import DESKTOP, PHONE
from .test_journey_band import assert_clean, log_in
from .test_journey_booking import parties  # noqa: F401 (a fixture this module builds on)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def promoter(request):
    """The booking journey's promoter with three offers out to its act and an undated inquiry."""
    pia, ws, venue, _, act = request.getfixturevalue("parties")
    for days, fee in ((30, "900"), (10, "500"), (20, "1200")):
        start = (dt.datetime.now(BERLIN) + dt.timedelta(days=days)).replace(hour=20, minute=0, second=0, microsecond=0)
        b = services.inquiry_create(actor=pia, workspace_id=ws.pk, title=f"Owls night {fee}", act_id=act.pk,
                                    venue_id=venue.pk)
        services.hold_place(actor=pia, booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        services.offer_make(actor=pia, booking_id=b.pk, deal_type="versus", guarantee=fee, percent="70")
    services.inquiry_create(actor=pia, workspace_id=ws.pk, title="Just asking", budget="400")
    return pia, ws


def _open(open_browser, viewport, user, path):
    b = open_browser(viewport)
    log_in(b, user.email, PASSWORD)
    b.page.goto(path)
    return b, b.page


def _looks_right(b, name: str) -> None:
    """Nothing scrolls sideways, no request or script failed; a screenshot to look at."""
    assert b.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    b.shot(name)
    assert_clean(b)


def test_the_bookings_list_is_cards_on_a_phone_and_sorts_by_its_headers_on_a_laptop(open_browser, promoter):
    pia, ws = promoter
    phone, page = _open(open_browser, PHONE, pia, f"/w/{ws.slug}/bookings/list/")
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
    phone.shot("list-cards")
    page.locator("#f-status + .ts-wrapper .ts-control").click()  # tom-select, not a clipped native box
    page.keyboard.type("Offer")
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)  # typing finds a stage
    page.locator(".ts-dropdown .option", has_text="Offer out").click()
    expect(page.locator(".ts-dropdown")).to_be_visible()  # a multi-select stays open for the next pick
    phone.shot("status-filter-chosen")
    page.wait_for_timeout(400)  # tom-select's search refresh (300 ms after the last key) has run
    page.keyboard.press("Escape")
    expect(page.locator(".ts-dropdown")).to_be_hidden()  # closed on Escape: the form's button is free
    sort = page.get_by_label("Sort by")  # the Sort select is wide enough for its longest choice
    assert sort.evaluate("el => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().width >= 300")
    page.get_by_label("Sort by").select_option("-fee")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("booking-row")).to_have_count(3)
    expect(page.get_by_test_id("booking-row").first.get_by_test_id("fee")).to_have_text("€1,200 vs 70% of net")
    expect(page.get_by_test_id("totals")).to_contain_text("€2,600")
    _looks_right(phone, "filtered")

    laptop, page = _open(open_browser, DESKTOP, pia, f"/w/{ws.slug}/bookings/list/")
    expect(page.locator("table[data-testid=booking-list] thead")).to_be_visible()
    page.locator("th a[data-sort=fee]").click()
    expect(page.locator("th:has(a[data-sort=fee])")).to_have_attribute("aria-sort", "ascending")
    page.locator("th a[data-sort=fee]").click()
    expect(page.locator("th:has(a[data-sort=fee])")).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_test_id("booking-row").first.get_by_test_id("fee")).to_have_text("€1,200 vs 70% of net")
    _looks_right(laptop, "list-table")


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

    b, page = _open(open_browser, PHONE, rosa, f"/w/{ws.slug}/")
    page.get_by_test_id("gig").get_by_role("link", name="Winter gala").click()
    expect(page.get_by_test_id("gig-payout")).to_contain_text("€380")
    expect(page.get_by_test_id("gig-calls")).to_contain_text("17:00")
    expect(page.get_by_test_id("gig-directions")).to_have_attribute("href", "https://www.google.com/maps/dir/?api=1&destination=Hotel+Adlon%2C+Berlin")
    # The place follows the time closely, with no empty gap or divider between them.
    when_where = page.get_by_test_id("gig-when-where")
    expect(when_where.locator("hr")).to_have_count(0)
    gap = page.get_by_test_id("gig-address").bounding_box()["y"] - (
        lambda box: box["y"] + box["height"])(page.get_by_test_id("gig-when").bounding_box())
    assert gap <= 24, f"{gap} px between the time and the place"
    _looks_right(b, "gig")

    c, page = _open(open_browser, PHONE, owner, f"/w/{ws.slug}/whos-free/?date={start.date().isoformat()}")
    rosa_row = page.locator('[data-testid="performer"]', has_text="Rosa Moreau")
    expect(rosa_row.get_by_test_id("status")).to_have_text("Booked")
    expect(rosa_row).to_contain_text("Booked for Winter gala")
    expect(page.locator('[data-testid="performer"]', has_text="Sam Walsh").get_by_test_id("status")).to_have_text(
        "No calendar linked")
    page.get_by_test_id("shows").get_by_role("link").first.click()
    expect(page.locator('[data-testid="performer"]', has_text="Rosa Moreau").get_by_test_id("status")).to_have_text(
        "On this show")
    sam = page.locator('[data-testid="performer"]', has_text="Sam Walsh")
    sam.get_by_role("button", name="Assign").click()  # no payout yet: said beside the field, nobody assigned
    expect(page.locator('[data-testid="performer"]', has_text="Sam Walsh").get_by_test_id("payout-error")).to_be_visible()
    _looks_right(c, "whos-free-staffing")
