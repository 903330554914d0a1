"""Venues and stages through the JSON API."""

import pytest
from django.test import Client

from backline.accounts.models import Role, Workspace, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.core.places import find_city
from backline.venues import services
from backline.venues.models import Stage, Venue

PROBLEM = "application/problem+json"
QUERY_BUDGET = 5  # ARCHITECTURE.md §4


@pytest.fixture
def api():
    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}") if user else Client()

    return build


@pytest.fixture
def club(make_team):
    ws, people = make_team(WorkspaceKind.VENUE)
    return ws, people, Venue.objects.get(workspace=ws)


def problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    if code:
        assert body["code"] == code
    return body


def fields(body):
    return {e["field"] for e in body["errors"]}


def json(client, method, path, body):
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/v1/venues"), ("get", "/api/v1/workspaces/1/venues"), ("post", "/api/v1/workspaces/1/venues"),
    ("get", "/api/v1/venues/1"), ("patch", "/api/v1/venues/1"), ("post", "/api/v1/venues/1/stages"),
    ("delete", "/api/v1/venues/1/stages/1"),
])
def test_every_venue_endpoint_refuses_anonymous_callers(api, db, method, path):
    client = api(None)
    response = client.get(path) if method == "get" else json(client, method, path, {})
    problem(response, 401, "not_authenticated")


# --- venue workspaces and venues ------------------------------------------------------------------

def test_post_venues_creates_a_venue_workspace_owned_by_the_caller(api, user, berlin):
    response = json(api(user), "post", "/api/v1/venues", {"name": "Lido", "capacity": 450,
                                                          "geoname_id": berlin.geoname_id, "postal_code": "10997"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["capacity"], body["city_name"], body["time_zone"], body["postal_code"]) == (
        "Lido", 450, "Berlin", "Europe/Berlin", "10997")
    assert body["stages"] == [{"id": Stage.objects.get().pk, "name": "Main room", "capacity": 450}]
    ws = Workspace.objects.get(pk=body["workspace_id"])
    assert ws.kind == "venue" and ws.memberships.get().user == user


@pytest.mark.parametrize(("payload", "field"), [
    ({"name": "Lido", "capacity": 0}, "capacity"),
    ({"name": "Lido", "capacity": 200_001}, "capacity"),
    ({"name": "Lido", "capacity": "lots"}, "capacity"),
    ({"name": "", "capacity": 10}, "name"),
    ({"name": "Lido", "capacity": 10, "geoname_id": 999_999_999}, "city"),
    ({"name": "Lido", "capacity": 10, "website": "nope"}, "website"),
])
def test_post_venues_answers_bad_input_with_422(api, user, berlin, payload, field):
    payload = {"geoname_id": berlin.geoname_id, **payload}
    body = problem(json(api(user), "post", "/api/v1/venues", payload), 422, "validation_error")
    assert field in fields(body)
    assert not Workspace.objects.exists() and not Venue.objects.exists()


def test_post_venues_requires_a_city(api, user):
    body = problem(json(api(user), "post", "/api/v1/venues", {"name": "Lido", "capacity": 10}), 422)
    assert fields(body) == {"geoname_id"}


def test_venue_list_shows_the_workspaces_venues_with_stages(api, club, berlin):
    ws, people, venue = club
    services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name="Bar", capacity=40)
    services.venue_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Annex", capacity=80,
                          geoname_id=berlin.geoname_id)
    body = api(people[Role.VIEWER]).get(f"/api/v1/workspaces/{ws.pk}/venues").json()
    assert body["count"] == 2
    assert [(v["name"], [s["name"] for s in v["stages"]]) for v in body["items"]] == [
        ("Annex", ["Main room"]), ("The Testers", ["Main room", "Bar"])]


def test_venue_list_runs_a_constant_number_of_queries(api, make_team, berlin, django_assert_max_num_queries):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    client, path = api(people[Role.VIEWER]), f"/api/v1/workspaces/{ws.pk}/venues"

    def grow(to):
        for i in range(Venue.objects.filter(workspace=ws).count(), to):
            venue = services.venue_create(actor=people[Role.OWNER], workspace_id=ws.pk, name=f"Venue {i:02d}",
                                          capacity=200, geoname_id=berlin.geoname_id)
            services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name="Side", capacity=50)

    def run(expected):
        with django_assert_max_num_queries(QUERY_BUDGET) as queries:
            response = client.get(path)
        assert response.json()["count"] == expected
        assert all(len(v["stages"]) == 2 for v in response.json()["items"])
        return len(queries.captured_queries)

    grow(3)
    few = run(3)
    grow(30)
    assert run(30) == few


def test_venue_list_of_a_foreign_workspace_is_a_404(api, club, user):
    ws, _, _ = club
    problem(api(user).get(f"/api/v1/workspaces/{ws.pk}/venues"), 404, "not_found")


def test_post_workspace_venues_adds_a_venue(api, club):
    ws, people, _ = club
    hamburg = find_city("Hamburg", "DE")
    response = json(api(people[Role.COORDINATOR]), "post", f"/api/v1/workspaces/{ws.pk}/venues",
                    {"name": "Hafenklang", "capacity": 400, "geoname_id": hamburg.geoname_id})
    assert response.status_code == 201, response.content
    assert (response.json()["workspace_id"], response.json()["city_name"]) == (ws.pk, "Hamburg")
    assert Venue.objects.filter(workspace=ws).count() == 2


def test_post_workspace_venues_refusals(api, club, make_team, berlin, user):
    ws, people, _ = club
    payload = {"name": "Annex", "capacity": 80, "geoname_id": berlin.geoname_id}
    problem(json(api(people[Role.MEMBER]), "post", f"/api/v1/workspaces/{ws.pk}/venues", payload), 403, "forbidden")
    problem(json(api(user), "post", f"/api/v1/workspaces/{ws.pk}/venues", payload), 404)
    act_ws, act_people = make_team(WorkspaceKind.ACT, name="Band")
    problem(json(api(act_people[Role.OWNER]), "post", f"/api/v1/workspaces/{act_ws.pk}/venues", payload), 404)
    assert Venue.objects.count() == 1


def test_venue_detail_and_patch(api, club):
    _, people, venue = club
    assert api(people[Role.VIEWER]).get(f"/api/v1/venues/{venue.pk}").json()["name"] == "The Testers"
    lisbon = find_city("Lisbon", "PT")
    response = json(api(people[Role.ADMIN]), "patch", f"/api/v1/venues/{venue.pk}",
                    {"capacity": 350, "geoname_id": lisbon.geoname_id, "description": "By the river"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["capacity"], body["city_name"], body["time_zone"], body["description"], body["name"]) == (
        350, "Lisbon", "Europe/Lisbon", "By the river", "The Testers")


def test_venue_detail_and_patch_refusals(api, club, make_team, user):
    _, people, venue = club
    problem(api(user).get(f"/api/v1/venues/{venue.pk}"), 404, "not_found")
    problem(api(user).get("/api/v1/venues/999999"), 404, "not_found")
    problem(json(api(user), "patch", f"/api/v1/venues/{venue.pk}", {"name": "Mine"}), 404)
    problem(json(api(people[Role.MEMBER]), "patch", f"/api/v1/venues/{venue.pk}", {"name": "Mine"}), 403, "forbidden")
    body = problem(json(api(people[Role.OWNER]), "patch", f"/api/v1/venues/{venue.pk}", {"capacity": 0}), 422)
    assert fields(body) == {"capacity"}
    body = problem(json(api(people[Role.OWNER]), "patch", f"/api/v1/venues/{venue.pk}", {"geoname_id": 5}), 422)
    assert fields(body) == {"city"}
    venue.refresh_from_db()
    assert (venue.name, venue.capacity, venue.city_name) == ("The Testers", 300, "Berlin")


# --- stages ---------------------------------------------------------------------------------------

def test_stage_add_and_remove(api, club):
    _, people, venue = club
    client = api(people[Role.COORDINATOR])
    added = json(client, "post", f"/api/v1/venues/{venue.pk}/stages", {"name": "Bar", "capacity": 40})
    assert added.status_code == 201, added.content
    assert (added.json()["name"], added.json()["capacity"]) == ("Bar", 40)
    assert client.delete(f"/api/v1/venues/{venue.pk}/stages/{added.json()['id']}").status_code == 204
    assert list(venue.stages.values_list("name", flat=True)) == ["Main room"]


def test_stage_refusals(api, club, make_team):
    ws, people, venue = club
    other_ws, _ = make_team(WorkspaceKind.VENUE, name="Other")
    foreign_stage = Stage.objects.get(venue__workspace=other_ws)
    main = venue.stages.get()
    owner, member = api(people[Role.OWNER]), api(people[Role.MEMBER])
    base = f"/api/v1/venues/{venue.pk}/stages"

    body = problem(json(owner, "post", base, {"name": "Arena", "capacity": 301}), 422, "validation_error")
    assert fields(body) == {"capacity"}
    problem(json(owner, "post", base, {"name": "Main room", "capacity": 10}), 409, "stage_exists")
    problem(json(owner, "post", base, {"name": "", "capacity": 10}), 422)
    problem(json(member, "post", base, {"name": "Mine", "capacity": 10}), 403, "forbidden")
    problem(owner.delete(f"{base}/{main.pk}"), 409, "last_stage")
    problem(member.delete(f"{base}/{main.pk}"), 403, "forbidden")
    # Another venue's stage is not reachable through this venue's URL, nor that venue's own URL.
    problem(owner.delete(f"{base}/{foreign_stage.pk}"), 404)
    problem(owner.delete(f"/api/v1/venues/{foreign_stage.venue_id}/stages/{foreign_stage.pk}"), 404)
    assert Stage.objects.filter(pk__in=[main.pk, foreign_stage.pk]).count() == 2
    assert venue.stages.count() == 1
