"""The directory's budget (issue 13, item 7): at most 6 queries for a whole request, the session and the user
included, whatever the page size, through the pages and the API; and "free on a day" stays bounded: it checks
only the first matches in the page's order and then says "at least"."""

import pytest

from backline.search import directory
from backline.search.directory import ActFilters, directory_acts
from tests.factories import UserFactory

from .test_directory import BERLIN, DAY, LEIPZIG, _act

BUDGET = 6
# A full page adds what the layout and the form show around the results: the workspace switcher's
# memberships, the bell's unread count and the genre list.
LAYOUT = 3


def _grow(n, start=0):
    for i in range(start, start + n):
        _act(f"Band {i:02}", BERLIN if i % 2 else LEIPZIG, ["jazz"], free=True, extra_members=i % 3)


FREE_SEARCHES = [{"free_on": DAY.isoformat()},
                 {"free_on": DAY.isoformat(), "genres": "jazz", "city": BERLIN.geoname_id, "radius_km": 300}]


@pytest.mark.parametrize("params", FREE_SEARCHES)
def test_a_whole_request_with_free_on_stays_within_six_queries(db, client, django_assert_max_num_queries, params):
    _grow(3)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(BUDGET):  # cold: nobody's free time is kept yet
        assert client.get("/api/v1/directory/acts", params).status_code == 200
    _grow(30, start=3)
    with django_assert_max_num_queries(BUDGET):  # what the form's searches and paging fetch
        page = client.get("/directory/acts/", params, HTTP_HX_REQUEST="true").content.decode()
    assert page.count('data-testid="directory-card"') >= 3
    with django_assert_max_num_queries(BUDGET + LAYOUT):
        assert client.get("/directory/acts/", params).status_code == 200
    with django_assert_max_num_queries(BUDGET):
        body = client.get("/api/v1/directory/acts", params).json()
    assert body["results"] and body["at_least"] is False


def test_whole_requests_without_free_on_and_for_venues_stay_within_budget(db, client, django_assert_max_num_queries):
    _grow(30)
    client.force_login(UserFactory())
    for url, params in (("/directory/acts/", {"genres": "jazz"}), ("/directory/venues/", {"city": BERLIN.geoname_id})):
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url, params, HTTP_HX_REQUEST="true").status_code == 200
        with django_assert_max_num_queries(BUDGET + LAYOUT):
            assert client.get(url, params).status_code == 200
    for url, params in (("/api/v1/directory/acts", {"city": BERLIN.geoname_id, "genres": "jazz"}),
                        ("/api/v1/directory/venues", {})):
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url, params).status_code == 200


def test_free_on_checks_only_the_first_matches_and_says_at_least(db, client, monkeypatch):
    monkeypatch.setattr(directory, "FREE_ON_CHECKED", 4)
    _grow(8)
    page = directory_acts(ActFilters(free_on=DAY))
    # in the page's order (by name), the first five acts with a line-up are checked: all free
    assert page.at_least and page.count == 5
    assert [c.name for c in page.cards] == [f"Band {i:02}" for i in range(5)]
    near = directory_acts(ActFilters(free_on=DAY, city=BERLIN.geoname_id, radius_km=20))
    assert not near.at_least and near.count == 4  # four Berlin bands: all checked, the count is exact
    client.force_login(UserFactory())
    assert client.get("/api/v1/directory/acts", {"free_on": DAY.isoformat()}).json()["at_least"] is True
    shown = client.get("/directory/acts/", {"free_on": DAY.isoformat()}).content.decode()
    assert "At least 5 found" in shown


def test_acts_without_a_free_line_up_do_not_use_up_the_checks(db, monkeypatch):
    """Busy or unknown acts are checked (and counted as checked) but never listed; the page follows the
    order of the free ones."""
    monkeypatch.setattr(directory, "FREE_ON_CHECKED", 10)
    _act("Aardvarks", BERLIN, ["jazz"])  # availability unknown: never free
    _act("Abacus", BERLIN, ["jazz"], free=True, busy_on=DAY)
    _grow(3)
    page = directory_acts(ActFilters(free_on=DAY))
    assert [c.name for c in page.cards] == ["Band 00", "Band 01", "Band 02"] and not page.at_least
