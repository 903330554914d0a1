import pytest

from backline.accounts.models import WorkspaceKind
from backline.artists.models import ActMember
from backline.scheduling.services.availability import schedule_set_default


@pytest.fixture
def band(make_team):
    """An act whose line-up (people with accounts) is free by default: every evening is green. (A test
    module with a band of its own overrides this one.)"""
    act_ws, people = make_team(WorkspaceKind.ACT, name="The Owls")
    for member in ActMember.objects.filter(act=act_ws.act, user__isnull=False).select_related("user"):
        schedule_set_default(actor=member.user, default_state="free")
    return act_ws, people
