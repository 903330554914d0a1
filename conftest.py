"""Fixtures shared by every test: people, workspaces of each kind with a member per role, API clients."""

import pytest
from django.test import Client

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.core.places import find_city
from tests.factories import PASSWORD, UserFactory

BERLIN = None


@pytest.fixture
def berlin():
    return find_city("Berlin", "DE")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def make_user(db):
    return UserFactory


def _join(workspace, owner, role):
    person = UserFactory()
    invitation = accounts.invitation_create(actor=owner, workspace_id=workspace.pk, email=person.email, role=role)
    accounts.invitation_accept(user=person, token=invitation.token)
    return person


@pytest.fixture
def make_team(db, django_capture_on_commit_callbacks):
    """``make_team(kind)`` → (workspace, {role: user}) with one user per role valid for the kind."""
    from backline.artists.services import act_create
    from backline.venues.services import venue_workspace_create

    def build(kind: str = WorkspaceKind.ACT, name: str = "The Testers"):
        owner = UserFactory()
        city = find_city("Berlin", "DE")
        with django_capture_on_commit_callbacks(execute=True):
            if kind == WorkspaceKind.ACT:
                workspace = act_create(actor=owner, name=name, geoname_id=city.geoname_id).workspace
            elif kind == WorkspaceKind.VENUE:
                workspace = venue_workspace_create(actor=owner, name=name, capacity=300,
                                                   geoname_id=city.geoname_id).workspace
            else:
                workspace = accounts.workspace_create(actor=owner, kind=kind, name=name, geoname_id=city.geoname_id)
            people = {Role.OWNER: owner}
            roles = [Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER]
            if kind == WorkspaceKind.AGENCY:
                roles.append(Role.PERFORMER)
            for role in roles:
                people[role] = _join(workspace, owner, role)
        return workspace, people

    return build


@pytest.fixture
def login_client():
    """``login_client(user)`` → a Django test client with a logged-in session."""

    def build(user):
        client = Client()
        client.force_login(user)
        return client

    return build


@pytest.fixture
def bearer(client):
    """``bearer(user)`` → headers with a fresh API access token for ``user`` (through the login endpoint)."""

    def build(user):
        response = client.post("/api/v1/auth/login", {"email": user.email, "password": PASSWORD},
                               content_type="application/json")
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}

    return build


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads made by tests (avatars, message attachments) go to a throw-away folder, never var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(autouse=True)
def _an_empty_cache():
    """Each test starts with an empty cache, as the database starts empty: a person's cached free time
    (``scheduling.availability_cache``) must never outlive the rows it was built from, and a test
    database rolled back may hand the same ids to other people. The same goes for the people marked
    changed by an open transaction (``availability_cache._pending``, per thread): a test's transaction is
    rolled back, never committed, so without this they would stay marked into later tests and make those
    skip the cache (their query counts then depended on which tests ran before)."""
    from django.core.cache import cache

    from backline.scheduling.availability_cache import _pending

    cache.clear()
    _pending().clear()
