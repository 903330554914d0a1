"""What scheduling adds to the workspace shell: the act's schedule page and a dashboard card."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from backline.accounts.permissions import SCHEDULE_VIEW
from backline.accounts.ui import NavItem, Panel, register_nav, register_panel
from backline.artists.models import Act
from backline.core.timeutil import zone

from . import selectors


def schedule_panel(access):
    if not access.can(SCHEDULE_VIEW):
        return None
    act = Act.objects.filter(workspace=access.workspace).first()  # access is checked already
    if act is None:
        return None
    act.workspace = access.workspace
    today = timezone.localdate(timezone=zone(act.workspace.time_zone))
    view = selectors.green_zone_for_act(act, start=today, end=today + dt.timedelta(days=29),
                                        window=(dt.time(18), dt.time(2)), min_hours=3)
    polls = list(selectors.polls_for_act(act).filter(status="open").only("title"))
    return Panel(template="scheduling/_schedule_panel.html", order=15,
                 context={"zone": view, "open_polls": polls,
                          "schedule_url": reverse("act_schedule", args=[access.workspace.slug])})


def register():
    register_nav(NavItem("Schedule", "act_schedule", "calendar-month", SCHEDULE_VIEW, frozenset({"act"}), order=25, group="Plan"))
    register_panel({"act"}, schedule_panel)
