"""The booking pages: board, list, booking page (with who is committed) and documents, with constant
query counts; and refusals shown as messages."""

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services
from backline.venues.models import Venue
from tests.pages import SHELL_QUERIES, assert_constant_queries, session_queries


def offer_out(make_team, fees=("400",)):
    """The Lantern Hall's hold of The Owls with the venue's offers at ``fees`` sent, one after the other."""
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    venue = Venue.objects.get(workspace=venue_ws)
    start = (timezone.now() + dt.timedelta(days=20)).replace(microsecond=0)
    b = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title="Owls live", act_id=act_ws.act.pk,
                                venue_id=venue.pk)
    services.hold_place(actor=buyer[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    for fee in fees:
        services.offer_make(actor=buyer[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee=fee)
    return b, venue_ws, buyer, act_ws, band


@pytest.fixture
def confirmed(make_team):
    b, venue_ws, buyer, act_ws, band = offer_out(make_team, ("400", "450", "500"))
    services.offer_accept(actor=band[Role.OWNER], booking_id=b.pk)
    return b, venue_ws, buyer, act_ws, band


def test_the_booking_page_shows_the_deal_versions_and_who_is_committed(confirmed, login_client,
                                                                       django_assert_max_num_queries):
    booking, venue_ws, buyer, act_ws, band = confirmed
    client = login_client(buyer[Role.VIEWER])
    client.get(f"/w/{venue_ws.slug}/")  # the workspace remembered: the page below writes no session
    # Its own seven (SHELL_QUERIES on top): the booking with its parties and advance, the offers, the files
    # sent with them, the history, who is committed, the conversation, the act's riders (a venue's booking
    # has no performers to read; a viewer sends no emails: no email card; nobody offers on a confirmed show:
    # no media library to read).
    with django_assert_max_num_queries(7 + SHELL_QUERIES + session_queries()):
        page = client.get(f"/w/{venue_ws.slug}/bookings/{booking.pk}/").content.decode()
    assert "€500 guarantee" in page and "Revised offer from Lantern Hall" in page and "version 3" in page
    assert band[Role.OWNER].display_name in page.split('data-testid="commitments"')[1]
    assert 'data-testid="actions"' not in page  # viewers see, they don't act
    act_page = login_client(band[Role.MEMBER]).get(f"/w/{act_ws.slug}/bookings/{booking.pk}/")
    assert act_page.status_code == 200
    for doc in ("contract.pdf", "day-sheet.pdf"):
        response = client.get(f"/w/{venue_ws.slug}/bookings/{booking.pk}/{doc}")
        assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    contract = client.get(f"/w/{venue_ws.slug}/bookings/{booking.pk}/contract.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contract)).pages)
    assert f"({booking.time_zone.rsplit('/', 1)[-1]} time)" in text and booking.time_zone not in text


def test_the_booking_page_costs_the_same_queries_however_many_versions_and_changes(make_team, login_client,
                                                                                   django_assert_max_num_queries):
    """Its own nine for a person who sends emails, before the show is confirmed: the booking, offers, the
    files sent with them, the media library to send files from, history, conversation, email templates,
    emails sent, the act's riders; the same with nine versions."""
    booking, venue_ws, buyer, *_ = offer_out(make_team)

    def add_rows():
        for n in range(8):
            services.offer_make(actor=buyer[Role.OWNER], booking_id=booking.pk, deal_type="guarantee",
                                guarantee=str(500 + n))

    assert_constant_queries(login_client(buyer[Role.OWNER]), {f"/w/{venue_ws.slug}/bookings/{booking.pk}/":
                                                              9 + SHELL_QUERIES}, add_rows,
                            django_assert_max_num_queries)


def test_the_shows_times_in_an_offer_are_shown_with_its_version(make_team, login_client):
    """Set length, load-in, doors and curfew are part of an offer: they read in the versions table."""
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, act_owner = make_team(WorkspaceKind.ACT, name="The Owls")
    start = (timezone.now() + dt.timedelta(days=20)).replace(microsecond=0)
    b = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title="Owls live",
                                act_id=act_ws.act.pk, venue_id=Venue.objects.get(workspace=venue_ws).pk)
    services.hold_place(actor=buyer[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    services.offer_make(actor=buyer[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="750",
                        set_minutes=60, load_in=dt.time(17), doors=dt.time(19), curfew=dt.time(23, 30))
    page = login_client(buyer[Role.OWNER]).get(f"/w/{venue_ws.slug}/bookings/{b.pk}/").content.decode()
    table = page.split('data-testid="offer-versions"')[1].split("</table>")[0]
    for words in ("Set length", "60 minutes", "Load-in", "17:00", "Doors", "19:00", "Curfew", "23:30"):
        assert words in table, words
    services.offer_accept(actor=act_owner[Role.OWNER], booking_id=b.pk)
    advance = login_client(buyer[Role.OWNER]).get(f"/w/{venue_ws.slug}/bookings/{b.pk}/").context["advance_form"]
    assert (advance.initial["load_in"], advance.initial["doors"], advance.initial["curfew"]) == (
        dt.time(17), dt.time(19), dt.time(23, 30))  # the advance starts from what was agreed


def test_a_refused_action_is_a_message_and_changes_nothing(confirmed, login_client):
    booking, venue_ws, buyer, *_ = confirmed
    client = login_client(buyer[Role.OWNER])
    response = client.post(f"/w/{venue_ws.slug}/bookings/{booking.pk}/release/", {"reason": "changed our mind"},
                           follow=True)
    page = response.content.decode()
    assert "cannot become hold released. From here it can become" in page and "hold_released" not in page
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_board_and_list_use_constant_queries(confirmed, login_client, django_assert_max_num_queries):
    booking, venue_ws, buyer, act_ws, _ = confirmed
    client = login_client(buyer[Role.OWNER])
    client.get(f"/w/{venue_ws.slug}/")  # the workspace remembered: the pages below write no session
    with django_assert_max_num_queries(1 + SHELL_QUERIES + session_queries()) as few:  # every column at once
        client.get(f"/w/{venue_ws.slug}/bookings/")
    board = len(few.captured_queries)
    with django_assert_max_num_queries(2 + SHELL_QUERIES + session_queries()) as few:  # the totals, the page
        client.get(f"/w/{venue_ws.slug}/bookings/list/")
    listing = len(few.captured_queries)
    for n in range(8):
        services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title=f"More {n}")
    with django_assert_max_num_queries(board):
        assert "More 7" in client.get(f"/w/{venue_ws.slug}/bookings/").content.decode()
    with django_assert_max_num_queries(listing):
        assert "More 7" in client.get(f"/w/{venue_ws.slug}/bookings/list/?status=inquiry").content.decode()


def test_an_agency_keeps_clients_and_packages_in_the_browser(make_team, login_client):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    client = login_client(people[Role.COORDINATOR])
    response = client.post(f"/w/{ws.slug}/clients/new/", {"name": "Mia Jones", "email": "not-an-email"})
    assert response.status_code == 422 and "Enter a valid email address" in response.content.decode()
    client.post(f"/w/{ws.slug}/clients/new/", {"name": "Mia Jones", "email": "mia@example.org"})
    mia = ws.clients.get()
    booking = services.inquiry_create(actor=people[Role.COORDINATOR], workspace_id=ws.pk, title="Jones wedding",
                                      client_id=mia.pk)
    detail = client.get(f"/w/{ws.slug}/clients/{mia.pk}/").content.decode()
    assert booking.reference in detail
    client.post(f"/w/{ws.slug}/packages/new/", {"name": "Trio", "duration_minutes": "180", "performer_count": "3",
                                                "price": "1500", "currency": "GBP"})
    trio = ws.packages.get()
    client.post(f"/w/{ws.slug}/packages/{trio.pk}/", {"name": "Trio", "duration_minutes": "180", "performer_count": "3",
                                                      "price": "1500", "currency": "GBP"})  # "Offered" unticked
    trio.refresh_from_db()
    assert not trio.is_active and "not offered" in client.get(f"/w/{ws.slug}/packages/").content.decode()
    client.post(f"/w/{ws.slug}/clients/{mia.pk}/archive/")
    current = client.get(f"/w/{ws.slug}/clients/").content.decode()
    assert "Mia Jones" not in current.split('data-testid="clients"')[1]
    assert "Mia Jones" in client.get(f"/w/{ws.slug}/clients/?archived=1").content.decode()


def test_offer_versions_are_named_by_who_made_them(make_team, login_client):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    venue = Venue.objects.get(workspace=venue_ws)
    start = (timezone.now() + dt.timedelta(days=20)).replace(microsecond=0)
    b = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title="Owls live",
                                act_id=act_ws.act.pk, venue_id=venue.pk)
    services.hold_place(actor=buyer[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    services.offer_make(actor=buyer[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="400")
    services.offer_make(actor=band[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="600")
    page = login_client(buyer[Role.OWNER]).get(f"/w/{venue_ws.slug}/bookings/{b.pk}/").content.decode()
    assert "First offer from Lantern Hall" in page and "Counter-offer from The Owls" in page
    # each heading is a sentence (the class undoes Tabler's capitals), its status a badge in words
    headings = [h.split("</th>")[0] for h in page.split('<th class="bl-th-words" data-testid="offer-heading">')[1:]]
    assert len(headings) == 2
    assert 'data-testid="offer-status">Countered</span>' in headings[0]  # the status as a badge, in words
    assert 'data-testid="offer-status">Proposed</span>' in headings[1]
    css = (settings.BASE_DIR / "frontend" / "src" / "main.css").read_text()
    assert re.search(r"\.table thead th\.bl-th-words \{[^}]*text-transform: none", css)
    assert "Accept this offer (version 2) and confirm" in page
    for machine in ("v1 ", "v2 ", "buyer ·", "Accept version"):
        assert machine not in page


def test_a_show_at_the_viewers_clock_does_not_name_the_zone(confirmed, login_client):
    booking, venue_ws, buyer, *_ = confirmed
    viewer = buyer[Role.OWNER]
    page = login_client(viewer).get(f"/w/{venue_ws.slug}/bookings/{booking.pk}/").content.decode()
    when = page.split(">When<")[1].split("</dd>")[0]
    assert booking.time_zone == viewer.time_zone and booking.time_zone not in when
    viewer.time_zone = "America/New_York"
    viewer.save()
    page = login_client(viewer).get(f"/w/{venue_ws.slug}/bookings/{booking.pk}/").content.decode()
    assert "Berlin time" in page.split(">When<")[1].split("</dd>")[0]


@pytest.fixture
def sent_offer(make_team):
    """A venue's hold with the venue's offer sent, waiting for the act's answer."""
    return offer_out(make_team)


def test_after_sending_an_offer_the_venue_sees_no_hold_or_offer_form_only_withdraw_and_close(sent_offer, login_client):
    booking, venue_ws, buyer, *_ = sent_offer
    page = login_client(buyer[Role.OWNER]).get(f"/w/{venue_ws.slug}/bookings/{booking.pk}/").content.decode()
    assert 'data-testid="hold-form"' not in page and "Hold the date" not in page
    assert 'id="make-offer"' not in page and 'data-testid="jump-to-offer"' not in page
    assert "Withdraw my offer" in page and "Decline the offer" not in page and ">Cancel the show<" in page


def test_the_act_answering_an_offer_still_gets_the_counter_offer_form(sent_offer, login_client):
    booking, _, _, act_ws, band = sent_offer
    page = login_client(band[Role.OWNER]).get(f"/w/{act_ws.slug}/bookings/{booking.pk}/").content.decode()
    assert 'id="make-offer"' in page and "Counter-offer" in page and ">Decline the offer<" in page


def test_an_inquiry_offers_the_hold_form_and_says_what_closing_it_means(make_team, login_client):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, _ = make_team(WorkspaceKind.ACT, name="The Owls")
    b = services.inquiry_create(actor=buyer[Role.OWNER], workspace_id=venue_ws.pk, title="Owls live",
                                act_id=act_ws.act.pk, venue_id=Venue.objects.get(workspace=venue_ws).pk)
    page = login_client(buyer[Role.OWNER]).get(f"/w/{venue_ws.slug}/bookings/{b.pk}/").content.decode()
    assert 'data-testid="hold-form"' in page
    close = page.split('data-testid="close-booking"')[1].split("</section>")[0]
    assert "Close this booking" in close and ">Mark as lost<" in close and ">Cancel the inquiry<" in close
    assert page.index('data-testid="close-booking"') > page.index('data-testid="jump-to-offer"')  # below


def test_a_confirmed_shows_closing_button_says_cancel_the_show_in_its_own_group(confirmed, login_client):
    booking, venue_ws, buyer, *_ = confirmed
    page = login_client(buyer[Role.OWNER]).get(f"/w/{venue_ws.slug}/bookings/{booking.pk}/").content.decode()
    close = page.split('data-testid="close-booking"')[1].split("</section>")[0]
    assert "Close this booking" in close and ">Cancel the show<" in close and ">Cancel<" not in page
    assert "Reason (to close it)" not in page
    response = login_client(buyer[Role.OWNER]).post(f"/w/{venue_ws.slug}/bookings/{booking.pk}/cancel/",
                                                    {"reason": "Venue flooded"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
