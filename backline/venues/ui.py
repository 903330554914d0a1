from django.urls import reverse

from backline.accounts.permissions import WORKSPACE_VIEW
from backline.accounts.ui import NavItem, Panel, register_nav, register_panel

from . import selectors


def venues_panel(access):
    venues = list(selectors.venues_for(access).prefetch_related(None))  # counts only: no stages read
    url = reverse("venue_list", args=[access.workspace.slug])
    checks = []
    if access.workspace.kind == "venue":
        checks = [("Venue address", bool(venues) and all(v.address for v in venues), url),
                  ("Stages", bool(venues) and all(v.stage_count for v in venues), url)]
    return Panel(template="venues/_venues_panel.html", context={"venues": venues}, checks=checks, order=10)


def register():
    register_nav(NavItem("Venues", "venue_list", "building-community", WORKSPACE_VIEW,
                         frozenset({"venue", "promoter"}), order=20, group="Plan"))
    register_panel({"venue", "promoter"}, venues_panel)
    register_nav(NavItem("Verification", "venue_verification_overview", "rosette-discount-check", WORKSPACE_VIEW,
                         frozenset({"venue", "promoter"}), order=18, group="Workspace"))
