"""The workspace shell (base.html, ADR 0010): a sidebar of the workspace's pages grouped by job, the
same on pages outside a workspace, remembered folding, and personal links in the user menu."""

import re

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.ui import _NAV, GROUPS

pytestmark = pytest.mark.django_db


def headings(page: str) -> list[str]:
    return re.findall(r'class="nav-section-title"[^>]*>([^<]+)<', page)


def sidebar_labels(page: str) -> list[str]:
    return re.findall(r'data-testid="nav-[a-z_]+">\s*<span class="nav-link-icon">.*?</span>\s*'
                      r'<span class="nav-link-title">([^<]+)</span>', page, flags=re.S)


def test_every_page_in_the_navigation_names_one_of_the_job_groups():
    assert not [(i.label, i.group) for i in _NAV if i.group not in GROUPS]


def test_the_sidebar_shows_the_groups_in_a_fixed_order_with_each_apps_order_inside(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    page = login_client(people[Role.OWNER]).get(f"/w/{workspace.slug}/").content.decode()
    assert headings(page) == ["Plan", "Deals", "People", "Workspace"]  # Business has no page yet
    labels = sidebar_labels(page)
    assert labels[:5] == ["Dashboard", "Calendar", "Bookings", "Clients", "Packages"]
    assert labels.index("Performers") < labels.index("Inbox") < labels.index("Contacts") < labels.index("Outreach")
    assert labels[-5:] == ["Profile", "Media library", "Members", "Acts we represent", "History"]
    assert 'class="ti ti-layout-kanban"' in page  # Tabler icons


@pytest.mark.parametrize("kind", [WorkspaceKind.VENUE, WorkspaceKind.PROMOTER, WorkspaceKind.AGENCY])
def test_the_sides_that_book_find_the_booking_calendar_under_plan(make_team, login_client, kind):
    workspace, people = make_team(kind, name="Lantern Hall")
    page = login_client(people[Role.VIEWER]).get(f"/w/{workspace.slug}/").content.decode()
    plan = page.split('class="nav-section-title"')[1]  # Plan's heading up to the next group's
    assert "Calendar" in sidebar_labels(page) and f'href="/w/{workspace.slug}/bookings/calendar/"' in plan
    assert 'class="ti ti-calendar-event"' in page


def test_an_act_has_its_schedule_and_no_booking_calendar_in_the_sidebar(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Testers")
    labels = sidebar_labels(login_client(people[Role.OWNER]).get(f"/w/{workspace.slug}/").content.decode())
    assert "Schedule" in labels and "Calendar" not in labels


def test_a_viewer_sees_only_the_groups_with_pages_for_their_role(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Testers")
    page = login_client(people[Role.VIEWER]).get(f"/w/{workspace.slug}/").content.decode()
    assert "History" not in sidebar_labels(page) and "Profile" not in sidebar_labels(page)
    assert headings(page)[0] == "Plan"


def test_a_page_outside_the_workspace_keeps_the_last_workspaces_navigation(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Testers")
    client = login_client(people[Role.OWNER])
    client.get(f"/w/{workspace.slug}/")  # remembered as the current workspace
    page = client.get("/me/").content.decode()
    assert f'href="/w/{workspace.slug}/schedule/"' in page
    assert "The Testers" in page.split('data-testid="workspace-switcher"')[1][:600]


def test_with_no_workspace_open_the_sidebar_lists_the_workspaces(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Testers")
    page = login_client(people[Role.MEMBER]).get("/workspaces/").content.decode()
    assert headings(page) == ["Your workspaces"]
    assert f'href="/w/{workspace.slug}/"' in page


def test_a_folded_sidebar_is_drawn_folded_on_the_next_page(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Testers")
    client = login_client(people[Role.OWNER])
    assert "data-bs-sidebar" not in client.get(f"/w/{workspace.slug}/").content.decode()
    client.cookies["sidebar"] = "folded"
    assert '<html lang="en" data-bs-sidebar="folded-hover">' in client.get(f"/w/{workspace.slug}/").content.decode()


def test_the_development_mailbox_is_in_the_user_menu_not_the_navigation(make_team, login_client, settings):
    settings.DEV_MAILBOX_ENABLED = True
    workspace, people = make_team(WorkspaceKind.ACT, name="The Testers")
    people[Role.OWNER].is_staff = True  # off the developer's machine, the mailbox is for staff only
    people[Role.OWNER].save(update_fields=["is_staff"])
    assert "/dev/mailbox/" not in login_client(people[Role.MEMBER]).get(f"/w/{workspace.slug}/").content.decode()
    page = login_client(people[Role.OWNER]).get(f"/w/{workspace.slug}/").content.decode()
    sidebar, top = page.split('data-testid="user-menu"')
    assert "/dev/mailbox/" not in sidebar and "Development mailbox" in top
    settings.DEV_MAILBOX_ENABLED = False
    assert "/dev/mailbox/" not in login_client(people[Role.OWNER]).get(f"/w/{workspace.slug}/").content.decode()


def test_every_page_links_the_favicon_app_icons_and_manifest(client):
    page = client.get("/").content.decode()
    for href in ("brand/backline.svg", "brand/favicon-32.png", "brand/apple-touch-icon.png", "brand/site.webmanifest"):
        assert href in page


def test_log_in_and_sign_up_pages_say_log_in_and_sign_up(client):
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        page = client.get(path).content.decode()
        assert not re.search(r"Sign In|Sign Up|Signup|Sign in|sign in|Register", page), path
        assert 'class="page page-center' in page  # the centred log-in card
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_a_long_workspace_name_is_written_out_in_the_switchers_title_and_list(make_team, login_client):
    name = "The Lantern Hall and Riverside Community Concert Rooms"
    workspace, people = make_team(WorkspaceKind.VENUE, name=name)
    page = login_client(people[Role.OWNER]).get(f"/w/{workspace.slug}/").content.decode()
    switcher = page.split('data-testid="workspace-switcher"')[1].split("</ul>")[0]
    assert f'title="{name} · switch workspace"' in switcher
    assert f'title="{name}"' in switcher  # its entry in the list


def test_pages_use_a_wide_screens_width_and_the_fold_button_has_an_unfold_icon(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Testers")
    page = login_client(people[Role.OWNER]).get(f"/w/{workspace.slug}/").content.decode()
    assert '<div class="container-fluid shell-width' in page and "container-xl" not in page
    assert "ti-layout-sidebar-left-expand shell-when-folded" in page
