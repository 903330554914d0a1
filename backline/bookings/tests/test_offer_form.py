"""The offer form on the booking page: only the fields the chosen deal type uses (``deals.TERMS``), the deal
in words as it is typed (htmx, server-rendered), errors beside their field in sentences, a package's price
filling the quote, and confirming through a dialog that says what will happen."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import deals, services
from backline.bookings.agency import services as agency_services
from backline.bookings.forms import OfferForm
from backline.bookings.models import Offer, Status
from backline.venues.models import Venue

TICKETED = {"ticket_price", "capacity", "bonus_tickets", "bonus_amount", "radius_km", "radius_days"}


@pytest.mark.parametrize("deal_type, shown, hidden", [
    ("guarantee", {"guarantee", "deposit_percent", "deposit_due", "doors", *TICKETED}, {"percent", "basis", "expenses"}),
    ("versus", {"guarantee", "percent", "basis", "expenses", "deposit_percent", *TICKETED}, set()),
    ("door", {"percent", "expenses", *TICKETED}, {"guarantee", "basis", "deposit_percent", "deposit_due"}),
    ("flat", {"guarantee", "deposit_percent", "deposit_due", "load_in", "curfew"},
     {"percent", "basis", "expenses", "doors", *TICKETED}),
])
def test_the_form_shows_only_the_fields_its_deal_type_uses(deal_type, shown, hidden):
    form = OfferForm(initial={"deal_type": deal_type})
    assert shown <= set(form.fields), shown - set(form.fields)
    assert not hidden & set(form.fields), hidden & set(form.fields)
    for name in form.fields:  # every field the form shows is a term of the deal type or the show's timing
        assert OfferForm.TERM.get(name, name) in {*deals.TERMS[deal_type], "deal_type", "currency", "notes",
                                                    *OfferForm.SHOW}


def test_a_flat_quote_asks_for_a_price_and_a_versus_says_its_guarantee_is_a_minimum():
    assert OfferForm(initial={"deal_type": "flat"}).fields["guarantee"].label == "Price"
    assert OfferForm(initial={"deal_type": "versus"}).fields["guarantee"].help_text == "Paid whatever the door takes."


def test_values_of_fields_the_deal_type_does_not_use_are_not_sent():
    form = OfferForm({"deal_type": "flat", "guarantee": "900", "ticket_price": "25", "capacity": "300"})
    assert form.is_valid(), form.errors
    assert form.terms() == {"deal_type": "flat", "guarantee": Decimal("900")}


@pytest.fixture
def world(make_team):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    venue = Venue.objects.get(workspace=venue_ws)
    booking = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title="Club night",
                                      act_id=act_ws.act.pk, venue_id=venue.pk)
    start = (timezone.now() + dt.timedelta(days=30)).replace(hour=19, minute=0, second=0, microsecond=0)
    services.hold_place(actor=buyer[Role.OWNER], booking_id=booking.pk, starts_at=start,
                        ends_at=start + dt.timedelta(hours=2))
    return {"ws": venue_ws, "owner": buyer[Role.OWNER], "booking": booking, "band": band, "act_ws": act_ws}


def field_group(html: str, name: str) -> str:
    """The HTML of one field's group (label, input, help, errors) on a page."""
    start = html.index(f'id="id_{name}"')
    start = html.rindex('<div class="mb-3">', 0, start)
    return html[start:html.index('<div class="mb-3">', start + 10) if '<div class="mb-3">' in html[start + 10:] else None]


def test_a_missing_guarantee_is_said_beside_the_guarantee_in_a_useful_sentence(world, login_client):
    url = f"/w/{world['ws'].slug}/bookings/{world['booking'].pk}/offer/"
    response = login_client(world["owner"]).post(url, {"deal_type": "guarantee", "currency": "EUR"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the guarantee the act will be paid, for example 500." in field_group(html, "guarantee")
    assert "needs a guarantee" not in html
    assert not Offer.objects.exists()


def test_a_form_error_is_beside_its_field_and_the_chosen_deal_type_kept(world, login_client):
    url = f"/w/{world['ws'].slug}/bookings/{world['booking'].pk}/offer/"
    response = login_client(world["owner"]).post(url, {"deal_type": "versus", "guarantee": "500", "percent": "170"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 100." in field_group(html, "percent")
    assert re.search(r'<option value="versus" selected', html)
    assert not Offer.objects.exists()


def test_the_preview_says_the_deal_in_words_for_the_chosen_type(world, login_client):
    url = f"/w/{world['ws'].slug}/bookings/{world['booking'].pk}/offer/form/"
    html = login_client(world["owner"]).get(url, {"deal_type": "versus", "guarantee": "500", "percent": "70",
                                                 "expenses": "200", "deposit_percent": "50"}).content.decode()
    assert "The act is paid €500 or 70% of ticket sales minus taxes, fees and €200 agreed expenses, whichever is more." \
        in html
    assert "A 50% deposit (€250) is due when the show is confirmed." in html
    assert 'name="percent"' in html and 'name="basis"' in html
    door = login_client(world["owner"]).get(url, {"deal_type": "door", "percent": "80"}).content.decode()
    assert "The act is paid 80% of the door" in door and 'name="guarantee"' not in door


def test_a_sent_offer_and_the_act_can_counter_from_its_terms(world, login_client):
    client = login_client(world["owner"])
    response = client.post(f"/w/{world['ws'].slug}/bookings/{world['booking'].pk}/offer/",
                           {"deal_type": "guarantee", "guarantee": "600", "deposit_percent": "50", "currency": "EUR"})
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.deal_type, offer.guarantee) == ("guarantee", Decimal("600"))
    page = login_client(world["band"][Role.OWNER]).get(
        f"/w/{world['act_ws'].slug}/bookings/{world['booking'].pk}/").content.decode()
    assert re.search(r'name="guarantee"[^>]*value="600', page)  # the counter-offer starts from the offer


@pytest.fixture
def agency(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    coordinator = people[Role.COORDINATOR]
    package = agency_services.package_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Wedding trio",
                                             duration_minutes=180, price="1850", currency="GBP")
    day = (timezone.now() + dt.timedelta(days=60)).date()
    booking = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Jones wedding", date_from=day)
    return ws, coordinator, package, booking


def test_the_words_follow_the_last_thing_typed_and_are_readable(world, login_client):
    """Typing fast sends several previews: each replaces the one still on its way, so an earlier, slower
    answer never overwrites the words for what is typed now; the words sit on the page's own colours."""
    html = login_client(world["owner"]).get(f"/w/{world['ws'].slug}/bookings/{world['booking'].pk}/").content.decode()
    form = re.search(r'<form[^>]*data-testid="offer-form"[^>]*>', html, re.S).group(0)
    assert 'hx-sync="this:replace"' in form and 'hx-target="#offer-summary"' in form
    summary = re.search(r'<div id="offer-summary"[^>]*>', html).group(0)
    assert "bg-body-tertiary" in summary and "text-body" in summary and "alert-light" not in summary


def test_choosing_a_package_puts_its_price_in_the_quote(agency, login_client):
    ws, coordinator, package, booking = agency
    html = login_client(coordinator).get(f"/w/{ws.slug}/bookings/{booking.pk}/offer/form/",
                                         {"deal_type": "flat", "package": package.pk, "guarantee": ""},
                                         HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="package").content.decode()
    assert re.search(r'name="guarantee"[^>]*value="1850', html)
    assert "The client pays £1,850 for the show." in html


def test_a_quote_for_a_package_left_without_a_price_is_at_the_package_price(agency, login_client):
    ws, coordinator, package, booking = agency
    response = login_client(coordinator).post(f"/w/{ws.slug}/bookings/{booking.pk}/offer/",
                                              {"deal_type": "flat", "package": package.pk, "currency": ""})
    assert response.status_code == 302
    quote = Offer.objects.get()
    assert (quote.guarantee, quote.currency, quote.package_id) == (Decimal("1850"), "GBP", package.pk)
    # the same rule through the service: a price given wins
    services.offer_make(actor=coordinator, booking_id=booking.pk, deal_type="flat", package_id=package.pk,
                        guarantee="1700")
    assert Offer.objects.order_by("-version").first().guarantee == Decimal("1700")


def test_confirming_asks_first_and_says_what_will_happen(agency, login_client):
    ws, coordinator, package, booking = agency
    services.offer_make(actor=coordinator, booking_id=booking.pk, deal_type="flat", package_id=package.pk)
    client = login_client(coordinator)
    page = client.get(f"/w/{ws.slug}/bookings/{booking.pk}/").content.decode()
    assert 'data-testid="needs-times"' in page and 'data-testid="confirm-modal"' not in page  # date-only: set times
    start = dt.datetime.combine(booking.date_from, dt.time(15), tzinfo=dt.UTC)
    services.booking_update(actor=coordinator, booking_id=booking.pk, starts_at=start, ends_at=start + dt.timedelta(hours=3))
    page = client.get(f"/w/{ws.slug}/bookings/{booking.pk}/").content.decode()
    button = re.search(r'<button[^>]*data-testid="accept-offer"[^>]*>', page).group(0)
    assert 'data-bs-toggle="modal"' in button and "formaction" not in button  # it opens the dialog, not the action
    modal = page[page.index('data-testid="confirm-modal"'):]
    assert "becomes the <strong>contract</strong>" in modal and "£1,850" in modal
    assert "Confirm and issue the contract" in modal and "<script" not in page.split("</head>")[1]
    assert client.post(f"/w/{ws.slug}/bookings/{booking.pk}/accept/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
