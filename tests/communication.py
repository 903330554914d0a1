"""A venue (Lantern Hall), an act (The Owls) and an agency, each with one person per role; ``fire``
runs the on-commit callbacks, so the domain events reach the notification receivers as after a real commit."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services as bookings
from backline.notifications.models import Notification
from backline.venues.models import Venue

BERLIN = ZoneInfo("Europe/Berlin")


def show_time(days=30, hour=20, hours=2):
    start = (timezone.now() + dt.timedelta(days=days)).astimezone(BERLIN).replace(hour=hour, minute=0, second=0,
                                                                                  microsecond=0)
    return start, start + dt.timedelta(hours=hours)


@pytest.fixture
def fire(django_capture_on_commit_callbacks):
    """``with fire(): ...``: the block's on-commit work (events, emails) runs at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(make_team):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    return {"venue_ws": venue_ws, "venue": Venue.objects.get(workspace=venue_ws), "buyer": buyer, "act_ws": act_ws,
            "act": act_ws.act, "band": band}


@pytest.fixture
def outsider(make_team):
    """The owner of another venue: never told about Lantern Hall's business."""
    _, people = make_team(WorkspaceKind.VENUE, name="Elsewhere Club")
    return people[Role.OWNER]


def inquiry(w, **kw):
    args = {"title": "Friday club night", "act_id": w["act"].pk, "venue_id": w["venue"].pk, "budget": "800"} | kw
    return bookings.inquiry_create(actor=w["buyer"][Role.OWNER], workspace_id=w["venue_ws"].pk, **args)


def held(w, days=30, **kw):
    booking = inquiry(w, **kw)
    start, end = show_time(days)
    return bookings.hold_place(actor=w["buyer"][Role.OWNER], booking_id=booking.pk, starts_at=start, ends_at=end)


def told(type=None, **filters):
    """{user id: [notifications]} written so far (of one type)."""
    qs = Notification.objects.all() if type is None else Notification.objects.filter(type=type, **filters)
    out = {}
    for n in qs.order_by("id"):
        out.setdefault(n.user_id, []).append(n)
    return out


def ids(people, *roles):
    return {people[r].pk for r in roles}


EVERY_ROLE = (Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER)
