"""A web page the person's role may not use answers 403 with the site's own page, saying why and what to
do, not a bare "403 Forbidden" (found by the fresh-eyes walk of issue 11: a venue's viewer opening the
held-mail page, an agency performer opening the clients list)."""

from backline.accounts.models import Role, WorkspaceKind


def test_a_page_the_role_may_not_use_answers_403_inside_the_site(client, make_team):
    workspace, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    client.force_login(people[Role.VIEWER])
    response = client.get(f"/w/{workspace.slug}/inbox/held/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed here" in page and "Your role (Viewer) does not allow this." in page
    assert "Back to Backline" in page
    assert "ask the workspace" in page
    assert "navbar" in page  # the site's layout, with its navigation
