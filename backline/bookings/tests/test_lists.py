"""Lists of bookings (the workspace's list, an agency client's history) and the agency's lists: the fee
in words, totals per currency, server-side sorting from the column headers, one coloured badge per stage,
cards on phones, and a query count that does not grow with the rows."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.models import Act
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Status
from backline.venues.models import Venue
from tests.pages import assert_constant_queries, url


def _booking(actor, ws, title, *, days, **offer):
    """A booking of the venue ``ws`` (with the test act) on a day ``days`` from now; with ``offer`` terms,
    an offer out."""
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
    act = Act.objects.get(workspace__name="The Owls")
    booking = services.inquiry_create(actor=actor, workspace_id=ws.pk, title=title, act_id=act.pk,
                                      venue_id=Venue.objects.get(workspace=ws).pk)
    if offer:
        services.hold_place(actor=actor, booking_id=booking.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        services.offer_make(actor=actor, booking_id=booking.pk, **offer)
    return booking


@pytest.fixture
def venue(make_team):
    make_team(WorkspaceKind.ACT, name="The Owls")
    ws, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    return ws, people


def _rows(page: str) -> list[str]:
    """The booking titles in the list's order."""
    body = page.split('data-testid="booking-list"')[1]
    return re.findall(r'<td class="cell-title"><a [^>]*>([^<]+)</a>', body)


def test_the_list_shows_each_fee_in_words_and_totals_per_currency_never_mixed(venue, login_client):
    ws, people = venue
    owner = people[Role.OWNER]
    _booking(owner, ws, "Euro guarantee", days=10, deal_type="guarantee", guarantee="500")
    _booking(owner, ws, "Euro versus", days=11, deal_type="versus", guarantee="800", percent="70")
    _booking(owner, ws, "Dollar show", days=12, deal_type="guarantee", guarantee="1200", currency="USD")
    _booking(owner, ws, "Door only", days=13, deal_type="door", percent="80")
    services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Just asking", budget="300")
    page = login_client(people[Role.VIEWER]).get(url(ws, "bookings/list/")).content.decode()
    fees = re.findall(r'data-testid="fee">(.*?)</td>', page)
    assert "€500 guarantee" in fees and "€800 vs 70% of net" in fees and "$1,200 guarantee" in fees
    assert "80% of door" in fees and any("budget €300" in f for f in fees)
    totals = page.split('data-testid="totals"')[1].split("</p>")[0]
    assert re.findall(r'data-testid="total">([^<]+)<', totals) == ["€1,300", "$1,200"]  # by currency code; never €2,500
    assert "5 bookings" in totals and "plus 1 door deal" in totals


def test_the_list_is_sorted_by_date_and_by_any_column_header(venue, login_client):
    ws, people = venue
    owner = people[Role.OWNER]
    _booking(owner, ws, "Late and cheap", days=30, deal_type="guarantee", guarantee="100")
    _booking(owner, ws, "Soon and dear", days=5, deal_type="guarantee", guarantee="900")
    _booking(owner, ws, "Middle", days=15, deal_type="guarantee", guarantee="400")
    client = login_client(people[Role.OWNER])
    assert _rows(client.get(url(ws, "bookings/list/")).content.decode()) == ["Soon and dear", "Middle", "Late and cheap"]
    page = client.get(url(ws, "bookings/list/?sort=-fee")).content.decode()
    assert _rows(page) == ["Soon and dear", "Middle", "Late and cheap"]
    assert _rows(client.get(url(ws, "bookings/list/?sort=fee")).content.decode()) == ["Late and cheap", "Middle",
                                                                                      "Soon and dear"]
    assert _rows(client.get(url(ws, "bookings/list/?sort=-date")).content.decode())[0] == "Late and cheap"
    # A column not on the list is the default order, not an error (nor an ORDER BY from the address bar).
    assert _rows(client.get(url(ws, "bookings/list/?sort=created_by__password")).content.decode())[0] == "Soon and dear"
    # The headers are links that keep the filters; the sorted one says so to screen readers.
    page = client.get(url(ws, "bookings/list/?status=offer&sort=-fee")).content.decode()
    fee_header = re.search(r'<th [^>]*aria-sort="(\w+)"><a [^>]*href="\?([^"]+)" data-sort="fee"', page)
    assert fee_header.group(1) == "descending" and "status=offer" in fee_header.group(2)
    assert "sort=fee" in fee_header.group(2)  # a second click reverses it
    assert re.search(r'aria-sort="none"><a [^>]*data-sort="date"', page)


def test_each_stage_has_one_badge_colour_on_the_board_and_the_list(venue, login_client):
    ws, people = venue
    owner = people[Role.OWNER]
    _booking(owner, ws, "Offered", days=10, deal_type="guarantee", guarantee="500")
    services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Asked")
    badge = Template("{% load booking_tags %}{% status_badge s %}")
    tones = {s: badge.render(Context({"s": s})) for s in Status.values}
    assert len({tones[s] for s in (Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED)}) == 4
    assert "text-bg-danger" in tones[Status.CANCELLED] and ">Offer out<" in tones[Status.OFFER]
    client = login_client(owner)
    listing = client.get(url(ws, "bookings/list/")).content.decode()
    board = client.get(url(ws, "bookings/")).content.decode()
    for page in (listing, board):
        offer_badge = re.search(r'<span class="badge ([^"]+)" data-status="offer"', page).group(1)
        assert offer_badge in tones[Status.OFFER]


def test_the_list_is_cards_on_a_phone_with_every_field_labelled(venue, login_client):
    """Below md the rows are cards (frontend/src/lists.css): each cell names itself, so date, act,
    venue, status and fee all show on a phone; the status filter is a tom-select multi-select."""
    ws, people = venue
    _booking(people[Role.OWNER], ws, "Offered", days=10, deal_type="guarantee", guarantee="500")
    page = login_client(people[Role.OWNER]).get(url(ws, "bookings/list/")).content.decode()
    assert 'class="table table-hover mb-0 table-cards"' in page
    row = page.split('data-testid="booking-row"')[1].split("</tr>")[0]
    assert re.findall(r'data-label="([^"]+)"', row) == ["When", "Act / client", "Venue", "Status", "Fee"]
    assert re.search(r'<select [^>]*name="status" multiple data-searchable', page)


def test_lists_use_constant_queries(venue, make_team, login_client, django_assert_max_num_queries):
    ws, people = venue
    agency, staff = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    mia = agency_services.client_create(actor=staff[Role.OWNER], workspace_id=agency.pk, name="Mia")
    n = iter(range(1000))

    def add_rows():
        for _ in range(6):
            i = next(n)
            _booking(people[Role.OWNER], ws, f"Show {i}", days=10 + i, deal_type="guarantee", guarantee="500",
                     currency="USD" if i % 2 else "EUR")
            services.inquiry_create(actor=staff[Role.OWNER], workspace_id=agency.pk, title=f"Party {i}", client_id=mia.pk)
            agency_services.client_create(actor=staff[Role.OWNER], workspace_id=agency.pk, name=f"Client {i}")
            agency_services.package_create(actor=staff[Role.OWNER], workspace_id=agency.pk, name=f"Package {i}",
                                           duration_minutes=60, price="100")

    add_rows()
    assert_constant_queries(login_client(people[Role.OWNER]), {
        url(ws, "bookings/list/"): 5, url(ws, "bookings/list/?sort=-fee&status=offer"): 5}, add_rows,
        django_assert_max_num_queries)
    assert_constant_queries(login_client(staff[Role.OWNER]), {
        url(agency, "clients/"): 4, url(agency, "clients/?archived=1"): 4, url(agency, "packages/"): 4,
        url(agency, f"clients/{mia.pk}/"): 5}, add_rows, django_assert_max_num_queries)


def test_the_archived_clients_page_is_titled_so(make_team, login_client):
    agency, staff = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    page = login_client(staff[Role.VIEWER]).get(url(agency, "clients/?archived=1")).content.decode()
    assert "<title>Archived clients · Silver Lining" in page and '<h1 class="h3 mb-0">Archived clients</h1>' in page


def test_prices_and_client_history_read_as_money(make_team, login_client):
    agency, staff = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    owner = staff[Role.OWNER]
    agency_services.package_create(actor=owner, workspace_id=agency.pk, name="Trio", duration_minutes=180,
                                   price="1500", currency="GBP")
    mia = agency_services.client_create(actor=owner, workspace_id=agency.pk, name="Mia")
    quote = services.inquiry_create(actor=owner, workspace_id=agency.pk, title="Mia's wedding", client_id=mia.pk)
    services.offer_make(actor=owner, booking_id=quote.pk, deal_type="flat", guarantee="2000")
    client = login_client(staff[Role.VIEWER])
    assert 'data-testid="package-price">£1,500<' in client.get(url(agency, "packages/")).content.decode()
    history = client.get(url(agency, f"clients/{mia.pk}/")).content.decode()
    assert "€2,000 flat fee" in history and 'data-testid="total">€2,000<' in history


def test_the_boards_inquiry_column_runs_by_day_whether_an_inquiry_has_times_or_only_dates(venue, login_client):
    from backline.bookings.models import Booking
    from backline.bookings.selectors import board_columns

    ws, people = venue
    owner = people[Role.OWNER]
    today = timezone.localdate()
    start = dt.datetime.combine(today + dt.timedelta(days=20), dt.time(20), tzinfo=dt.UTC)
    services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Day 30, dates only", date_from=today + dt.timedelta(days=30))
    services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Day 20, with times", starts_at=start,
                            ends_at=start + dt.timedelta(hours=2))
    services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Day 10, dates only", date_from=today + dt.timedelta(days=10))
    count, rows = board_columns(Booking.objects.filter(workspace=ws), [Status.INQUIRY])[Status.INQUIRY]
    assert count == 3
    assert [b.title for b in rows] == ["Day 10, dates only", "Day 20, with times", "Day 30, dates only"]
