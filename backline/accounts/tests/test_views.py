"""The accounts web interface through the Django test client: pages render, bad input is refused
clearly and changes nothing, good input redirects and persists, htmx gets the partial, and list
pages use a constant number of queries."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backline.accounts import services
from backline.accounts.models import Invitation, InvitationStatus, Membership, Role, SocialLink, Workspace, WorkspaceKind
from backline.core.models import AuditEntry
from tests.factories import UserFactory
from tests.pages import assert_constant_queries, url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def act(make_team):
    return make_team(WorkspaceKind.ACT, name="The Testers")


@pytest.fixture
def owner_client(act, login_client):
    return login_client(act[1][Role.OWNER])




def invite(owner, workspace, email, role=Role.MEMBER):
    return services.invitation_create(actor=owner, workspace_id=workspace.pk, email=email, role=role)


# --- pages render ---------------------------------------------------------------------------------

def test_landing_page_for_visitors_offers_sign_up(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/accounts/signup/"' in response.content


def test_workspace_pages_need_a_login(client, act):
    response = client.get(url(act[0]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/me/", "/workspaces/", "/workspaces/new/", "/workspaces/new/promoter/",
                                  "/workspaces/new/agency/", "/workspaces/new-act/", "/workspaces/new-venue/"])
def test_personal_form_pages_render(owner_client, path):
    response = owner_client.get(path)
    assert response.status_code == 200
    assert b"<html" in response.content


@pytest.mark.parametrize("rest,marker", [("", b'data-testid="dashboard-title"'), ("profile/", b'name="links-TOTAL_FORMS"'),
                                         ("people/", b'data-testid="invite-form"'), ("history/", b'data-testid="history"')])
def test_workspace_pages_render(owner_client, act, rest, marker):
    response = owner_client.get(url(act[0], rest))
    assert response.status_code == 200
    assert marker in response.content


def test_unknown_organisation_kind_is_not_found(owner_client):
    assert owner_client.get("/workspaces/new/act/").status_code == 404


def test_a_stranger_gets_not_found_and_a_member_cannot_manage_people(act, login_client):
    workspace, people = act
    assert login_client(UserFactory()).get(url(workspace, "people/")).status_code == 404
    member = login_client(people[Role.MEMBER])
    assert member.get(url(workspace, "people/")).status_code == 200
    response = member.post(url(workspace, "people/invite/"), {"email": "x@example.org", "role": Role.MEMBER})
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@example.org").exists()


# --- the dashboard --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,panel", [(WorkspaceKind.ACT, b'data-testid="act-panel"'),
                                        (WorkspaceKind.VENUE, b'data-testid="venues-panel"'),
                                        (WorkspaceKind.PROMOTER, b'data-testid="venues-panel"'),
                                        (WorkspaceKind.AGENCY, b'data-testid="agency-panel"')])
def test_dashboard_shows_the_panel_of_its_kind(make_team, login_client, kind, panel):
    workspace, people = make_team(kind)
    content = login_client(people[Role.OWNER]).get(url(workspace)).content
    assert panel in content
    others = {b'data-testid="act-panel"', b'data-testid="venues-panel"', b'data-testid="agency-panel"'} - {panel}
    assert not any(other in content for other in others)
    assert b'data-testid="dashboard-members"' in content


def test_agency_performer_sees_the_performer_portal_not_the_roster(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.AGENCY)
    content = login_client(people[Role.PERFORMER]).get(url(workspace)).content
    assert b'data-testid="performer-portal"' in content
    assert b'data-testid="agency-panel"' not in content
    assert b'data-testid="dashboard-members"' not in content


def test_dashboard_queries_are_constant_in_members(act, owner_client, django_assert_max_num_queries):
    workspace, people = act
    owner = people[Role.OWNER]

    def add_rows():
        for _ in range(8):
            person = UserFactory()
            services.invitation_accept(user=person, token=invite(owner, workspace, person.email).token)
        for i in range(5):
            invite(owner, workspace, f"pending{i}@example.org")

    # 9 for the shell and the line-up and people cards; 6 for the green-zone card (act, line-up with
    # defaults, patterns, blocks, commitments, open polls); 2 for the bookings card (the act's id, then its bookings)
    # (+1: the notification bell)
    assert_constant_queries(owner_client, {url(workspace): 18}, add_rows, django_assert_max_num_queries)


# --- the workspace profile ------------------------------------------------------------------------

def profile_data(workspace, **changes):
    data = {"name": workspace.name, "city": workspace.geoname_id or "", "time_zone": workspace.time_zone,
            "bio": workspace.bio, "website": workspace.website, "contact_email": workspace.contact_email,
            "phone": workspace.phone, "currency": workspace.currency,
            "links-TOTAL_FORMS": "2", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0", "links-MAX_NUM_FORMS": "20",
            "links-0-platform": "", "links-0-url": "", "links-1-platform": "", "links-1-url": ""}
    data.update(changes)
    return data


def test_profile_with_a_bad_website_is_refused_and_changes_nothing(act, owner_client):
    workspace = act[0]
    response = owner_client.post(url(workspace, "profile/"), profile_data(workspace, name="Renamed", website="not a url"))
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    workspace.refresh_from_db()
    assert (workspace.name, workspace.website) == ("The Testers", "")


def test_social_link_on_the_wrong_platform_is_refused_and_changes_nothing(act, owner_client):
    workspace = act[0]
    before = AuditEntry.objects.count()
    response = owner_client.post(url(workspace, "profile/"), profile_data(
        workspace, name="Renamed", bio="New bio", **{"links-0-platform": "spotify", "links-0-url": "https://example.com/band"}))
    assert response.status_code == 200
    assert "A Spotify link must be on open.spotify.com or spotify.com." in response.content.decode()
    workspace.refresh_from_db()
    assert (workspace.name, workspace.bio) == ("The Testers", "")  # nothing half-written
    assert not SocialLink.objects.filter(workspace=workspace).exists()
    assert AuditEntry.objects.count() == before


def test_profile_saves_and_redirects(act, owner_client):
    workspace = act[0]
    response = owner_client.post(url(workspace, "profile/"), profile_data(
        workspace, bio="Loud and proud.", website="https://testers.example.org",
        **{"links-0-platform": "bandcamp", "links-0-url": "https://testers.bandcamp.com/"}))
    assert response.status_code == 302 and response["Location"] == url(workspace, "profile/")
    workspace.refresh_from_db()
    assert (workspace.bio, workspace.website) == ("Loud and proud.", "https://testers.example.org")
    assert list(workspace.social_links.values_list("platform", "url")) == [("bandcamp", "https://testers.bandcamp.com/")]


def test_a_member_cannot_edit_the_profile(act, login_client):
    workspace, people = act
    response = login_client(people[Role.MEMBER]).post(url(workspace, "profile/"), profile_data(workspace, name="Hijacked"))
    assert response.status_code == 403
    workspace.refresh_from_db()
    assert workspace.name == "The Testers"


# --- people: invitations and members --------------------------------------------------------------

def test_invite_with_a_bad_email_shows_the_error_and_sends_nothing(act, owner_client, mailoutbox):
    workspace = act[0]
    mailoutbox.clear()  # the team's own invitations
    count = Invitation.objects.count()
    response = owner_client.post(url(workspace, "people/invite/"), {"email": "not-an-address", "role": Role.MEMBER})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert Invitation.objects.count() == count
    assert mailoutbox == []


def test_inviting_someone_already_a_member_says_so(act, owner_client, mailoutbox):
    workspace, people = act
    member = people[Role.MEMBER]
    count = Invitation.objects.count()
    mailoutbox.clear()
    response = owner_client.post(url(workspace, "people/invite/"), {"email": member.email.upper(), "role": Role.VIEWER}, **HTMX)
    assert response.status_code == 200
    assert f"{member.email} is already a member of The Testers." in response.content.decode()
    assert Invitation.objects.count() == count
    assert Membership.objects.get(workspace=workspace, user=member).role == Role.MEMBER
    assert mailoutbox == []


def test_invite_redirects_and_sends_the_invitation(act, owner_client, mailoutbox, django_capture_on_commit_callbacks):
    workspace = act[0]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url(workspace, "people/invite/"), {"email": "New@Example.org", "role": Role.COORDINATOR})
    assert response.status_code == 302 and response["Location"] == url(workspace, "people/")
    invitation = Invitation.objects.get(workspace=workspace, email="new@example.org")
    assert (invitation.role, invitation.status) == (Role.COORDINATOR, InvitationStatus.PENDING)
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    assert f"/invitations/{invitation.token}/" in mailoutbox[0].body


def test_people_page_is_a_partial_for_htmx_and_a_full_page_otherwise(act, owner_client):
    workspace = act[0]
    full = owner_client.get(url(workspace, "people/"))
    partial = owner_client.get(url(workspace, "people/"), **HTMX)
    assert b"<html" in full.content and b'id="members"' in full.content
    assert b"<html" not in partial.content and partial.content.lstrip().startswith(b'<div id="members"')


def test_invite_by_htmx_returns_the_members_partial(act, owner_client):
    workspace = act[0]
    response = owner_client.post(url(workspace, "people/invite/"), {"email": "fan@example.org", "role": Role.VIEWER}, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content and content.lstrip().startswith('<div id="members"')
    assert "fan@example.org" in content and "Invitation sent to fan@example.org." in content
    assert Invitation.objects.filter(workspace=workspace, email="fan@example.org").exists()


@pytest.mark.parametrize("action", ["resend", "revoke", "role", "remove"])
def test_member_actions_answer_htmx_with_the_partial_and_others_with_a_redirect(act, login_client, action):
    workspace, people = act
    owner = people[Role.OWNER]
    client = login_client(owner)
    for headers in (HTMX, {}):
        invitation = invite(owner, workspace, f"someone-{len(headers)}@example.org")
        membership = Membership.objects.get(workspace=workspace, user=people[Role.VIEWER if headers else Role.MEMBER])
        path, data = {
            "resend": (f"people/invitations/{invitation.pk}/resend/", {}),
            "revoke": (f"people/invitations/{invitation.pk}/revoke/", {}),
            "role": (f"people/{membership.pk}/role/", {"role": Role.COORDINATOR}),
            "remove": (f"people/{membership.pk}/remove/", {}),
        }[action]
        response = client.post(url(workspace, path), data, **headers)
        if headers:
            assert response.status_code == 200
            assert b"<html" not in response.content and response.content.lstrip().startswith(b'<div id="members"')
        else:
            assert response.status_code == 302 and response["Location"] == url(workspace, "people/")
        invitation.refresh_from_db()
        if action == "resend":
            assert invitation.sent_count == 2
        elif action == "revoke":
            assert invitation.status == InvitationStatus.REVOKED
        elif action == "role":
            assert Membership.objects.get(pk=membership.pk).role == Role.COORDINATOR
        else:
            assert not Membership.objects.filter(pk=membership.pk).exists()


def test_role_change_to_an_unknown_role_is_refused_and_changes_nothing(act, owner_client):
    workspace, people = act
    membership = Membership.objects.get(workspace=workspace, user=people[Role.MEMBER])
    response = owner_client.post(url(workspace, f"people/{membership.pk}/role/"), {"role": "emperor"},
                                 HTTP_REFERER=url(workspace, "people/"))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
    page = owner_client.get(response["Location"]).content.decode()
    assert "Unknown role." in page


def test_action_on_another_workspaces_member_is_not_found(act, make_team, owner_client):
    other_workspace, other_people = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    membership = Membership.objects.get(workspace=other_workspace, user=other_people[Role.MEMBER])
    response = owner_client.post(url(act[0], f"people/{membership.pk}/remove/"))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_people_page_queries_are_constant_in_members(act, owner_client, django_assert_max_num_queries):
    workspace, people = act
    owner = people[Role.OWNER]

    def add_rows():
        for _ in range(8):
            person = UserFactory()
            services.invitation_accept(user=person, token=invite(owner, workspace, person.email).token)
        for i in range(6):
            invite(owner, workspace, f"waiting{i}@example.org")

    # (+1: the notification bell)
    assert_constant_queries(owner_client, {url(workspace, "people/"): 5}, add_rows, django_assert_max_num_queries)


def test_history_queries_are_constant_in_entries(act, owner_client, django_assert_max_num_queries):
    workspace, people = act
    owner = people[Role.OWNER]

    def add_rows():
        for i in range(20):
            services.invitation_revoke(actor=owner, invitation_id=invite(owner, workspace, f"h{i}@example.org").pk)

    # (+1: the notification bell)
    assert_constant_queries(owner_client, {url(workspace, "history/"): 5}, add_rows, django_assert_max_num_queries)


def test_history_of_one_object_lists_only_its_entries(act, owner_client):
    workspace, people = act
    invitation = invite(people[Role.OWNER], workspace, "one@example.org")
    content = owner_client.get(url(workspace, f"history/?object_type=invitation&object_id={invitation.pk}")).content.decode()
    assert "sent an invitation" in content and "created the workspace" not in content
    assert "invitation.created" not in content


# --- personal pages -------------------------------------------------------------------------------

def test_workspace_list_shows_memberships_and_invitations_in_constant_queries(login_client, make_team,
                                                                              django_assert_max_num_queries):
    person = UserFactory()
    client = login_client(person)
    workspace, people = make_team(WorkspaceKind.ACT, name="First Band")
    services.invitation_accept(user=person, token=invite(people[Role.OWNER], workspace, person.email).token)

    def add_rows():
        for i, kind in enumerate([WorkspaceKind.VENUE, WorkspaceKind.PROMOTER, WorkspaceKind.AGENCY, WorkspaceKind.ACT]):
            ws, team = make_team(kind, name=f"Place {i}")
            invitation = invite(team[Role.OWNER], ws, person.email)
            if i % 2:
                services.invitation_accept(user=person, token=invitation.token)

    assert_constant_queries(client, {"/workspaces/": 5}, add_rows, django_assert_max_num_queries)  # (+1: the notification bell)
    content = client.get("/workspaces/").content.decode()
    assert all(name in content for name in ("First Band", "Place 0", "Place 1", "Place 2", "Place 3"))
    assert 'data-testid="pending-invitations"' in content


def test_new_promoter_without_a_name_is_refused(owner_client):
    count = Workspace.objects.count()
    response = owner_client.post("/workspaces/new/promoter/", {"name": "", "currency": "EUR"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Workspace.objects.count() == count


def test_new_agency_is_created_and_opens_its_dashboard(act, owner_client, berlin):
    response = owner_client.post("/workspaces/new/agency/", {"name": "Big Agency", "city": berlin.geoname_id,
                                                             "currency": "eur", "commission_percent": "15"})
    workspace = Workspace.objects.get(name="Big Agency")
    assert response.status_code == 302 and response["Location"] == url(workspace)
    assert (workspace.kind, workspace.currency, workspace.commission_percent) == (WorkspaceKind.AGENCY, "EUR", 15)
    assert Membership.objects.get(workspace=workspace).role == Role.OWNER


def test_invitation_page_accepts_and_declines(act, login_client):
    workspace, people = act
    guest, other = UserFactory(), UserFactory()
    first = invite(people[Role.OWNER], workspace, guest.email)
    client = login_client(guest)
    page = client.get(f"/invitations/{first.token}/")
    assert page.status_code == 200 and b'value="accept"' in page.content
    wrong = login_client(other).get(f"/invitations/{first.token}/")
    assert b"Log out and log in" in wrong.content and b'value="accept"' not in wrong.content
    response = client.post(f"/invitations/{first.token}/", {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == url(workspace)
    assert Membership.objects.get(workspace=workspace, user=guest).role == Role.MEMBER

    second = invite(people[Role.OWNER], workspace, other.email)
    response = login_client(other).post(f"/invitations/{second.token}/", {"answer": "decline"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(workspace=workspace, user=other).exists()


def test_unknown_invitation_link_is_not_found(owner_client):
    assert owner_client.get("/invitations/00000000-0000-4000-8000-000000000000/").status_code == 404


# --- the personal profile and its picture ---------------------------------------------------------

@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(fmt="PNG", size=(32, 32), noise=False) -> bytes:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, "teal")
    buf = io.BytesIO()
    image.save(buf, fmt)
    return buf.getvalue()


def profile_post(client, avatar):
    return client.post("/me/", {"name": "New Name", "pronouns": "", "phone": "", "time_zone": "Europe/Paris",
                                "avatar": avatar})


def test_avatar_that_is_not_a_picture_is_refused_and_changes_nothing(login_client, media):
    user = UserFactory(name="Old Name")
    response = profile_post(login_client(user), SimpleUploadedFile("me.png", b"%PDF-1.4 not a picture",
                                                                        content_type="image/png"))
    assert response.status_code == 200
    assert "Upload a valid image." in response.content.decode() or "Upload a JPEG, PNG or WebP" in response.content.decode()
    user.refresh_from_db()
    assert (user.name, user.time_zone, user.avatar.name or "") == ("Old Name", "Europe/Berlin", "")
    assert not any(media.rglob("*"))


def test_avatar_larger_than_5_mb_is_refused_and_changes_nothing(login_client, media):
    user = UserFactory(name="Old Name")
    data = picture(size=(1400, 1400), noise=True)
    assert len(data) > 5 * 1024 * 1024
    response = profile_post(login_client(user), SimpleUploadedFile("big.png", data, content_type="image/png"))
    assert response.status_code == 200
    assert "The picture is larger than 5" in response.content.decode()
    user.refresh_from_db()
    assert (user.name, user.avatar.name or "") == ("Old Name", "")


def test_avatar_of_another_picture_type_is_refused(login_client, media):
    user = UserFactory()
    response = profile_post(login_client(user), SimpleUploadedFile("me.gif", picture("GIF"), content_type="image/gif"))
    assert response.status_code == 200
    assert "Upload a JPEG, PNG or WebP picture." in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_profile_with_a_picture_saves_and_redirects(login_client, media):
    user = UserFactory()
    response = profile_post(login_client(user), SimpleUploadedFile("me.png", picture(), content_type="image/png"))
    assert response.status_code == 302 and response["Location"] == "/me/"
    user.refresh_from_db()
    assert (user.name, user.time_zone) == ("New Name", "Europe/Paris")
    assert user.avatar.name.startswith("avatars/") and (media / user.avatar.name).exists()
