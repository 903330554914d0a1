"""Backline's staff withdraw an act's verification: staff only, with a reason the act sees (API and
notification), audited; the badge drops at once; it may be verified again; the admin action."""

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.models import Act
from backline.artists.trust import trust_of, verified_act_q
from backline.artists.verification import act_verification_revoke, act_verify
from backline.core.errors import Conflict, Forbidden, Invalid
from backline.core.models import AuditEntry
from backline.notifications.models import Notification
from tests.factories import UserFactory


@pytest.fixture
def verified_owls(make_team, db):
    ws, people = make_team(WorkspaceKind.ACT, name="The Owls")
    staff = UserFactory(is_staff=True, is_superuser=True)
    act_verify(actor=staff, act_id=ws.act.pk)
    return ws.act, people, staff


def test_staff_withdraw_and_the_act_sees_why(verified_owls, client, bearer, django_capture_on_commit_callbacks):
    act, people, staff = verified_owls
    with django_capture_on_commit_callbacks(execute=True):
        act_verification_revoke(actor=staff, act_id=act.pk, reason="Not the real band.")
    assert trust_of(act).level == "unverified" and not Act.objects.filter(verified_act_q(), pk=act.pk).exists()
    assert AuditEntry.objects.get(action="act.verification_revoked").after == {"reason": "Not the real band."}
    told = set(Notification.objects.filter(type="verification").values_list("user_id", flat=True))
    assert told == {people[Role.OWNER].pk, people[Role.ADMIN].pk}
    body = client.get(f"/api/v1/acts/{act.workspace_id}/verification", **bearer(people[Role.VIEWER])).json()
    assert body["level"] == "unverified" and body["withdrawn_reason"] == "Not the real band." and body["withdrawn_at"]
    act_verify(actor=staff, act_id=act.pk)  # verified again later
    assert trust_of(act).level == "verified"


def test_only_staff_with_a_reason_and_nothing_changes(verified_owls):
    act, people, staff = verified_owls
    with pytest.raises(Forbidden):
        act_verification_revoke(actor=people[Role.OWNER], act_id=act.pk, reason="Because.")
    for reason in ("", " ", "x" * 501):
        with pytest.raises(Invalid):
            act_verification_revoke(actor=staff, act_id=act.pk, reason=reason)
    assert trust_of(act).level == "verified" and not AuditEntry.objects.filter(action="act.verification_revoked").exists()
    act_verification_revoke(actor=staff, act_id=act.pk, reason="Gone.")
    with pytest.raises(Conflict):
        act_verification_revoke(actor=staff, act_id=act.pk, reason="Again.")


def test_the_admin_action_asks_then_withdraws(verified_owls, client):
    act, _, staff = verified_owls
    client.force_login(staff)
    asked = client.post("/admin/artists/act/", {"action": "revoke_verification", "_selected_action": [act.pk]})
    assert asked.status_code == 200 and "Reason" in asked.content.decode()
    client.post("/admin/artists/act/", {"action": "revoke_verification", "_selected_action": [act.pk], "apply": "1",
                                        "reason": "Split up."})
    assert trust_of(act).level == "unverified"
