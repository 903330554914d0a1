"""Invitations through the JSON API: list, create, resend, revoke, the invitee's inbox, accept, decline."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from backline.accounts import services
from backline.accounts.models import Invitation, InvitationStatus, Membership, Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token

PROBLEM = "application/problem+json"
QUERY_BUDGET = 5  # ARCHITECTURE.md §4


@pytest.fixture
def api():
    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")

    return build


@pytest.fixture
def team(make_team):
    return make_team(WorkspaceKind.PROMOTER)


@pytest.fixture
def invite(team):
    ws, people = team

    def build(email, role=Role.MEMBER, workspace=None, actor=None):
        return services.invitation_create(actor=actor or people[Role.OWNER], workspace_id=(workspace or ws).pk,
                                          email=email, role=role)

    return build


def problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    if code:
        assert body["code"] == code
    return body


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def measure(django_assert_max_num_queries, client, path, expected_count):
    with django_assert_max_num_queries(QUERY_BUDGET) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == expected_count
    return len(queries.captured_queries)


# --- the workspace's side -------------------------------------------------------------------------

def test_invitation_create_returns_201_and_sends_the_email(api, team, django_capture_on_commit_callbacks):
    ws, people = team
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api(people[Role.ADMIN]), f"/api/v1/workspaces/{ws.pk}/invitations",
                        {"email": "New@Example.org", "role": "coordinator"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["role"], body["status"], body["sent_count"], body["workspace_id"]) == (
        "new@example.org", "coordinator", "pending", 1, ws.pk)
    assert "token" not in body  # the link goes to the invitee's mailbox only
    assert mail.outbox[0].to == ["new@example.org"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"email": "not-an-email", "role": "member"}, "email"),
    ({"role": "member"}, "email"),
    ({"email": "x@example.org", "role": "performer"}, "role"),
])
def test_invitation_create_answers_bad_input_with_422_field_errors(api, team, payload, field):
    ws, people = team
    body = problem(post(api(people[Role.OWNER]), f"/api/v1/workspaces/{ws.pk}/invitations", payload), 422,
                   "validation_error")
    assert field in {e["field"] for e in body["errors"]}
    assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()


def test_invitation_create_conflicts_name_the_clash(api, team, invite):
    ws, people = team
    pending = invite("dup@example.org")
    client, path = api(people[Role.OWNER]), f"/api/v1/workspaces/{ws.pk}/invitations"

    body = problem(post(client, path, {"email": "dup@example.org", "role": "viewer"}), 409, "invitation_pending")
    assert body["conflicting"] == {"type": "invitation", "id": pending.pk}
    problem(post(client, path, {"email": people[Role.VIEWER].email, "role": "viewer"}), 409, "already_member")
    assert Invitation.objects.filter(email="dup@example.org").count() == 1


def test_invitation_create_needs_members_manage_and_membership(api, team, user):
    ws, people = team
    path, payload = f"/api/v1/workspaces/{ws.pk}/invitations", {"email": "x@example.org", "role": "viewer"}
    problem(post(api(people[Role.COORDINATOR]), path, payload), 403, "forbidden")
    problem(post(api(people[Role.ADMIN]), path, {"email": "x@example.org", "role": "owner"}), 403, "forbidden")
    problem(post(api(user), path, payload), 404, "not_found")
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_invitation_list_shows_pending_by_default_and_all_on_request(api, team, invite, make_user):
    ws, people = team
    invite("a@example.org")
    declined = invite("b@example.org")
    services.invitation_decline(user=make_user(email="b@example.org"), token=declined.token)
    client = api(people[Role.ADMIN])

    pending = client.get(f"/api/v1/workspaces/{ws.pk}/invitations").json()
    assert [i["email"] for i in pending["items"]] == ["a@example.org"]
    declined_only = client.get(f"/api/v1/workspaces/{ws.pk}/invitations?status=declined").json()
    assert [i["email"] for i in declined_only["items"]] == ["b@example.org"]
    everything = client.get(f"/api/v1/workspaces/{ws.pk}/invitations?status=").json()
    assert everything["count"] == Invitation.objects.filter(workspace=ws).count() == 6  # 4 from the team


def test_invitation_list_is_for_member_managers(api, team, user):
    ws, people = team
    problem(api(people[Role.MEMBER]).get(f"/api/v1/workspaces/{ws.pk}/invitations"), 403, "forbidden")
    problem(api(user).get(f"/api/v1/workspaces/{ws.pk}/invitations"), 404)


def test_invitation_list_runs_a_constant_number_of_queries(api, team, invite, django_assert_max_num_queries):
    ws, people = team
    client, path = api(people[Role.OWNER]), f"/api/v1/workspaces/{ws.pk}/invitations"
    for i in range(3):
        invite(f"guest{i}@example.org")
    few = measure(django_assert_max_num_queries, client, path, 3)
    for i in range(3, 30):
        invite(f"guest{i}@example.org")
    many = measure(django_assert_max_num_queries, client, path, 30)
    assert few == many


def test_resend_and_revoke(api, team, invite):
    ws, people = team
    invitation = invite("x@example.org")
    client = api(people[Role.ADMIN])

    resent = post(client, f"/api/v1/invitations/{invitation.pk}/resend")
    assert resent.status_code == 200 and resent.json()["sent_count"] == 2
    assert Invitation.objects.get(pk=invitation.pk).token != invitation.token

    revoked = post(client, f"/api/v1/invitations/{invitation.pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    problem(post(client, f"/api/v1/invitations/{invitation.pk}/revoke"), 409, "invitation_revoked")
    problem(post(client, f"/api/v1/invitations/{invitation.pk}/resend"), 409, "invitation_revoked")


def test_resend_and_revoke_of_a_foreign_or_unknown_invitation_are_404(api, team, invite, make_team):
    other_ws, other_people = make_team(WorkspaceKind.PROMOTER, name="Other")
    foreign = invite("x@example.org", workspace=other_ws, actor=other_people[Role.OWNER])
    ws, people = team
    client = api(people[Role.OWNER])
    for action in ("resend", "revoke"):
        problem(post(client, f"/api/v1/invitations/{foreign.pk}/{action}"), 404, "not_found")
        problem(post(client, f"/api/v1/invitations/999999/{action}"), 404, "not_found")
    problem(post(api(people[Role.MEMBER]), f"/api/v1/invitations/{invite('y@example.org').pk}/revoke"), 403)
    foreign.refresh_from_db()
    assert (foreign.status, foreign.sent_count) == ("pending", 1)


# --- the invitee's side ---------------------------------------------------------------------------

def test_my_invitations_lists_what_waits_for_my_answer(api, team, invite, make_team, make_user):
    ws, people = team
    invitee = make_user(email="joiner@example.org")
    invitation = invite("Joiner@example.org", Role.VIEWER)
    lapsed = invite("joiner@example.org", workspace=make_team(WorkspaceKind.AGENCY, name="Agency")[0],
                    actor=Membership.objects.get(workspace__name="Agency", role="owner").user)
    Invitation.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    invite("someone.else@example.org")

    body = api(invitee).get("/api/v1/me/invitations").json()

    assert body["count"] == 1
    [item] = body["items"]
    assert (item["token"], item["workspace_name"], item["workspace_kind"], item["role"]) == (
        str(invitation.token), "The Testers", "promoter", "viewer")


def test_my_invitations_runs_a_constant_number_of_queries(api, make_user, django_assert_max_num_queries):
    invitee, owner = make_user(email="popular@example.org"), make_user()
    client = api(invitee)

    def grow(to):
        for i in range(Invitation.objects.filter(email=invitee.email).count(), to):
            ws = services.workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name=f"Promoter {i}")
            services.invitation_create(actor=owner, workspace_id=ws.pk, email=invitee.email, role="viewer")

    grow(3)
    few = measure(django_assert_max_num_queries, client, "/api/v1/me/invitations", 3)
    grow(30)
    many = measure(django_assert_max_num_queries, client, "/api/v1/me/invitations", 30)
    assert few == many


def test_accept_by_token_joins_the_workspace(api, team, invite, make_user):
    ws, _ = team
    invitee = make_user(email="joiner@example.org")
    invitation = invite("joiner@example.org", Role.COORDINATOR)
    response = post(api(invitee), f"/api/v1/invitations/by-token/{invitation.token}/accept")
    assert response.status_code == 200, response.content
    assert (response.json()["email"], response.json()["role"]) == ("joiner@example.org", "coordinator")
    assert Membership.objects.get(workspace=ws, user=invitee).role == Role.COORDINATOR
    problem(post(api(invitee), f"/api/v1/invitations/by-token/{invitation.token}/accept"), 409, "invitation_accepted")


def test_decline_by_token(api, team, invite, make_user):
    invitee = make_user(email="nope@example.org")
    invitation = invite("nope@example.org")
    assert post(api(invitee), f"/api/v1/invitations/by-token/{invitation.token}/decline").status_code == 204
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_answering_refusals(api, team, invite, make_user, user, action):
    invitee = make_user(email="late@example.org")
    invitation = invite("late@example.org")
    path = f"/api/v1/invitations/by-token/{invitation.token}/{action}"

    problem(post(api(user), path), 403, "invitation_wrong_account")
    problem(post(api(invitee), f"/api/v1/invitations/by-token/{uuid.uuid4()}/{action}"), 404, "not_found")
    body = problem(post(api(invitee), f"/api/v1/invitations/by-token/not-a-uuid/{action}"), 422, "validation_error")
    assert body["errors"][0]["field"] == "token"
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    problem(post(api(invitee), path), 409, "invitation_expired")
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.EXPIRED
    assert not Membership.objects.filter(user=invitee).exists()
