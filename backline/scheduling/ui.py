"""What scheduling adds to the workspace shell: the act's schedule page and a dashboard card; and the
registry of what can be done with a green date (higher apps add theirs: ask a venue, pitch by email)."""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from backline.accounts.permissions import SCHEDULE_MANAGE, SCHEDULE_VIEW
from backline.accounts.ui import NavItem, Panel, register_nav, register_panel
from backline.artists.selectors import act_for
from backline.core.timeutil import zone

from . import selectors


def schedule_panel(access):
    if not access.can(SCHEDULE_VIEW):
        return None
    act = act_for(access)  # access is checked already; shared with the band's panel (one query)
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


# --- what a green date offers ----------------------------------------------------------------------

@dataclass(frozen=True)
class DateAction:
    """One thing to do with a green date: a link (GET) or a small form (POST with ``fields``)."""

    label: str
    icon: str  # a Bootstrap icon name
    url: str
    group: str  # "book", "pitch", "hold", "share": the menu lists them in this order
    method: str = "get"
    fields: dict = field(default_factory=dict)
    testid: str = ""
    order: int = 0  # within its group


GROUPS = ("book", "pitch", "hold", "share")
_DATE_ACTIONS: list = []


def register_date_action(provider) -> None:
    """``provider(access, act, span)`` → a list of ``DateAction`` (or none) for a green ``span`` (a
    ``selectors.ZoneSpan`` in the act's zone), as the member with ``access`` may do it. Providers
    build links only: no queries, so a page of dates costs nothing more."""
    if provider not in _DATE_ACTIONS:
        _DATE_ACTIONS.append(provider)


def date_actions(access, act, span) -> list[DateAction]:
    actions = [a for provider in _DATE_ACTIONS for a in (provider(access, act, span) or ())]
    return sorted(actions, key=lambda a: (GROUPS.index(a.group) if a.group in GROUPS else len(GROUPS), a.order))


def long_day(day: dt.date) -> str:
    """Friday 15 January 2027."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def own_date_actions(access, act, span):
    """Pencil the date in for the band (an act event that keeps everyone busy, so nothing else takes it)
    and share it (a public link showing that day's green times)."""
    if not access.can(SCHEDULE_MANAGE):
        return []
    slug = access.workspace.slug
    day = span.starts_at.date()
    from urllib.parse import urlencode

    pencil = urlencode({"title": "Held for a show", "kind": "other", "starts_at": f"{span.starts_at:%Y-%m-%dT%H:%M}",
                        "ends_at": f"{span.ends_at:%Y-%m-%dT%H:%M}"})
    return [
        DateAction("Pencil it in for the band", "bookmark-plus", f"{reverse('act_event_new', args=[slug])}?{pencil}",
                   "hold", testid="date-pencil", order=1),
        DateAction("Share this date", "share", reverse("share_link_new", args=[slug]), "share", method="post",
                   fields={"starts_on": day.isoformat(), "ends_on": day.isoformat(), "label": long_day(day),
                           "min_hours": "0"}, testid="date-share"),
    ]


def register():
    register_nav(NavItem("Schedule", "act_schedule", "calendar-month", SCHEDULE_VIEW, frozenset({"act"}), order=25, group="Plan"))
    register_panel({"act"}, schedule_panel)
    register_date_action(own_date_actions)
