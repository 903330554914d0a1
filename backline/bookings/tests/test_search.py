"""One search box: what each person finds (and never finds), matching on PostgreSQL and SQLite alike,
grouped output, a constant number of queries whatever the data, the API's answers and the htmx partial."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists.services import act_update, performer_create
from backline.bookings import agency_services, services
from backline.bookings import search as search_module
from backline.bookings.models import Booking
from backline.bookings.search import BOOKING_INDEX, TYPES, booking_text, search
from backline.core.errors import Invalid
from backline.venues.models import Venue

PROBLEM = "application/problem+json"




def soon(days=30, hour=20):
    return (timezone.now() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(make_team):
    venue_ws, venue = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Blue Door")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    agency_ws, agency = make_team(WorkspaceKind.AGENCY, name="Northern Lights")
    act_update(actor=band[Role.OWNER], workspace_id=act_ws.pk, genres=["jazz", "soul"])
    hall, door = Venue.objects.get(workspace=venue_ws), Venue.objects.get(workspace=other_ws)
    owner = venue[Role.OWNER]
    inquiry = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Midsummer jazz night",
                                      act_id=act_ws.act.pk, venue_id=hall.pk, contact_name="Mara Quill",
                                      contact_email="mara@example.org", location="Kreuzberg")
    held = services.inquiry_create(actor=owner, workspace_id=venue_ws.pk, title="Harvest moon concert",
                                   act_id=act_ws.act.pk, venue_id=hall.pk)
    services.hold_place(actor=owner, booking_id=held.pk, starts_at=soon(), ends_at=soon(hour=22))
    theirs = services.inquiry_create(actor=other[Role.OWNER], workspace_id=other_ws.pk, title="Midsummer jazz brunch",
                                     act_id=act_ws.act.pk, venue_id=door.pk, location="Kreuzberg")
    client = agency_services.client_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, name="Harbour Festival",
                                           company="Quayside Events", email="booking@harbour.example", city_name="Hamburg")
    wedding = services.inquiry_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, title="Wedding by the water",
                                      client_id=client.pk)
    performer = performer_create(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, name="Ivo Saxby",
                                 skills="saxophone, clarinet")
    return {"venue_ws": venue_ws, "venue": venue, "other_ws": other_ws, "other": other, "act_ws": act_ws, "band": band,
            "agency_ws": agency_ws, "agency": agency, "hall": hall, "inquiry": inquiry, "held": held, "theirs": theirs,
            "client": client, "wedding": wedding, "performer": performer}


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
    assert hit.title == f"{inquiry.reference} · Midsummer jazz night"
    assert "Inquiry" in hit.subtitle and "The Owls" in hit.subtitle
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
    assert hit.url == f"/w/{world['agency_ws'].slug}/bookings/list/?client_id={client.pk}"
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


def test_a_constant_number_of_queries_whatever_the_number_of_rows(world, django_assert_max_num_queries):
    owner = world["agency"][Role.OWNER]

    def count(q, **kw):
        with CaptureQueriesContext(connection) as ctx:
            search(owner, q, **kw)
        return len(ctx.captured_queries)

    before = {t: count("gig", type=t) for t in TYPES}
    everything = count("gig")
    for n in range(12):
        client = agency_services.client_create(actor=owner, workspace_id=world["agency_ws"].pk, name=f"Gig client {n}")
        services.inquiry_create(actor=owner, workspace_id=world["agency_ws"].pk, title=f"Gig {n}", client_id=client.pk)
        performer_create(actor=owner, workspace_id=world["agency_ws"].pk, name=f"Gig player {n}")
    assert {t: count("gig", type=t) for t in TYPES} == before
    assert count("gig") == everything
    with django_assert_max_num_queries(10):
        results = search(owner, "gig", limit=5)
    assert len(results["inquiries"]) == len(results["clients"]) == len(results["performers"]) == 5
    for t in TYPES:
        with django_assert_max_num_queries(3):
            search(owner, "gig", type=t)


# --- the API -----------------------------------------------------------------------------------------

@pytest.fixture
def api():
    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}") if user else Client()

    return build


def test_api_answers_groups_with_urls(api, world):
    body = api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "  jazz   night "}).json()
    assert body["query"] == "jazz night"
    assert [g["type"] for g in body["groups"]] == ["inquiries"]  # every word is needed: the act has no "night"
    body = api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "jazz"}).json()
    assert [g["type"] for g in body["groups"]] == ["inquiries", "acts"]  # only groups with hits, in order
    inquiries = body["groups"][0]
    assert inquiries["label"] == "Inquiries"
    assert inquiries["hits"] == [{"type": "inquiries", "id": world["inquiry"].pk,
                                  "title": f"{world['inquiry'].reference} · Midsummer jazz night",
                                  "subtitle": inquiries["hits"][0]["subtitle"],
                                  "url": f"/w/{world['venue_ws'].slug}/bookings/{world['inquiry'].pk}/"}]
    assert body["groups"][1]["hits"][0]["url"] is None
    only = api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "owls", "type": "acts"}).json()
    assert [g["type"] for g in only["groups"]] == ["acts"]
    assert api(world["venue"][Role.OWNER]).get("/api/v1/search", {"q": "a"}).json() == {"query": "a", "groups": []}


def test_api_refuses_anonymous_bad_types_and_long_queries(api, world):
    anonymous = api(None).get("/api/v1/search", {"q": "jazz"})
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == PROBLEM
    owner = api(world["venue"][Role.OWNER])
    bad_type = owner.get("/api/v1/search", {"q": "jazz", "type": "songs"})
    assert bad_type.status_code == 422 and "type" in {e["field"] for e in bad_type.json()["errors"]}
    too_long = owner.get("/api/v1/search", {"q": "x" * 101})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "q"


# --- the web page ------------------------------------------------------------------------------------

def test_the_page_needs_a_login(world):
    response = Client().get("/search/", {"q": "jazz"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_and_its_htmx_partial(login_client, world):
    browser = login_client(world["venue"][Role.OWNER])
    page = browser.get("/search/", {"q": "Midsummer"})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and 'hx-trigger="input changed delay:300ms' in html
    assert 'data-testid="search-group-inquiries"' in html and "Midsummer jazz night" in html
    assert "Midsummer jazz brunch" not in html
    partial = browser.get("/search/", {"q": "Midsummer"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "<form" not in partial and "Midsummer jazz night" in partial
    assert f'href="/w/{world["venue_ws"].slug}/bookings/{world["inquiry"].pk}/"' in partial
    nothing = browser.get("/search/", {"q": "zzzz"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="search-empty"' in nothing
    too_long = browser.get("/search/", {"q": "x" * 101}, HTTP_HX_REQUEST="true")
    assert too_long.status_code == 200 and "at most 100 characters" in too_long.content.decode()


# --- the maintained search column --------------------------------------------------------------------

def test_the_search_text_holds_every_matched_name_lowercased(world):
    inquiry, wedding = world["inquiry"], world["wedding"]
    inquiry.refresh_from_db()
    assert inquiry.search_text == booking_text(inquiry)
    assert inquiry.search_text == (f"{inquiry.reference} midsummer jazz night mara quill mara@example.org kreuzberg "
                                   f"the owls lantern hall").lower()
    wedding.refresh_from_db()
    assert wedding.search_text.endswith("wedding by the water harbour festival quayside events")
    held = world["held"]
    held.refresh_from_db()
    assert "the owls" in held.search_text and "lantern hall" in held.search_text


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
        plan = search_module._match_bookings(Booking.objects.all(), q).explain()
        assert f"Bitmap Index Scan on {BOOKING_INDEX}" in plan, (q, plan)
