"""Acts, line-ups, agency performers, genres and the city search through the JSON API."""

import pytest
from django.test import Client

from backline.accounts import services as accounts
from backline.accounts.models import Role, Workspace, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists import services
from backline.artists.genres import GENRES
from backline.artists.models import Act, ActMember, Performer

PROBLEM = "application/problem+json"


@pytest.fixture
def api():
    """``api(user)`` → a client sending the user's bearer token (``api(None)``: anonymous)."""

    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}") if user else Client()

    return build


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT)


@pytest.fixture
def agency(make_team):
    return make_team(WorkspaceKind.AGENCY)


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


def measure(django_assert_max_num_queries, budget, client, path, expected_count):
    with django_assert_max_num_queries(budget) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == expected_count
    return len(queries.captured_queries)


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/genres"), ("get", "/api/v1/places/cities?q=berl"), ("post", "/api/v1/acts"),
    ("get", "/api/v1/acts/1"), ("patch", "/api/v1/acts/1"), ("get", "/api/v1/acts/1/members"),
    ("post", "/api/v1/acts/1/members"), ("patch", "/api/v1/acts/1/members/1"), ("delete", "/api/v1/acts/1/members/1"),
    ("get", "/api/v1/agencies/1/performers"), ("post", "/api/v1/agencies/1/performers"),
    ("patch", "/api/v1/agencies/1/performers/1"), ("put", "/api/v1/agencies/1/performers/1/user"),
])
def test_every_artists_endpoint_refuses_anonymous_callers(api, db, method, path):
    client = api(None)
    response = client.get(path) if method == "get" else json(client, method, path, {})
    problem(response, 401, "not_authenticated")


# --- genres and places ----------------------------------------------------------------------------

def test_genres_lists_the_fixed_list_and_filters_by_name(api, user, django_assert_max_num_queries):
    client = api(user)
    with django_assert_max_num_queries(2):
        everything = client.get("/api/v1/genres").json()
    assert len(everything) == len(GENRES)
    assert {"slug": "post-punk", "name": "Post-punk"} in everything
    assert [g["slug"] for g in client.get("/api/v1/genres?q=PUNK").json()] == ["pop-punk", "post-punk", "punk"]
    assert client.get("/api/v1/genres?q=zzz").json() == []


def test_city_search_puts_berlin_first_with_its_time_zone(api, user, berlin, django_assert_max_num_queries):
    client = api(user)
    with django_assert_max_num_queries(1):  # the gazetteer is in memory; only the caller is looked up
        cities = client.get("/api/v1/places/cities?q=berl").json()
    assert cities[0]["name"] == "Berlin" and cities[0]["country_code"] == "DE"
    assert cities[0]["time_zone"] == "Europe/Berlin" and cities[0]["geoname_id"] == berlin.geoname_id
    assert cities[0]["label"] == "Berlin, Germany"


def test_city_labels_name_the_state_only_where_a_country_has_two_cities_of_that_name(api, user):
    client = api(user)
    springfields = [c["label"] for c in client.get("/api/v1/places/cities?q=springfield, US&limit=25").json()
                    if c["name"] == "Springfield"]
    assert "Springfield, Illinois, United States" in springfields
    assert "Springfield, Missouri, United States" in springfields
    assert len(set(springfields)) == len(springfields) > 1
    paris = client.get("/api/v1/places/cities?q=paris, FR").json()[0]
    assert paris["label"] == "Paris, France" and "Europe" not in paris["label"]


def test_city_search_narrows_by_country_limits_and_ignores_one_letter(api, user):
    client = api(user)
    assert {c["country_code"] for c in client.get("/api/v1/places/cities?q=san, ES").json()} == {"ES"}
    assert len(client.get("/api/v1/places/cities?q=sa&limit=500").json()) == 25
    assert len(client.get("/api/v1/places/cities?q=sa&limit=3").json()) == 3
    assert client.get("/api/v1/places/cities?q=b").json() == []
    assert client.get("/api/v1/places/cities?q=K%C3%B6ln").json()[0]["country_code"] == "DE"


# --- acts -----------------------------------------------------------------------------------------

def test_act_create_returns_the_act_and_makes_the_caller_owner(api, user, berlin):
    response = json(api(user), "post", "/api/v1/acts", {
        "name": "The Foxes", "act_type": "duo", "genres": ["indie-rock", "folk"], "geoname_id": berlin.geoname_id,
        "instruments": "vocals"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["act_type"], body["city_name"], body["time_zone"]) == ("The Foxes", "duo", "Berlin",
                                                                                     "Europe/Berlin")
    assert body["genres"] == [{"slug": "folk", "name": "Folk"}, {"slug": "indie-rock", "name": "Indie rock"}]
    ws = Workspace.objects.get(pk=body["workspace_id"])
    assert ws.memberships.get().user == user
    assert ActMember.objects.get(act__workspace=ws).instruments == "vocals"


@pytest.mark.parametrize(("payload", "field"), [
    ({"name": "X", "genres": ["rock", "mumble-core"]}, "genres"),
    ({"name": "X", "genres": ["rock", "punk", "jazz", "funk", "soul", "ska"]}, "genres"),
    ({"name": "X", "act_type": "orchestra"}, "act_type"),
    ({"name": ""}, "name"),
    ({"name": "X", "genres": "rock"}, "genres"),
    ({"name": "X", "geoname_id": 1}, "city"),
])
def test_act_create_answers_bad_input_with_422(api, user, payload, field):
    body = problem(json(api(user), "post", "/api/v1/acts", payload), 422, "validation_error")
    assert field in fields(body)
    assert not Act.objects.exists() and not Workspace.objects.exists()


def test_act_detail_and_patch(api, band):
    ws, people = band
    assert api(people[Role.VIEWER]).get(f"/api/v1/acts/{ws.pk}").json()["name"] == "The Testers"
    response = json(api(people[Role.ADMIN]), "patch", f"/api/v1/acts/{ws.pk}",
                    {"genres": ["jazz"], "formed_year": 1999})
    assert response.status_code == 200
    assert (response.json()["formed_year"], response.json()["genres"]) == (1999, [{"slug": "jazz", "name": "Jazz"}])
    assert response.json()["act_type"] == "band"  # untouched


def test_act_detail_and_patch_refusals(api, band, make_team, user):
    ws, people = band
    problem(api(user).get(f"/api/v1/acts/{ws.pk}"), 404)
    problem(json(api(user), "patch", f"/api/v1/acts/{ws.pk}", {"act_type": "duo"}), 404)
    problem(json(api(people[Role.COORDINATOR]), "patch", f"/api/v1/acts/{ws.pk}", {"act_type": "duo"}), 403, "forbidden")
    body = problem(json(api(people[Role.OWNER]), "patch", f"/api/v1/acts/{ws.pk}", {"formed_year": 3000}), 422)
    assert fields(body) == {"formed_year"}
    promoter, promoter_people = make_team(WorkspaceKind.PROMOTER, name="Promo")
    problem(api(promoter_people[Role.OWNER]).get(f"/api/v1/acts/{promoter.pk}"), 404)
    act = Act.objects.get(workspace=ws)
    assert (act.act_type, act.formed_year) == ("band", None)


# --- line-up --------------------------------------------------------------------------------------

def test_line_up_list_shows_the_members(api, band):
    ws, people = band
    body = api(people[Role.VIEWER]).get(f"/api/v1/acts/{ws.pk}/members").json()
    assert body["count"] == 4
    assert {m["user_id"] for m in body["items"]} == {people[r].pk for r in
                                                     (Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER)}


def test_line_up_list_runs_a_constant_number_of_queries(api, band, django_assert_max_num_queries):
    ws, people = band
    client, path = api(people[Role.MEMBER]), f"/api/v1/acts/{ws.pk}/members"
    # 6 = caller, membership, act, its genres (fetched by the shared act lookup), count, page.
    few = measure(django_assert_max_num_queries, 6, client, path, 4)
    for i in range(26):
        services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name=f"Sub {i}", email=f"s{i}@example.org")
    many = measure(django_assert_max_num_queries, 6, client, path, 30)
    assert few == many


def test_line_up_list_is_hidden_from_strangers(api, band, user):
    ws, _ = band
    problem(api(user).get(f"/api/v1/acts/{ws.pk}/members"), 404)


def test_line_up_add_update_remove(api, band):
    ws, people = band
    client = api(people[Role.COORDINATOR])
    added = json(client, "post", f"/api/v1/acts/{ws.pk}/members", {"name": "Sam", "email": "Sam@Example.org",
                                                                   "instruments": "drums"})
    assert added.status_code == 201, added.content
    sam = added.json()
    assert (sam["email"], sam["user_id"], sam["is_optional"]) == ("sam@example.org", None, False)

    updated = json(client, "patch", f"/api/v1/acts/{ws.pk}/members/{sam['id']}", {"is_optional": True})
    assert updated.status_code == 200
    assert (updated.json()["is_optional"], updated.json()["instruments"]) == (True, "drums")

    assert client.delete(f"/api/v1/acts/{ws.pk}/members/{sam['id']}").status_code == 204
    assert not ActMember.objects.filter(pk=sam["id"]).exists()


def test_line_up_refusals(api, band, make_team):
    ws, people = band
    other_ws, _ = make_team(WorkspaceKind.ACT, name="Other Band")
    foreign = ActMember.objects.filter(act__workspace=other_ws).first()
    sam = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam", email="sam@example.org")
    kim = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Kim", email="kim@example.org")
    owner, member = api(people[Role.OWNER]), api(people[Role.MEMBER])
    base = f"/api/v1/acts/{ws.pk}/members"

    problem(json(owner, "post", base, {"name": "Sam 2", "email": "SAM@example.org"}), 409, "member_exists")
    problem(json(owner, "patch", f"{base}/{kim.pk}", {"email": "sam@example.org"}), 409, "member_exists")
    problem(json(owner, "post", base, {"name": "X", "email": "not-an-email"}), 422, "validation_error")
    problem(json(member, "post", base, {"name": "X"}), 403, "forbidden")
    problem(json(member, "patch", f"{base}/{sam.pk}", {"name": "X"}), 403, "forbidden")
    problem(member.delete(f"{base}/{sam.pk}"), 403, "forbidden")
    # Another act's line-up entry is not reachable through this act's URL.
    problem(json(owner, "patch", f"{base}/{foreign.pk}", {"name": "X"}), 404)
    problem(owner.delete(f"{base}/{foreign.pk}"), 404)
    assert ActMember.objects.filter(pk=foreign.pk).exists()
    assert ActMember.objects.get(pk=kim.pk).email == "kim@example.org"
    assert ActMember.objects.filter(act__workspace=ws).count() == 6


# --- agency performers ----------------------------------------------------------------------------

def test_performer_create_update_and_list(api, agency):
    ws, people = agency
    client = api(people[Role.COORDINATOR])
    created = json(client, "post", f"/api/v1/agencies/{ws.pk}/performers", {"name": "Rosa", "skills": "violin"})
    assert created.status_code == 201, created.content
    rosa = created.json()
    json(client, "post", f"/api/v1/agencies/{ws.pk}/performers", {"name": "Abe"})
    updated = json(client, "patch", f"/api/v1/agencies/{ws.pk}/performers/{rosa['id']}", {"is_active": False})
    assert updated.status_code == 200 and updated.json()["is_active"] is False

    listed = client.get(f"/api/v1/agencies/{ws.pk}/performers").json()
    assert [p["name"] for p in listed["items"]] == ["Abe", "Rosa"]
    inactive = client.get(f"/api/v1/agencies/{ws.pk}/performers?active=false").json()
    assert [p["name"] for p in inactive["items"]] == ["Rosa"]


def test_performer_list_runs_a_constant_number_of_queries(api, agency, django_assert_max_num_queries):
    ws, people = agency
    client, path = api(people[Role.VIEWER]), f"/api/v1/agencies/{ws.pk}/performers"

    def grow(to):
        for i in range(Performer.objects.count(), to):
            performer = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name=f"P{i:02d}")
            if i == 0:
                services.performer_link_user(actor=people[Role.OWNER], performer_id=performer.pk,
                                             user_id=people[Role.PERFORMER].pk)

    grow(3)
    few = measure(django_assert_max_num_queries, 5, client, path, 3)
    grow(30)
    many = measure(django_assert_max_num_queries, 5, client, path, 30)
    assert few == many


def test_performer_endpoints_refusals(api, agency, band, user):
    ws, people = agency
    act_ws, act_people = band
    rosa = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    base = f"/api/v1/agencies/{ws.pk}/performers"
    problem(api(people[Role.PERFORMER]).get(base), 403, "forbidden")  # the portal, not the books
    problem(json(api(people[Role.MEMBER]), "post", base, {"name": "X"}), 403, "forbidden")
    problem(json(api(people[Role.MEMBER]), "patch", f"{base}/{rosa.pk}", {"name": "X"}), 403, "forbidden")
    problem(api(user).get(base), 404)
    problem(api(act_people[Role.OWNER]).get(f"/api/v1/agencies/{act_ws.pk}/performers"), 404)
    problem(json(api(act_people[Role.OWNER]), "post", f"/api/v1/agencies/{act_ws.pk}/performers", {"name": "X"}), 404)
    problem(json(api(people[Role.OWNER]), "post", base, {"name": ""}), 422, "validation_error")
    assert Performer.objects.count() == 1


def test_performer_link_user_endpoint(api, agency, make_team, user):
    ws, people = agency
    rosa = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    other = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Other")
    client, base = api(people[Role.ADMIN]), f"/api/v1/agencies/{ws.pk}/performers"
    performer_id = people[Role.PERFORMER].pk

    linked = json(client, "put", f"{base}/{rosa.pk}/user", {"user_id": performer_id})
    assert linked.status_code == 200 and linked.json()["user_id"] == performer_id
    body = problem(json(client, "put", f"{base}/{other.pk}/user", {"user_id": performer_id}), 409, "performer_linked")
    assert body["conflicting"] == {"type": "performer", "id": rosa.pk}
    body = problem(json(client, "put", f"{base}/{other.pk}/user", {"user_id": user.pk}), 422, "validation_error")
    assert fields(body) == {"user"}
    assert json(client, "put", f"{base}/{rosa.pk}/user", {"user_id": None}).json()["user_id"] is None

    other_agency, other_people = make_team(WorkspaceKind.AGENCY, name="Rival")
    foreign = services.performer_create(actor=other_people[Role.OWNER], workspace_id=other_agency.pk, name="Theirs")
    problem(json(client, "put", f"{base}/{foreign.pk}/user", {"user_id": performer_id}), 404)
    problem(json(client, "patch", f"{base}/{foreign.pk}", {"name": "Mine"}), 404)
    assert Performer.objects.get(pk=foreign.pk).user is None


def test_joining_an_act_through_the_api_links_the_line_up(api, band, make_user, django_capture_on_commit_callbacks):
    ws, people = band
    entry = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Newbie", email="n@example.org")
    newbie = make_user(email="n@example.org")
    invitation = accounts.invitation_create(actor=people[Role.OWNER], workspace_id=ws.pk, email=newbie.email,
                                            role="member")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(newbie).post(f"/api/v1/invitations/by-token/{invitation.token}/accept")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.user == newbie
