"""The represents pages: an act's Agencies and an agency's Acts we represent, asking and answering in
the browser, what each role sees, and the pages' query counts."""

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.artists import representations as reps
from backline.artists.models import Representation

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_team):
    agency_ws, agency = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    return {"agency_ws": agency_ws, "agency": agency, "act_ws": act_ws, "band": band}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_agency_asks_and_the_act_accepts_in_the_browser(w):
    agency = client_for(w["agency"][Role.ADMIN])
    r = agency.post(f"/w/{w['agency_ws'].slug}/represented-acts/ask/", {"partner": w["act_ws"].pk})
    assert r.status_code == 302
    rep = Representation.objects.get()
    assert (rep.agency, rep.act, rep.status) == (w["agency_ws"], w["act_ws"].act, "requested")
    band = client_for(w["band"][Role.OWNER])
    page = band.get(f"/w/{w['act_ws'].slug}/agencies/").content.decode()
    assert "Silver Lining" in page and "waiting for your answer" in page
    assert band.post(f"/w/{w['act_ws'].slug}/representations/{rep.pk}/accept/").status_code == 302
    assert Representation.objects.get().status == "active"
    page = agency.get(f"/w/{w['agency_ws'].slug}/represented-acts/").content.decode()
    assert "The Owls" in page and "represents the act" in page


def test_asking_twice_says_why_and_changes_nothing(w):
    agency = client_for(w["agency"][Role.OWNER])
    url = f"/w/{w['agency_ws'].slug}/represented-acts/ask/"
    agency.post(url, {"partner": w["act_ws"].pk})
    r = agency.post(url, {"partner": w["act_ws"].pk})
    assert r.status_code == 200 and "has an open request with The Owls" in r.content.decode()
    assert Representation.objects.count() == 1


def test_coordinators_see_the_list_but_not_the_form(w):
    reps.representation_request(actor=w["agency"][Role.OWNER], agency_workspace_id=w["agency_ws"].pk,
                                act_workspace_id=w["act_ws"].pk)
    page = client_for(w["band"][Role.COORDINATOR]).get(f"/w/{w['act_ws'].slug}/agencies/").content.decode()
    assert "Silver Lining" in page and 'data-testid="representation-form"' not in page
    assert 'data-testid="representation-accept"' not in page


def test_each_page_only_on_its_kind(w):
    assert client_for(w["band"][Role.OWNER]).get(f"/w/{w['act_ws'].slug}/represented-acts/").status_code == 404
    assert client_for(w["agency"][Role.OWNER]).get(f"/w/{w['agency_ws'].slug}/agencies/").status_code == 404


def test_the_pages_query_count_does_not_grow_with_the_list(w, make_team, django_assert_max_num_queries):
    for i in range(6):
        act_ws, band = make_team(WorkspaceKind.ACT, name=f"Act {i}")
        rep = reps.representation_request(actor=w["agency"][Role.OWNER], agency_workspace_id=w["agency_ws"].pk,
                                          act_workspace_id=act_ws.pk)
        if i % 2:
            reps.representation_accept(actor=band[Role.OWNER], workspace_id=act_ws.pk, representation_id=rep.pk)
    agency = client_for(w["agency"][Role.OWNER])
    url = f"/w/{w['agency_ws'].slug}/represented-acts/"
    agency.get(url)  # warm the session
    with django_assert_max_num_queries(14):
        r = agency.get(url)
    assert r.content.decode().count('data-testid="representation-row"') == 6
