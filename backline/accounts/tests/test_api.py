"""Accounts JSON API: workspaces, social links, members, the caller's profile and the audit log.

Invitations have their own file (test_api_invitations.py). Callers authenticate with real access
tokens (``tokens.issue_access_token``); the login endpoint itself is covered in test_tokens.py."""

import pytest
from django.test import Client

from backline.accounts import services
from backline.accounts.models import Membership, Role, Workspace, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.core.models import AuditEntry
from backline.core.places import find_city

PROBLEM = "application/problem+json"
QUERY_BUDGET = 5  # ARCHITECTURE.md §4: list endpoints run a constant number of queries, at most 5


@pytest.fixture
def api():
    """``api(user)`` → a client whose every request carries the user's bearer token (``api(None)``: anonymous)."""

    def build(user):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_access_token(user)[0]}"} if user else {}
        return Client(**headers)

    return build


def send(client, method, path, body=None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


def problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


def fields(body):
    return {e["field"] for e in body["errors"]}


def measure(django_assert_max_num_queries, client, path, expected_count):
    with django_assert_max_num_queries(QUERY_BUDGET) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == expected_count
    return len(queries.captured_queries)


@pytest.fixture
def team(make_team):
    return make_team(WorkspaceKind.PROMOTER)


def member_id(ws, person):
    return Membership.objects.get(workspace=ws, user=person).pk


# --- anonymous ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/workspaces"), ("post", "/api/v1/workspaces"), ("get", "/api/v1/workspaces/1"),
    ("patch", "/api/v1/workspaces/1"), ("put", "/api/v1/workspaces/1/social-links"),
    ("post", "/api/v1/workspaces/1/leave"), ("get", "/api/v1/workspaces/1/members"),
    ("patch", "/api/v1/workspaces/1/members/1"), ("delete", "/api/v1/workspaces/1/members/1"),
    ("get", "/api/v1/workspaces/1/invitations"), ("post", "/api/v1/workspaces/1/invitations"),
    ("post", "/api/v1/invitations/1/resend"), ("post", "/api/v1/invitations/1/revoke"),
    ("get", "/api/v1/me/invitations"), ("get", "/api/v1/me"), ("patch", "/api/v1/me"),
    ("post", "/api/v1/invitations/by-token/00000000-0000-0000-0000-000000000000/accept"),
    ("post", "/api/v1/invitations/by-token/00000000-0000-0000-0000-000000000000/decline"),
    ("get", "/api/v1/workspaces/1/audit"),
])
def test_every_accounts_endpoint_refuses_anonymous_callers(api, db, method, path):
    problem(send(api(None), method, path, {} if method != "get" else None), 401, "not_authenticated")


def test_the_browser_session_also_authenticates(login_client, team):
    ws, people = team
    response = login_client(people[Role.VIEWER]).get("/api/v1/workspaces")
    assert response.status_code == 200
    assert [w["id"] for w in response.json()["items"]] == [ws.pk]


def test_a_session_write_without_the_csrf_token_is_refused(team):
    ws, people = team
    client = Client(enforce_csrf_checks=True)
    client.force_login(people[Role.OWNER])
    response = client.patch(f"/api/v1/workspaces/{ws.pk}", {"name": "Forged"}, content_type="application/json")
    assert "CSRF" in problem(response, 403, "forbidden")["detail"]
    ws.refresh_from_db()
    assert ws.name == "The Testers"
    # With the token (as the htmx pages send it) the same session may write.
    client.get("/me/")  # a page with a form sets the CSRF cookie
    response = client.patch(f"/api/v1/workspaces/{ws.pk}", {"name": "Renamed"}, content_type="application/json",
                            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 200, response.content


# --- workspaces -----------------------------------------------------------------------------------

def test_workspace_list_shows_only_the_callers_workspaces_with_their_role(api, team, make_team):
    ws, people = team
    make_team(WorkspaceKind.AGENCY, name="Someone Else's")
    own = services.workspace_create(actor=people[Role.MEMBER], kind=WorkspaceKind.AGENCY, name="Agency A")

    body = api(people[Role.MEMBER]).get("/api/v1/workspaces").json()

    assert body["count"] == 2
    assert [(w["name"], w["role"]) for w in body["items"]] == [("Agency A", "owner"), ("The Testers", "member")]
    assert body["items"][0]["id"] == own.pk


def test_workspace_list_runs_a_constant_number_of_queries(api, user, django_assert_max_num_queries):
    client = api(user)

    def grow(to):
        for i in range(Workspace.objects.count(), to):
            ws = services.workspace_create(actor=user, kind=WorkspaceKind.PROMOTER, name=f"Promoter {i:02d}")
            services.workspace_set_social_links(actor=user, workspace_id=ws.pk, links=[
                ("other", f"https://p{i}.example/"), ("bandcamp", f"https://p{i}.bandcamp.com/")])

    grow(3)
    few = measure(django_assert_max_num_queries, client, "/api/v1/workspaces", 3)
    grow(30)
    many = measure(django_assert_max_num_queries, client, "/api/v1/workspaces", 30)
    assert few == many
    assert len(client.get("/api/v1/workspaces").json()["items"][0]["social_links"]) == 2


def test_workspace_create_makes_a_promoter_owned_by_the_caller(api, user, berlin):
    response = api(user).post("/api/v1/workspaces", {"kind": "promoter", "name": "Night Owls",
                                                     "geoname_id": berlin.geoname_id, "commission_percent": "12.5"},
                              content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["kind"], body["role"], body["city_name"], body["time_zone"]) == (
        "Night Owls", "promoter", "owner", "Berlin", "Europe/Berlin")
    assert Membership.objects.get(workspace_id=body["id"]).user == user


@pytest.mark.parametrize(("payload", "field"), [
    ({"kind": "act", "name": "Band"}, "kind"),                          # acts come from POST /acts
    ({"kind": "promoter", "name": ""}, "name"),                         # schema
    ({"kind": "promoter"}, "name"),                                     # schema: missing
    ({"kind": "promoter", "name": "X", "geoname_id": 1}, "city"),       # service Invalid
    ({"kind": "agency", "name": "X", "commission_percent": 150}, "commission_percent"),
    ({"kind": "promoter", "name": "X", "contact_email": "nope"}, "contact_email"),
])
def test_workspace_create_answers_bad_input_with_a_422_listing_the_field(api, user, payload, field):
    body = problem(api(user).post("/api/v1/workspaces", payload, content_type="application/json"), 422,
                   "validation_error")
    assert field in fields(body)
    assert all(set(e) == {"field", "message"} and e["message"] for e in body["errors"])
    assert not Workspace.objects.exists()


def test_workspace_detail_is_for_members_only(api, team, user):
    ws, people = team
    body = api(people[Role.VIEWER]).get(f"/api/v1/workspaces/{ws.pk}").json()
    assert (body["id"], body["role"], body["slug"]) == (ws.pk, "viewer", "the-testers")
    problem(api(user).get(f"/api/v1/workspaces/{ws.pk}"), 404, "not_found")
    problem(api(user).get("/api/v1/workspaces/999999"), 404, "not_found")


def test_workspace_patch_changes_fields_and_city(api, team):
    ws, people = team
    lisbon = find_city("Lisbon", "PT")
    response = api(people[Role.ADMIN]).patch(f"/api/v1/workspaces/{ws.pk}", {
        "name": "Night Owls Lisboa", "geoname_id": lisbon.geoname_id, "bio": "Shows by the river"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["city_name"], body["time_zone"], body["bio"]) == (
        "Night Owls Lisboa", "Lisbon", "Europe/Lisbon", "Shows by the river")
    assert AuditEntry.objects.get(action="workspace.updated").after["name"] == "Night Owls Lisboa"


def test_workspace_patch_with_an_explicit_null_city_clears_it(api, team):
    ws, people = team
    body = api(people[Role.OWNER]).patch(f"/api/v1/workspaces/{ws.pk}", {"geoname_id": None},
                                         content_type="application/json").json()
    assert (body["geoname_id"], body["city_name"]) == (None, "")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEMBER, Role.VIEWER])
def test_workspace_patch_needs_workspace_edit(api, team, role):
    ws, people = team
    problem(api(people[role]).patch(f"/api/v1/workspaces/{ws.pk}", {"name": "X"}, content_type="application/json"),
            403, "forbidden")
    ws.refresh_from_db()
    assert ws.name == "The Testers"


def test_workspace_patch_of_a_foreign_workspace_is_a_404(api, team, user):
    ws, _ = team
    problem(api(user).patch(f"/api/v1/workspaces/{ws.pk}", {"name": "X"}, content_type="application/json"), 404)


@pytest.mark.parametrize(("payload", "field"), [
    ({"name": ""}, "name"), ({"time_zone": "Mars/Base"}, "time_zone"), ({"website": "nope"}, "website"),
    ({"geoname_id": 12}, "city"), ({"currency": "EURO"}, "currency")])
def test_workspace_patch_refuses_bad_input_with_422_and_changes_nothing(api, team, payload, field):
    ws, people = team
    body = problem(api(people[Role.OWNER]).patch(f"/api/v1/workspaces/{ws.pk}", payload,
                                                 content_type="application/json"), 422, "validation_error")
    assert field in fields(body)
    ws.refresh_from_db()
    assert (ws.name, ws.time_zone, ws.website, ws.currency) == ("The Testers", "Europe/Berlin", "", "EUR")


def test_social_links_are_replaced_and_validated(api, team):
    ws, people = team
    client = api(people[Role.ADMIN])
    path = f"/api/v1/workspaces/{ws.pk}/social-links"
    ok = client.put(path, {"links": [{"platform": "spotify", "url": "https://open.spotify.com/artist/1"}]},
                    content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["social_links"] == [{"platform": "spotify", "url": "https://open.spotify.com/artist/1"}]

    bad = client.put(path, {"links": [{"platform": "instagram", "url": "https://instagram.com/owls"},
                                      {"platform": "spotify", "url": "https://evil.example/spotify"}]},
                     content_type="application/json")
    body = problem(bad, 422, "validation_error")
    assert fields(body) == {"links[1]"}
    assert "open.spotify.com" in body["errors"][0]["message"]
    assert list(ws.social_links.values_list("url", flat=True)) == ["https://open.spotify.com/artist/1"]
    problem(api(people[Role.MEMBER]).put(path, {"links": []}, content_type="application/json"), 403)
    assert ws.social_links.count() == 1


def test_leave_removes_the_caller_but_not_the_last_owner(api, team):
    ws, people = team
    assert api(people[Role.VIEWER]).post(f"/api/v1/workspaces/{ws.pk}/leave").status_code == 204
    assert not Membership.objects.filter(workspace=ws, user=people[Role.VIEWER]).exists()
    problem(api(people[Role.OWNER]).post(f"/api/v1/workspaces/{ws.pk}/leave"), 409, "last_owner")
    problem(api(people[Role.VIEWER]).post(f"/api/v1/workspaces/{ws.pk}/leave"), 404)


# --- members --------------------------------------------------------------------------------------

def test_member_list_shows_people_and_roles(api, team):
    ws, people = team
    body = api(people[Role.VIEWER]).get(f"/api/v1/workspaces/{ws.pk}/members").json()
    assert body["count"] == 5
    assert {(m["email"], m["role"]) for m in body["items"]} == {(u.email, r) for r, u in people.items()}
    assert {m["id"] for m in body["items"]} == set(Membership.objects.filter(workspace=ws).values_list("pk", flat=True))


def test_member_list_runs_a_constant_number_of_queries(api, team, make_user, django_assert_max_num_queries):
    ws, people = team
    owner, client = people[Role.OWNER], api(people[Role.MEMBER])

    def grow(to):
        while Membership.objects.filter(workspace=ws).count() < to:
            person = make_user()
            invitation = services.invitation_create(actor=owner, workspace_id=ws.pk, email=person.email, role="viewer")
            services.invitation_accept(user=person, token=invitation.token)

    few = measure(django_assert_max_num_queries, client, f"/api/v1/workspaces/{ws.pk}/members", 5)
    grow(30)
    many = measure(django_assert_max_num_queries, client, f"/api/v1/workspaces/{ws.pk}/members", 30)
    assert few == many


def test_member_list_is_hidden_from_agency_performers_and_strangers(api, make_team, user):
    ws, people = make_team(WorkspaceKind.AGENCY)
    problem(api(people[Role.PERFORMER]).get(f"/api/v1/workspaces/{ws.pk}/members"), 403, "forbidden")
    problem(api(user).get(f"/api/v1/workspaces/{ws.pk}/members"), 404, "not_found")


def test_member_patch_changes_the_role(api, team):
    ws, people = team
    target = member_id(ws, people[Role.VIEWER])
    response = api(people[Role.ADMIN]).patch(f"/api/v1/workspaces/{ws.pk}/members/{target}", {"role": "member"},
                                             content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["role"]) == (target, "member")
    assert Membership.objects.get(pk=target).role == Role.MEMBER


@pytest.mark.parametrize(("actor", "target", "role", "status", "code"), [
    (Role.ADMIN, Role.MEMBER, "owner", 403, "forbidden"),
    (Role.COORDINATOR, Role.VIEWER, "member", 403, "forbidden"),
    (Role.OWNER, Role.OWNER, "admin", 409, "last_owner"),
    (Role.OWNER, Role.MEMBER, "performer", 422, "validation_error"),
])
def test_member_patch_refusals(api, team, actor, target, role, status, code):
    ws, people = team
    target_id = member_id(ws, people[target])
    problem(api(people[actor]).patch(f"/api/v1/workspaces/{ws.pk}/members/{target_id}", {"role": role},
                                     content_type="application/json"), status, code)
    assert Membership.objects.get(pk=target_id).role == target


def test_members_cannot_be_reached_through_another_workspace(api, team, make_team):
    ws, people = team
    other_ws, other_people = make_team(WorkspaceKind.PROMOTER, name="Other")
    stranger = member_id(other_ws, other_people[Role.MEMBER])
    client = api(people[Role.OWNER])
    problem(client.patch(f"/api/v1/workspaces/{ws.pk}/members/{stranger}", {"role": "viewer"},
                         content_type="application/json"), 404)
    problem(client.delete(f"/api/v1/workspaces/{ws.pk}/members/{stranger}"), 404)
    problem(client.delete(f"/api/v1/workspaces/{other_ws.pk}/members/{stranger}"), 404)
    assert Membership.objects.get(pk=stranger).role == Role.MEMBER


def test_member_delete_removes_the_member_but_not_the_last_owner(api, team):
    ws, people = team
    client = api(people[Role.OWNER])
    assert client.delete(f"/api/v1/workspaces/{ws.pk}/members/{member_id(ws, people[Role.MEMBER])}").status_code == 204
    assert not Membership.objects.filter(workspace=ws, user=people[Role.MEMBER]).exists()
    problem(client.delete(f"/api/v1/workspaces/{ws.pk}/members/{member_id(ws, people[Role.OWNER])}"), 409, "last_owner")
    viewer = member_id(ws, people[Role.VIEWER])
    problem(api(people[Role.COORDINATOR]).delete(f"/api/v1/workspaces/{ws.pk}/members/{viewer}"), 403)
    assert Membership.objects.filter(pk=viewer).exists()


# --- the caller's profile -------------------------------------------------------------------------

def test_me_returns_and_updates_the_callers_profile(api, make_user):
    person = make_user(name="Ada", time_zone="Europe/Berlin")
    client = api(person)
    assert client.get("/api/v1/me").json()["email"] == person.email
    response = client.patch("/api/v1/me", {"name": "Ada L.", "time_zone": "Asia/Tokyo"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["time_zone"], response.json()["pronouns"]) == (
        "Ada L.", "Asia/Tokyo", "")
    person.refresh_from_db()
    assert person.time_zone == "Asia/Tokyo"


@pytest.mark.parametrize(("payload", "field"), [({"time_zone": "Europe/Atlantis"}, "time_zone"),
                                                ({"name": "x" * 121}, "name")])
def test_me_patch_refuses_bad_input_with_422(api, make_user, payload, field):
    person = make_user(name="Ada", time_zone="Europe/Berlin")
    body = problem(api(person).patch("/api/v1/me", payload, content_type="application/json"), 422, "validation_error")
    assert fields(body) == {field}
    person.refresh_from_db()
    assert (person.name, person.time_zone) == ("Ada", "Europe/Berlin")


# --- audit log ------------------------------------------------------------------------------------

def test_audit_list_shows_the_workspace_history_newest_first_and_filters(api, team):
    ws, people = team
    services.workspace_update(actor=people[Role.OWNER], workspace_id=ws.pk, name="Renamed")
    client = api(people[Role.ADMIN])

    items = client.get(f"/api/v1/workspaces/{ws.pk}/audit").json()["items"]
    assert items[0]["action"] == "workspace.updated" and items[0]["actor"] == people[Role.OWNER].email
    assert (items[0]["before"]["name"], items[0]["after"]["name"]) == ("The Testers", "Renamed")
    assert items[-1]["action"] == "workspace.created"
    assert {e["action"] for e in items} >= {"invitation.created", "invitation.accepted", "membership.created"}

    only_ws = client.get(f"/api/v1/workspaces/{ws.pk}/audit?object_type=workspace&object_id={ws.pk}").json()
    assert [e["action"] for e in only_ws["items"]] == ["workspace.updated", "workspace.created"]
    assert {e["object_type"] for e in only_ws["items"]} == {"workspace"}


def test_audit_list_is_for_owners_and_admins(api, team, user):
    ws, people = team
    for role in (Role.COORDINATOR, Role.MEMBER, Role.VIEWER):
        problem(api(people[role]).get(f"/api/v1/workspaces/{ws.pk}/audit"), 403, "forbidden")
    problem(api(user).get(f"/api/v1/workspaces/{ws.pk}/audit"), 404)


def test_audit_list_runs_a_constant_number_of_queries(api, user, django_assert_max_num_queries):
    ws = services.workspace_create(actor=user, kind=WorkspaceKind.PROMOTER, name="P0")
    client, path = api(user), f"/api/v1/workspaces/{ws.pk}/audit"
    services.workspace_update(actor=user, workspace_id=ws.pk, name="P1")
    few = measure(django_assert_max_num_queries, client, path, 3)
    for i in range(2, 29):
        services.workspace_update(actor=user, workspace_id=ws.pk, name=f"P{i}")
    many = measure(django_assert_max_num_queries, client, path, 30)
    assert few == many
