"""`manage.py demo` builds the whole demo world, a second run keeps it as it is, and it is deterministic."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from backline.accounts.models import Membership, Role, User, Workspace, WorkspaceKind
from backline.artists.models import Act
from backline.demo.world import DEMO_LOGINS, DEMO_PASSWORD, DOMAIN
from backline.venues.models import Venue

# Real commits, as with `manage.py demo`: the services' on-commit handlers (act members, notifications)
# run between the steps of the build.
pytestmark = pytest.mark.django_db(transaction=True)

# One demo login per role in each kind of workspace, in the workspace the README names.
TEAMS = {
    WorkspaceKind.ACT: ("The Velvet Owls", [Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER]),
    WorkspaceKind.VENUE: ("Lantern Hall", [Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER]),
    WorkspaceKind.PROMOTER: ("Night Shift Promotions",
                             [Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER]),
    WorkspaceKind.AGENCY: ("Silver Lining Entertainment",
                           [Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER, Role.PERFORMER]),
}


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _fingerprint() -> tuple[list[str], list[str]]:
    return (sorted(Act.objects.values_list("workspace__name", flat=True)),
            sorted(Workspace.objects.values_list("slug", flat=True)))


def _migration_rows() -> None:
    """The rows the migrations load (genres), which a flush by an earlier transactional test removes."""
    importlib.import_module("backline.artists.migrations.0002_genres").load(apps, None)


def _empty_database() -> None:
    call_command("flush", interactive=False, verbosity=0)  # post_migrate puts content types back
    _migration_rows()


def test_demo_builds_the_world_once_and_deterministically():
    _migration_rows()
    call_command("demo", "--quiet")

    assert Act.objects.count() == 40
    assert 55 <= Venue.objects.count() <= 65
    kinds = {kind: Workspace.objects.filter(kind=kind).count() for kind in WorkspaceKind.values}
    assert kinds[WorkspaceKind.ACT] == 40
    assert kinds[WorkspaceKind.PROMOTER] == 3
    assert kinds[WorkspaceKind.AGENCY] == 1

    emails = [email for email, _ in DEMO_LOGINS]
    assert len(emails) == len(set(emails))
    assert set(User.objects.filter(email__in=emails).values_list("email", flat=True)) == set(emails)
    for email in emails:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
    assert User.objects.get(email=f"staff@{DOMAIN}").is_superuser

    for kind, (name, roles) in TEAMS.items():
        for role in roles:
            email = f"{role}.{kind}@{DOMAIN}"
            assert email in emails, email
            assert Membership.objects.filter(user__email=email, role=role, workspace__kind=kind,
                                             workspace__name=name).exists(), email

    # Again: "already there", and not one row more or less anywhere.
    before = _counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "Demo world already there." in out.getvalue()
    assert all(email in out.getvalue() for email in emails)
    assert _counts() == before

    # From nothing again: the same world.
    first = _fingerprint()
    _empty_database()
    assert not User.objects.exists()
    call_command("demo", "--quiet")
    assert _fingerprint() == first
    assert _counts() == before
