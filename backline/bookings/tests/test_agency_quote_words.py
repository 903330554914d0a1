"""An agency's quote to its client speaks the agency's language: its history says who quoted whom ("sent a
quote to Mia Jones", "From: Silver Lining"), its amount is a fee, its page names the client and the agency
(not a buyer), and confirming says what really happens to the contract (the client is not on Backline).
A venue's offer to an act keeps the words of a venue's offer."""

import io
from decimal import Decimal

from pypdf import PdfReader

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import deals, services
from backline.bookings.forms import OfferForm
from backline.bookings.models import Booking
from backline.core import history
from backline.core.models import AuditEntry
from tests.pages import url

from .test_services import GUARANTEE, held


def _described(booking, action):
    entry = AuditEntry.objects.select_related("actor").filter(object_id=str(booking.pk), action=action).latest("at")
    return history.describe([entry])[0]


# --- the deal in words ------------------------------------------------------------------------------

def test_a_quotes_guaranteed_amount_is_its_fee_and_a_venues_deal_keeps_its_guarantee():
    deal = deals.Deal(currency="GBP", deal_type=deals.DealType.GUARANTEE, guarantee=Decimal(500),
                      deposit_percent=Decimal(25))
    assert deals.summary(deal, quote=True) == "£500 fee, 25% deposit"
    assert deals.summary(deal) == "£500 guarantee, 25% deposit"
    assert deals.explain(deal, quote=True)[0] == "The client pays £500 for the show."
    assert deals.explain(deal)[0] == "The act is paid £500, however many tickets sell."
    flat = deals.Deal(currency="GBP", deal_type=deals.DealType.FLAT, guarantee=Decimal(3400))
    empty = deals.Deal(currency="GBP", deal_type=deals.DealType.FLAT)
    assert deals.summary(flat, quote=True) == "£3,400 flat fee"
    assert ("Fee", "—", "£3,400") in deals.changes(empty, flat, quote=True)
    assert ("Guarantee", "—", "£3,400") in deals.changes(empty, flat)  # a venue's or act's deal: unchanged


def test_an_agencys_quote_form_asks_for_the_fee_and_a_venues_offer_form_for_the_guarantee():
    assert OfferForm(initial={"deal_type": "guarantee"}, quote=True).fields["guarantee"].label == "Fee"
    assert OfferForm(initial={"deal_type": "guarantee"}).fields["guarantee"].label == "Guarantee"
    assert OfferForm(initial={"deal_type": "flat"}, quote=True).fields["guarantee"].label == "Price"


# --- the history ------------------------------------------------------------------------------------

def test_the_history_says_the_agency_sent_a_quote_to_its_client_from_the_agency(quoted):
    ws, people, booking = quoted
    coordinator = people[Role.COORDINATOR]
    first = _described(booking, "booking.offer_made")
    assert first.sentence == f"{coordinator.display_name} sent a quote to Mia Jones for Wedding"
    changes = {c.label: c.after for c in first.changes}
    assert changes["From"] == ws.name and "The buyer" not in changes.values()
    assert changes["Deal"] == "€1,500 flat fee, 30% deposit"
    assert changes["Quote version"] == "1" and "Offer version" not in changes
    services.offer_make(actor=coordinator, booking_id=booking.pk, deal_type="guarantee", guarantee="1400")
    revised = _described(booking, "booking.counter_offer_made")
    assert revised.sentence == f"{coordinator.display_name} sent a revised quote to Mia Jones for Wedding"
    assert {c.label: c.after for c in revised.changes}["Deal"] == "€1,400 fee"
    services.offer_accept(actor=coordinator, booking_id=booking.pk)
    confirmed = _described(booking, "booking.confirmed")
    assert confirmed.sentence == f"{coordinator.display_name} confirmed Wedding: Mia Jones accepted the quote"
    assert {c.label: c.after for c in confirmed.changes}["Accepted quote version"] == "2"


def test_a_venues_offer_still_reads_as_an_offer_from_the_buyer(world):
    owner = world["buyer"][Role.OWNER]
    booking = held(world)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    described = _described(booking, "booking.offer_made")
    assert described.sentence == f"{owner.display_name} sent an offer for Friday club night"
    changes = {c.label: c.after for c in described.changes}
    assert changes["From"] == "The buyer" and changes["Deal"].startswith("€500 guarantee")


# --- the booking page -------------------------------------------------------------------------------

def test_the_quote_page_names_the_client_and_the_agency_and_the_fee(quoted, login_client):
    ws, people, booking = quoted
    page = login_client(people[Role.COORDINATOR]).get(url(ws, f"bookings/{booking.pk}/")).content.decode()
    assert 'data-testid="quote-client"' in page and "Mia Jones" in page.split('data-testid="quote-client"')[1][:200]
    assert ws.name in page.split('data-testid="quote-agency"')[1][:200]
    assert ">Buyer<" not in page
    versions = page.split('data-testid="offer-versions"')[1].split("</table>")[0]
    assert ">Fee<" in versions and "Guarantee" not in versions
    assert "Quote sent" in page.split('data-testid="timeline"')[1]
    words = page.split('data-testid="contract-words"')[1].split("</li>")[0]
    assert "download it from this page and send it to them" in words and "Mia Jones is not on Backline" in words
    assert "both sides can download" not in page
    assert ">The client said no<" in page and ">Decline the offer<" not in page


def test_a_venues_offer_page_keeps_the_buyer_and_the_guarantee(world, login_client):
    owner = world["buyer"][Role.OWNER]
    booking = held(world)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    page = login_client(world["band"][Role.OWNER]).get(url(world["act_ws"], f"bookings/{booking.pk}/")).content.decode()
    assert ">Buyer<" in page and 'data-testid="quote-client"' not in page
    assert ">Guarantee<" in page.split('data-testid="offer-versions"')[1]
    assert "both sides can download" in page


def test_the_agency_records_the_clients_no_from_the_page(quoted, login_client):
    ws, people, booking = quoted
    client = login_client(people[Role.COORDINATOR])
    response = client.post(url(ws, f"bookings/{booking.pk}/decline/"), {"reason": "The client chose a DJ"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == "declined"


def test_the_contract_of_a_quote_is_between_the_agency_and_the_client(quoted, login_client):
    ws, people, booking = quoted
    response = login_client(people[Role.COORDINATOR]).get(url(ws, f"bookings/{booking.pk}/contract.pdf"))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "version 1 of the quote" in text and "For the agency" in text and "For the client" in text
    assert "Buyer" not in text and "For the artist" not in text


def test_agency_quote_kind_is_only_an_agencys_booking_without_an_act(quoted, world):
    _, _, booking = quoted
    assert services.is_agency_quote(booking) and booking.workspace.kind == WorkspaceKind.AGENCY
    assert not services.is_agency_quote(held(world))


def test_a_quote_is_a_price_with_no_second_name_for_a_fixed_fee(quoted, login_client):
    ws, people, booking = quoted
    page = login_client(people[Role.COORDINATOR]).get(url(ws, f"bookings/{booking.pk}/offer/form/")).content.decode()
    form = page.split('data-testid="offer-form"')[1].split("</form>")[0]
    assert "Guarantee: a fixed fee" not in form and "Versus" not in form
    assert '<input type="hidden" name="deal_type" value="flat"' in form
    assert ">Price" in form and ">Deposit %" in form


def test_a_quote_out_reads_quote_sent_and_its_yes_is_the_clients(quoted, login_client):
    ws, people, booking = quoted
    client = login_client(people[Role.COORDINATOR])
    page = client.get(url(ws, f"bookings/{booking.pk}/")).content.decode()
    assert page.split('data-testid="booking-status">')[1].startswith("Quote sent<")
    accept = page.split('data-testid="accept-offer">')[1].split("</button>")[0]
    assert "The client said yes: confirm" in accept and "Accept" not in accept
    heading = page.split('id="confirm-deal-title">')[1].split("</h2>")[0]
    assert heading.startswith("Mia Jones said yes: confirm")
    listed = client.get(url(ws, "bookings/list/")).content.decode()
    assert 'data-status="offer" data-testid="status-badge">Quote sent<' in listed
    assert Booking.objects.get(pk=booking.pk).status == "offer"  # the stored stage is the same as any offer's


def test_a_venues_offer_out_still_reads_offer_out(world, login_client):
    owner = world["buyer"][Role.OWNER]
    booking = held(world)
    services.offer_make(actor=owner, booking_id=booking.pk, **GUARANTEE)
    page = login_client(world["band"][Role.OWNER]).get(url(world["act_ws"], f"bookings/{booking.pk}/")).content.decode()
    assert page.split('data-testid="booking-status">')[1].startswith("Offer out<")
    assert "The client said yes" not in page


def test_a_guarantee_sent_for_a_quote_is_taken_as_its_flat_price(agency, login_client):
    """A page opened before the change (or a script) still posts "guarantee": a quote has one name for a
    fixed fee, so it is sent as the flat price."""
    from .test_services import agency_booking

    ws, people = agency
    booking, _ = agency_booking(ws, people)
    response = login_client(people[Role.COORDINATOR]).post(url(ws, f"bookings/{booking.pk}/offer/"),
                                                           {"deal_type": "guarantee", "guarantee": "900"})
    assert response.status_code == 302
    offer = Booking.objects.get(pk=booking.pk).offers.get()
    assert (offer.deal_type, offer.guarantee) == ("flat", Decimal("900"))
