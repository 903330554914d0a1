from backline.accounts.models import Membership, Role, WorkspaceKind


def test_make_team_builds_one_member_per_role(make_team):
    workspace, people = make_team(WorkspaceKind.AGENCY)
    roles = dict(Membership.objects.filter(workspace=workspace).values_list("user_id", "role"))
    assert {roles[u.pk] for u in people.values()} == {r.value for r in Role}
