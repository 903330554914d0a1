"""Booking a show in a real Chromium. A promoter logs an inquiry, holds the date and makes an offer;
the act counters; the promoter accepts; both see the show in their booking calendars and the day sheet
downloads. Then an agency coordinator quotes, assigns two performers (one refused: booked elsewhere)
and converts the inquiry into a confirmed booking."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import act_create, performer_create
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Status
from backline.core.places import find_city
from backline.scheduling.models import Commitment
from backline.venues.services import venue_create
from tests.factories import PASSWORD, UserFactory

from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")


def local(value: dt.datetime) -> str:
    return value.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def parties(site):
    berlin = find_city("Berlin", "DE").geoname_id
    promoter = UserFactory(email="pia.promoter@example.org", name="Pia Promoter")
    ws = accounts.workspace_create(actor=promoter, kind=WorkspaceKind.PROMOTER, name="Night Shift", geoname_id=berlin)
    venue = venue_create(actor=promoter, workspace_id=ws.pk, name="Crypt Club", capacity=300, geoname_id=berlin)
    singer = UserFactory(email="sol.singer@example.org", name="Sol Singer")
    act = act_create(actor=singer, name="The Night Owls", geoname_id=berlin)
    return promoter, ws, venue, singer, act


def test_a_promoter_and_an_act_negotiate_a_show_to_confirmation(open_browser, site, parties):
    promoter, ws, venue, singer, act = parties
    show = (dt.datetime.now(BERLIN) + dt.timedelta(days=21)).replace(hour=20, minute=0, second=0, microsecond=0)

    pia = open_browser()
    log_in(pia, promoter.email, PASSWORD)
    page = pia.page
    page.goto(f"/w/{ws.slug}/bookings/")
    page.get_by_role("link", name="Inquiry").click()
    page.get_by_label("Title").fill("Night Owls at the Crypt")
    page.get_by_label("Act wanted").select_option(label="The Night Owls")
    page.get_by_label("Venue").select_option(label="Crypt Club, Berlin")
    page.get_by_label("Budget").fill("600")
    pia.shot("inquiry")
    page.get_by_role("button", name="Log inquiry").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Inquiry")

    hold = page.get_by_test_id("hold-form")
    hold.get_by_label("Show starts").fill(local(show))
    hold.get_by_label("Show ends").fill(local(show + dt.timedelta(hours=2)))
    hold.get_by_role("button", name="Place hold").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Hold")
    expect(page.get_by_test_id("hold-rank")).to_have_text("1st hold")

    offer = page.get_by_test_id("offer-form")
    expect(offer.get_by_label("Deal type")).to_have_value("guarantee")  # a venue's first offer: a guarantee
    offer.get_by_label("Guarantee").fill("500")
    offer.get_by_label("Deposit %").fill("50")
    pia.shot("offer")
    offer.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Offer out")
    expect(page.get_by_test_id("current-deal")).to_have_text("€500 guarantee, 50% deposit")
    booking = Booking.objects.get(title="Night Owls at the Crypt")

    # The act sees the offer and counters with a versus deal.
    sol = open_browser()
    log_in(sol, singer.email, PASSWORD)
    act_page = sol.page
    act_page.goto(f"/w/{act.workspace.slug}/bookings/")
    act_page.get_by_test_id("booking-card").filter(has_text="Night Owls at the Crypt").click()
    expect(act_page.get_by_test_id("current-deal")).to_have_text("€500 guarantee, 50% deposit")
    act_page.get_by_text("Counter-offer").click()
    counter = act_page.get_by_test_id("offer-form")
    counter.get_by_label("Deal type").select_option("versus")
    expect(counter.get_by_label("Act's percentage")).to_be_visible()  # the form now asks what a versus deal needs
    counter.get_by_label("Guarantee").fill("500")
    counter.get_by_label("Act's percentage").fill("70")
    counter.get_by_label("Agreed expenses").fill("200")
    counter.get_by_label("Deposit %").fill("50")
    counter.get_by_role("button", name="Send").click()
    expect(act_page.get_by_test_id("offer-versions")).to_contain_text("€500 vs 70% of net after €200 expenses")
    sol.shot("counter-offer")

    # The promoter accepts the counter-offer: confirmed, with a contract and a day sheet.
    page.reload()
    expect(page.get_by_test_id("offer-versions")).to_contain_text("Versus deal")
    page.get_by_test_id("accept-offer").click()
    expect(page.get_by_test_id("confirm-modal")).to_contain_text("becomes the contract")
    page.get_by_test_id("confirm-deal").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Confirmed")
    pia.shot("confirmed")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert Commitment.objects.filter(source_type="booking", source_id=booking.pk, user=singer, status="confirmed").exists()
    sheet = page.request.get(page.get_by_test_id("day-sheet-link").get_attribute("href"))
    assert sheet.status == 200 and sheet.headers["content-type"] == "application/pdf" and sheet.body()[:5] == b"%PDF-"

    # Both see the show in their booking calendars.
    for b, slug in ((pia, ws.slug), (sol, act.workspace.slug)):
        b.page.goto(f"/w/{slug}/bookings/calendar/")
        if show.month != dt.datetime.now(BERLIN).month:
            b.page.locator(".fc-next-button").click()
        expect(b.page.locator(".bl-stage-confirmed", has_text="Night Owls at the Crypt").first).to_be_visible()
        b.shot("calendar")
    assert_clean(pia)
    assert_clean(sol)


@pytest.fixture
def agency(site):
    london = find_city("London", "GB").geoname_id
    owner = UserFactory(email="clara.owner@example.org", name="Clara Owner")
    ws = accounts.workspace_create(actor=owner, kind=WorkspaceKind.AGENCY, name="Silver Lining", geoname_id=london,
                                   currency="GBP")
    coordinator = UserFactory(email="owen.coordinator@example.org", name="Owen Coordinator")
    invitation = accounts.invitation_create(actor=owner, workspace_id=ws.pk, email=coordinator.email,
                                            role=Role.COORDINATOR)
    accounts.invitation_accept(user=coordinator, token=invitation.token)
    ana = performer_create(actor=owner, workspace_id=ws.pk, name="Ana Sax")
    ben = performer_create(actor=owner, workspace_id=ws.pk, name="Ben Keys")
    day = (dt.datetime.now(ZoneInfo("Europe/London")) + dt.timedelta(days=30)).replace(hour=18, minute=0, second=0,
                                                                                        microsecond=0)
    # Ben already plays a corporate party that evening.
    party = services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Corporate party", starts_at=day,
                                    ends_at=day + dt.timedelta(hours=4), currency="GBP")
    agency_services.performer_assign(actor=owner, booking_id=party.pk, performer_id=ben.pk, payout="300")
    services.offer_make(actor=owner, booking_id=party.pk, deal_type="flat", guarantee="2000", currency="GBP")
    agency_services.inquiry_convert(actor=owner, booking_id=party.pk)
    return ws, coordinator, ana, ben, day, party


def test_an_agency_coordinator_converts_an_inquiry_and_a_conflict_is_refused(open_browser, site, agency):
    ws, coordinator, ana, ben, day, party = agency
    owen = open_browser()
    log_in(owen, coordinator.email, PASSWORD)
    page = owen.page
    page.goto(f"/w/{ws.slug}/bookings/new/")
    page.get_by_label("Title").fill("Jones wedding")
    page.get_by_label("Show starts").fill(day.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Show ends").fill((day + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Location").fill("Hope Mill, Manchester")
    page.locator("#id_currency + .ts-wrapper .ts-control").click(position={"x": 8, "y": 8})  # the ISO list (tom-select)
    page.keyboard.type("GBP", delay=30)
    page.locator("#id_currency-ts-dropdown [data-value=GBP]").click()
    page.get_by_role("button", name="Log inquiry").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Inquiry")

    quote = page.get_by_test_id("offer-form")
    expect(quote.get_by_label("Deal type")).to_have_count(0)  # an agency quotes a flat price: nothing to choose
    quote.get_by_label("Price").fill("1500")
    quote.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("current-deal")).to_contain_text("£1,500")

    assignments = page.get_by_test_id("assignments")
    assignments.get_by_label("Performer").select_option(label="Ana Sax")
    assignments.get_by_label("Payout").fill("400")
    assignments.get_by_role("button", name="Assign").click()
    expect(page.get_by_test_id("assignments")).to_contain_text("Ana Sax")
    assignments = page.get_by_test_id("assignments")
    assignments.get_by_label("Performer").select_option(label="Ben Keys")
    assignments.get_by_label("Payout").fill("400")
    assignments.get_by_role("button", name="Assign").click()
    # Refused beside the performer (the form answers 422 and keeps what was typed).
    expect(page.get_by_test_id("assignments")).to_contain_text(f"Ben Keys is already booked for {party.reference}")
    expect(page.get_by_test_id("assignments")).not_to_contain_text("Ben Keys ·")
    owen.shot("conflict-refused")
    refused = [r for r in owen.failed_responses if r.startswith("422 ") and r.endswith("/performers/")]
    assert len(refused) == 1
    owen.failed_responses = [r for r in owen.failed_responses if r not in refused]
    owen.console_errors = [e for e in owen.console_errors if "status of 422" not in e or "/performers/" not in e]

    page.get_by_test_id("accept-offer").click()
    page.get_by_test_id("confirm-deal").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("Confirmed")
    owen.shot("converted")
    wedding = Booking.objects.get(title="Jones wedding")
    assert wedding.status == Status.CONFIRMED
    assert [a.performer.name for a in wedding.assignments.all()] == ["Ana Sax"]
    assert_clean(owen)
