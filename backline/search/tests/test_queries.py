"""Search keeps the house budget (ARCHITECTURE.md §4): at most 5 queries for a request, the page's own
included, whatever the number of rows, types and workspaces. Search itself makes two, the person's
memberships (which the page shares with its workspace switcher) and one query for every type, on SQLite
and PostgreSQL alike."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import performer_create
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.search.selectors import TYPES, search

from .conftest import soon

BUDGET = 5  # ARCHITECTURE.md §4


def _join(person, workspace, people, role):
    invitation = accounts.invitation_create(actor=people[Role.OWNER], workspace_id=workspace.pk, email=person.email,
                                            role=role)
    accounts.invitation_accept(user=person, token=invitation.token)


@pytest.fixture
def many_hats(world):
    """The agency's coordinator, who also owns a venue, plays in an act and views another venue: every
    type has somewhere to look, through four workspaces."""
    person = world["agency"][Role.COORDINATOR]
    _join(person, world["venue_ws"], world["venue"], Role.OWNER)
    _join(person, world["act_ws"], world["band"], Role.MEMBER)
    _join(person, world["other_ws"], world["other"], Role.VIEWER)
    return person


def grow(world, make_team, rows: int = 12, profiles: int = 6):
    """``rows`` more of every type matching "gig": the agency's clients, inquiries and performers, the
    venue's held bookings with the act, and acts and venues on Backline."""
    agency, owner = world["agency_ws"], world["agency"][Role.OWNER]
    venue_owner, hall, act = world["venue"][Role.OWNER], world["hall"], world["act_ws"].act
    for n in range(rows):
        client = agency_services.client_create(actor=owner, workspace_id=agency.pk, name=f"Gig client {n}")
        services.inquiry_create(actor=owner, workspace_id=agency.pk, title=f"Gig {n}", client_id=client.pk)
        performer_create(actor=owner, workspace_id=agency.pk, name=f"Gig player {n}")
        held = services.inquiry_create(actor=venue_owner, workspace_id=world["venue_ws"].pk, title=f"Gig night {n}",
                                       act_id=act.pk, venue_id=hall.pk)
        start = soon(40 + n)
        services.hold_place(actor=venue_owner, booking_id=held.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    for n in range(profiles):
        make_team(WorkspaceKind.ACT, name=f"Gig Machine {n}")
        make_team(WorkspaceKind.VENUE, name=f"Gig Hall {n}")


def count(person, q, **kw) -> int:
    with CaptureQueriesContext(connection) as ctx:
        search(person, q, **kw)
    return len(ctx.captured_queries)


def test_two_queries_whatever_the_number_of_rows_and_types(world, many_hats, make_team):
    before = {t: count(many_hats, "gig", type=t) for t in TYPES}
    # venues read the memberships too: an act's bookers get "Ask for a date" on each venue
    assert before == {"inquiries": 2, "bookings": 2, "clients": 2, "performers": 2, "acts": 1, "venues": 2}
    assert count(many_hats, "gig") == 2
    grow(world, make_team)
    assert {t: count(many_hats, "gig", type=t) for t in TYPES} == before
    assert count(many_hats, "gig") == 2
    results = search(many_hats, "gig", limit=5)
    assert {t: len(hits) for t, hits in results.items()} == dict.fromkeys(TYPES, 5)
    assert count(many_hats, "gig", workspace_id=world["agency_ws"].pk) == 2


def test_the_api_stays_within_the_budget(api, world, many_hats, make_team, django_assert_max_num_queries):
    grow(world, make_team)
    caller = api(many_hats)
    with django_assert_max_num_queries(BUDGET):  # the caller, the memberships, the search
        body = caller.get("/api/v1/search", {"q": "gig"}).json()
    assert {g["type"]: len(g["hits"]) for g in body["groups"]} == {
        "inquiries": 10, "bookings": 10, "clients": 10, "acts": 6, "venues": 6, "performers": 10}


def test_the_page_stays_within_the_budget(login_client, world, many_hats, make_team, django_assert_max_num_queries):
    grow(world, make_team)
    browser = login_client(many_hats)
    # The session, the user, the memberships (for the search and the workspace switcher), the search,
    # the notification bell.
    with django_assert_max_num_queries(BUDGET):
        page = browser.get("/search/", {"q": "gig"}).content.decode()
    assert all(f'data-testid="search-group-{t}"' in page for t in TYPES)
    assert page.count('data-testid="search-group-') == len(TYPES)
    assert world["venue_ws"].name in page and world["act_ws"].name in page  # the switcher lists their workspaces
    with django_assert_max_num_queries(BUDGET):
        partial = browser.get("/search/", {"q": "gig"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and all(f'data-testid="search-group-{t}"' in partial for t in TYPES)


def test_hits_of_every_type_come_back_in_rank_order(world, many_hats, make_team):
    grow(world, make_team)
    results = search(many_hats, "gig", limit=50)
    if connection.vendor != "postgresql":  # the fallback's fixed orders; PostgreSQL ranks (tested by the matching)
        assert [h.title for h in results["clients"]] == sorted(h.title for h in results["clients"])
        assert [h.title for h in results["venues"]] == sorted(h.title for h in results["venues"])
        assert [h.id for h in results["inquiries"]] == sorted((h.id for h in results["inquiries"]), reverse=True)
    assert {t: len(hits) for t, hits in results.items()} == {
        "inquiries": 12, "bookings": 12, "clients": 12, "acts": 6, "venues": 6, "performers": 12}
