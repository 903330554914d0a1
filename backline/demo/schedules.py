"""The demo world's calendars: every demo person's usual week, holidays, an imported personal
calendar, The Velvet Owls' rehearsals and an open date poll. Dates are relative to today, so the
green zone always has something to show."""

from __future__ import annotations

import datetime as dt
import random

from backline.accounts.models import Role, User
from backline.artists.models import Act
from backline.core.timeutil import zone
from backline.scheduling.models import AvailabilityRule
from backline.scheduling.services import act_events, availability, external_calendars, polls

DOMAIN = "demo.example.org"

# (state, start, end, rrule, note): the usual weeks people describe
WEEKS = [
    [("free", "18:00", "23:30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "after work"),
     ("free", "12:00", "00:00", "FREQ=WEEKLY;BYDAY=SA", "")],
    [("busy", "09:00", "17:30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "day job"),
     ("free", "18:30", "23:59", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA", "")],
    [("free", "17:00", "01:00", "FREQ=WEEKLY;BYDAY=TU,WE,TH,FR,SA", ""),
     ("busy", "10:00", "22:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", "kids' weekend")],
    [("free", "19:00", "23:30", "FREQ=WEEKLY;BYDAY=MO,WE,TH,FR,SA,SU", ""),
     ("busy", "18:00", "22:00", "FREQ=MONTHLY;BYDAY=1TU", "choir")],
]


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat("00:00" if text == "24:00" else text)


def _usual_week(rng: random.Random, user: User, today: dt.date) -> None:
    availability.schedule_set_default(actor=user, default_state=rng.choice(["unknown", "unknown", "busy"]))
    for state, start, end, rrule, note in rng.choice(WEEKS):
        availability.availability_rule_create(actor=user, state=state, starts_on=today - dt.timedelta(days=30),
                                              start_time=_t(start), end_time=_t(end), rrule=rrule, label=note)
    if rng.random() < 0.6:  # a holiday somewhere in the next months
        first = today + dt.timedelta(days=rng.randint(10, 120))
        availability.availability_block_create(actor=user, state="busy", starts_at=first,
                                               ends_at=first + dt.timedelta(days=rng.randint(3, 12)), all_day=True,
                                               time_zone=user.time_zone, label="holiday")


def _velvet_owls(owner: User, today: dt.date) -> None:
    act = Act.objects.select_related("workspace").get(workspace__memberships__user=owner,
                                                      workspace__memberships__role=Role.OWNER)
    tz = zone(act.workspace.time_zone)
    tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
    for week in range(6):
        day = tuesday + dt.timedelta(weeks=week)
        start = dt.datetime.combine(day, dt.time(19), tzinfo=tz)
        act_events.act_event_create(actor=owner, workspace_id=act.workspace_id, title="Rehearsal", kind="rehearsal",
                                    starts_at=start, ends_at=start + dt.timedelta(hours=3),
                                    location="Proberaum Kreuzberg, Room 4")
    studio = dt.datetime.combine(today + dt.timedelta(days=24), dt.time(10), tzinfo=tz)
    act_events.act_event_create(actor=owner, workspace_id=act.workspace_id, title="Recording: B-sides", kind="recording",
                                starts_at=studio, ends_at=studio + dt.timedelta(hours=8), location="Hansa Studio 2")
    options = []
    for offset in (9, 10, 16):
        start = dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(19), tzinfo=tz)
        options.append((start, start + dt.timedelta(hours=3)))
    polls.poll_create(actor=owner, workspace_id=act.workspace_id, title="Extra rehearsal before the tour",
                      notes="We need one more full run-through. Which evening works?", options=options)


def build(today: dt.date | None = None) -> bool:
    """Add the calendars; ``False`` if they are already there."""
    if AvailabilityRule.objects.filter(user__email__endswith=f"@{DOMAIN}").exists():
        return False
    today = today or dt.date.today()
    rng = random.Random(20261124)
    people = User.objects.filter(email__endswith=f"@{DOMAIN}", is_staff=False).order_by("email")
    for user in people:
        _usual_week(rng, user, today)
    owner = User.objects.get(email=f"owner.act@{DOMAIN}")
    external_calendars.demo_import(user=owner, name="Personal (Google)", events=[
        (dt.datetime.combine(today + dt.timedelta(days=d), dt.time(h), tzinfo=zone(owner.time_zone)), hours, title)
        for d, h, hours, title in [(3, 19, 3, "Birthday dinner"), (12, 18, 5, "Cousin's wedding rehearsal"),
                                   (20, 20, 3, "Theatre tickets")]])
    _velvet_owls(owner, today)
    return True
