"""What each person finds (and never finds) with one search box, matching on PostgreSQL and SQLite alike,
grouped by type; and how the bookings' maintained search column keeps what finds them current."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backline.accounts.models import Role
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.indexing import BOOKING_INDEX
from backline.bookings.models import Booking
from backline.core.errors import Invalid
from backline.search import matching
from backline.search.selectors import TYPES, search

from .conftest import soon


def ids(results, kind):
    return [h.id for h in results.get(kind, [])]


# --- what is found -----------------------------------------------------------------------------------

def test_finds_an_inquiry_by_reference_title_contact_and_act_name(world):
    owner, inquiry = world["venue"][Role.OWNER], world["inquiry"]
    for q in (inquiry.reference, inquiry.reference.lower(), "Midsummer", "midsummer JAZZ", "Mara Quill",
              "mara@example.org", "Owls"):
        results = search(owner, q)
        assert ids(results, "inquiries") == [inquiry.pk], q
        assert ids(results, "bookings") in ([], [world["held"].pk]), q
    hit = search(owner, inquiry.reference)["inquiries"][0]
    assert hit.title == "Midsummer jazz night"  # the title leads; the reference is secondary
    assert "Inquiry" in hit.subtitle and "The Owls" in hit.subtitle and hit.subtitle.endswith(inquiry.reference)
    assert hit.url == f"/w/{world['venue_ws'].slug}/bookings/{inquiry.pk}/"


def test_a_held_date_is_a_booking_and_the_act_name_finds_it(world):
    results = search(world["venue"][Role.VIEWER], "owls harvest")
    assert ids(results, "bookings") == [world["held"].pk]
    assert ids(results, "inquiries") == []


def test_every_word_is_required(world):
    owner = world["venue"][Role.OWNER]
    assert ids(search(owner, "midsummer kreuzberg"), "inquiries") == [world["inquiry"].pk]
    assert search(owner, "midsummer hamburg")["inquiries"] == []
    assert search(owner, "harvest midsummer")["bookings"] == []


def test_an_agency_finds_its_client_and_the_clients_bookings(world):
    owner, client = world["agency"][Role.OWNER], world["client"]
    results = search(owner, "Harbour Festival")
    assert ids(results, "clients") == [client.pk]
    assert ids(results, "inquiries") == [world["wedding"].pk]  # found by its client's name
    hit = results["clients"][0]
    assert hit.title == "Harbour Festival (Quayside Events)" and "Hamburg" in hit.subtitle
    assert hit.url == f"/w/{world['agency_ws'].slug}/clients/{client.pk}/"
    assert ids(search(owner, "quayside"), "clients") == [client.pk]
    assert ids(search(owner, "hamburg"), "clients") == [client.pk]


def test_acts_are_found_by_name_city_and_genre_and_venues_by_name_and_city(world):
    stranger = world["other"][Role.VIEWER]  # acts and venues are public profiles on Backline
    act = world["act_ws"].act
    for q in ("The Owls", "owls berlin", "soul"):
        assert ids(search(stranger, q), "acts") == [act.pk], q
    hit = search(stranger, "owls")["acts"][0]
    assert hit.url is None and "Jazz" in hit.subtitle and "Berlin" in hit.subtitle
    assert ids(search(stranger, "lantern hall"), "venues") == [world["hall"].pk]
    assert world["hall"].pk in ids(search(stranger, "Berlin"), "venues")
    assert search(stranger, "owls rock")["acts"] == []


def test_performers_are_found_by_the_agency_and_link_by_role(world):
    agency, performer, slug = world["agency"], world["performer"], world["agency_ws"].slug
    assert search(agency[Role.OWNER], "saxophone")["performers"][0].url == f"/w/{slug}/performers/{performer.pk}/"
    # A member may see the performers but not edit them: the hit opens the list.
    assert search(agency[Role.MEMBER], "Saxby")["performers"][0].url == f"/w/{slug}/performers/"
    assert search(world["venue"][Role.OWNER], "Saxby")["performers"] == []


# --- what is never found -----------------------------------------------------------------------------

def test_a_venue_never_finds_another_venues_inquiries_or_bookings(world):
    mine = search(world["venue"][Role.OWNER], "Midsummer")
    assert ids(mine, "inquiries") == [world["inquiry"].pk]
    theirs = search(world["other"][Role.OWNER], "Midsummer")
    assert ids(theirs, "inquiries") == [world["theirs"].pk]
    assert search(world["other"][Role.OWNER], "harvest")["bookings"] == []
    assert search(world["other"][Role.OWNER], world["inquiry"].reference)["inquiries"] == []


def test_an_act_finds_its_bookings_only_from_the_hold_on(world):
    band = world["band"][Role.MEMBER]
    assert search(band, "Midsummer")["inquiries"] == []  # still the buyers' own business
    assert search(band, world["inquiry"].reference)["inquiries"] == []
    results = search(band, "Harvest")
    assert ids(results, "bookings") == [world["held"].pk]
    assert results["bookings"][0].url == f"/w/{world['act_ws'].slug}/bookings/{world['held'].pk}/"


def test_an_agency_performer_finds_no_clients_bookings_or_colleagues(world):
    results = search(world["agency"][Role.PERFORMER], "Harbour")
    assert results["clients"] == [] and results["inquiries"] == [] and results["bookings"] == []
    assert search(world["agency"][Role.PERFORMER], "Saxby")["performers"] == []


def test_a_workspace_narrows_the_private_groups(world):
    agency_ws, agency = world["agency_ws"], world["agency"]
    owner = agency[Role.OWNER]
    results = search(owner, "Harbour", workspace_id=agency_ws.pk)
    assert ids(results, "clients") == [world["client"].pk]
    assert search(owner, "Harbour", workspace_id=world["venue_ws"].pk)["clients"] == []  # not theirs: nothing


# --- shape and edges ---------------------------------------------------------------------------------

def test_results_are_grouped_by_type_in_a_fixed_order(world):
    results = search(world["venue"][Role.OWNER], "jazz")
    assert tuple(results) == TYPES
    assert ids(results, "inquiries") == [world["inquiry"].pk] and ids(results, "acts") == [world["act_ws"].act.pk]
    assert {h.type for hits in results.values() for h in hits} <= set(TYPES)
    only = search(world["venue"][Role.OWNER], "jazz", type="acts")
    assert list(only) == ["acts"]


def test_short_long_and_unknown_queries(world):
    owner = world["venue"][Role.OWNER]
    assert search(owner, "") == {} and search(owner, " j ") == {}
    with pytest.raises(Invalid) as exc:
        search(owner, "x" * 101)
    assert "q" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        search(owner, "jazz", type="songs")
    assert "type" in exc.value.errors
    assert len(search(owner, "x" * 100)) == len(TYPES)


# --- what finds a booking, kept current by the bookings app ------------------------------------------

def test_a_hold_on_another_act_and_venue_refreshes_the_text(world):
    owner, venue_ws = world["venue"][Role.OWNER], world["venue_ws"]
    bare = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Autumn session")
    assert search(owner, "autumn owls")["inquiries"] == []
    services.hold_place(actor=owner, booking_id=bare.pk, starts_at=soon(40), ends_at=soon(40, hour=22),
                        act_id=world["act_ws"].act.pk, venue_id=world["hall"].pk)
    assert ids(search(owner, "autumn owls"), "bookings") == [bare.pk]


def test_renaming_a_client_updates_what_finds_its_bookings(world):
    owner, client, wedding = world["agency"][Role.OWNER], world["client"], world["wedding"]
    other = services.inquiry_create(actor=owner, workspace_id=world["agency_ws"].pk, title="Harbour gala",
                                    client_id=client.pk)
    with CaptureQueriesContext(connection) as ctx:
        agency_services.client_update(actor=owner, client_id=client.pk, name="Seaside Fair", company="Pier Events")
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "bookings_booking"')]
    assert len(updates) == 1  # both bookings in one statement
    assert search(owner, "Harbour Festival")["inquiries"] == []
    assert search(owner, "quayside")["inquiries"] == []
    assert sorted(ids(search(owner, "seaside fair"), "inquiries")) == sorted([wedding.pk, other.pk])
    assert ids(search(owner, "pier wedding"), "inquiries") == [wedding.pk]
    with CaptureQueriesContext(connection) as ctx:  # no rename: the bookings are left alone
        agency_services.client_update(actor=owner, client_id=client.pk, city_name="Kiel")
    assert not any(q["sql"].startswith('UPDATE "bookings_booking"') for q in ctx.captured_queries)


def test_the_last_word_matches_as_a_prefix(world):
    owner, inquiry = world["venue"][Role.OWNER], world["inquiry"]
    assert ids(search(owner, "midsummer ja"), "inquiries") == [inquiry.pk]
    assert ids(search(owner, "Midsu"), "inquiries") == [inquiry.pk]
    assert search(owner, "midsummer jx")["inquiries"] == []
    for q in ("it's", "o'brien\\", "jazz:*", "a & | ! ( )", 'midsummer "jazz night"', "jazz or"):
        search(owner, q)  # web-search syntax and tsquery operators are just text: never an error


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgresql_searches_bookings_through_the_gin_index(world):
    """The match is exactly the indexed expression, so the planner can use the index (here with sequential
    scans off, as a handful of rows is cheaper to read whole; on 100k bookings it picks the index itself)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for q in ("midsummer", "midsummer ja", '"jazz night" -brunch', "jazz or soul"):
        matches, order = matching.match_bookings(Booking.objects.all(), q, fallback_order=[])
        plan = matches.order_by(*order).explain()
        assert f"Bitmap Index Scan on {BOOKING_INDEX}" in plan, (q, plan)
