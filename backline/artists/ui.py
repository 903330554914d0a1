"""What acts and agencies add to the workspace shell: navigation and dashboard panels."""

from django.urls import reverse

from backline.accounts.permissions import BOOKINGS_VIEW, MEMBERS_VIEW, WORKSPACE_VIEW
from backline.accounts.ui import NavItem, Panel, register_nav, register_panel

from . import selectors


def act_panel(access):
    act = selectors.act_for(access)
    if act is None:
        return None
    line_up = list(selectors.line_up_for(access))
    url = reverse("line_up", args=[access.workspace.slug])
    genres = list(act.genres.all())
    return Panel(template="artists/_act_panel.html", context={"act": act, "line_up": line_up, "genres": genres},
                 checks=[("Genres", bool(genres), url), ("Line-up with instruments",
                          bool(line_up) and all(m.instruments for m in line_up), url)], order=10)


def agency_panel(access):
    if not access.can(MEMBERS_VIEW):
        # The performer portal: a performer sees their own record, not the agency's roster.
        mine = list(selectors.performers_for(access).filter(user=access.membership.user_id))
        return Panel(template="artists/_performer_portal_panel.html", context={"performers": mine}, order=10)
    performers = list(selectors.performers_for(access, active=True))
    url = reverse("performer_list", args=[access.workspace.slug])
    return Panel(template="artists/_agency_panel.html", context={"performers": performers},
                 checks=[("At least one performer", bool(performers), url)], order=10)


def register():
    register_nav(NavItem("Line-up", "line_up", "users", MEMBERS_VIEW, frozenset({"act"}), order=20, group="People"))
    register_nav(NavItem("Press kit", "press_kit", "id-badge-2", WORKSPACE_VIEW, frozenset({"act"}), order=12,
                         group="Workspace"))
    register_nav(NavItem("Performers", "performer_list", "microphone", MEMBERS_VIEW, frozenset({"agency"}),
                         order=20, group="People"))
    register_nav(NavItem("Riders", "rider_list", "file-music", WORKSPACE_VIEW, frozenset({"act"}), order=14,
                         group="Workspace"))
    register_nav(NavItem("Agencies", "act_agencies", "briefcase", BOOKINGS_VIEW, frozenset({"act"}),
                         order=60, group="Workspace"))
    register_nav(NavItem("Acts we represent", "represented_acts", "briefcase", BOOKINGS_VIEW,
                         frozenset({"agency"}), order=60, group="Workspace"))
    register_panel({"act"}, act_panel)
    register_panel({"agency"}, agency_panel)
