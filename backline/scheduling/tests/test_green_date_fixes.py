"""A green date's actions carry the green window as the show's times and say what they do (ask vs hold);
days already gone are never green; and a free and a busy pattern that overlap say which wins."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.bookings.models import Booking
from backline.core.timeutil import zone
from backline.scheduling import selectors
from backline.scheduling.models import AvailabilityRule
from backline.scheduling.services.availability import availability_rule_create
from backline.venues.models import Venue


@pytest.fixture
def lantern(make_team):
    venue_ws, _ = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    return Venue.objects.get(workspace=venue_ws)


def web(user):
    client = Client()
    client.force_login(user)
    return client


def first_whole_green(rows):
    """The first green date after today: today's window, once begun, starts at the present second."""
    return next((span, actions) for span, actions in rows
                if span.starts_at.date() > dt.datetime.now(span.starts_at.tzinfo).date())


def first_green(client, ws):
    page = client.get(f"/w/{ws.slug}/schedule/")
    span, actions = first_whole_green(page.context["green_rows"])
    return span, {a.testid: a for a in actions}


def test_asking_for_a_green_date_fills_in_the_green_window_and_the_booking_keeps_it(band, lantern):
    ws, people = band
    venue = lantern
    client = web(people[Role.OWNER])
    span, actions = first_green(client, ws)
    form = client.get(actions["date-ask"].url).context["form"]
    assert (form.initial["start_time"], form.initial["end_time"]) == (span.starts_at.time(), span.ends_at.time())
    data = {"to": f"v{venue.pk}", "date_from": form.initial["date_from"].isoformat(),
            "start_time": f"{form.initial['start_time']:%H:%M}", "end_time": f"{form.initial['end_time']:%H:%M}",
            "currency": "EUR", "message": form.initial["message"]}
    assert client.post(actions["date-ask"].url, data).status_code == 302
    booking = Booking.objects.get()
    local = booking.starts_at.astimezone(zone(booking.time_zone))
    assert (local.date(), local.time()) == (span.starts_at.date(), span.starts_at.time())
    assert booking.ends_at - booking.starts_at == span.ends_at - span.starts_at


def test_asking_for_a_hold_says_so_and_names_the_venue_once_chosen(band, lantern):
    ws, people = band
    client = web(people[Role.OWNER])
    span, actions = first_green(client, ws)
    hold = client.get(actions["date-hold"].url).content.decode()
    day = span.starts_at.date()
    assert f"Ask a venue or promoter to hold {day:%A} {day.day} {day:%B %Y} for you" in hold
    assert "Ask for the hold" in hold
    named = client.get(f"{actions['date-hold'].url}&venue={lantern.pk}").content.decode()
    assert "Ask Lantern Hall to hold " in named
    plain = client.get(actions["date-ask"].url).content.decode()
    assert "to hold" not in plain.split("<h1", 1)[1].split("</h1>")[0]


def test_days_gone_are_never_green(band):
    ws, people = band
    act = ws.act
    act.workspace = ws
    today = timezone.localdate(timezone=zone(ws.time_zone))
    view = selectors.green_zone_for_act(act, start=today - dt.timedelta(days=20), end=today + dt.timedelta(days=5))
    now = timezone.now()
    assert view.all_free and all(s.starts_at >= now - dt.timedelta(seconds=1) for s in view.all_free)
    assert not [d for d in view.days if d < today]
    evenings = selectors.green_zone_for_act(act, start=today - dt.timedelta(days=20), end=today + dt.timedelta(days=5),
                                            window=(dt.time(18), dt.time(2)), min_hours=3)
    assert all(s.starts_at >= now - dt.timedelta(seconds=1) and s.hours >= 3 for s in evenings.all_free)
    api = web(people[Role.MEMBER]).get(f"/api/v1/acts/{ws.pk}/green-zone",
                                       {"start": (today - dt.timedelta(days=10)).isoformat(), "end": today.isoformat()})
    assert api.status_code == 200 and not [d for d in api.json()["days"] if d < today.isoformat()]


def test_a_busy_pattern_over_a_free_one_says_busy_wins(make_user):
    person = make_user()
    client = web(person)
    start = timezone.localdate(timezone=zone(person.time_zone))
    availability_rule_create(actor=person, state="free", starts_on=start, start_time=dt.time(18),
                             end_time=dt.time(23, 30), rrule="FREQ=WEEKLY;BYDAY=FR")
    saved = client.post("/me/availability/patterns/new/", {
        "state": "busy", "starts_on": start.isoformat(), "start_time": "20:00", "end_time": "23:00",
        "repeat": "weekly", "days": ["FR"], "ends": "never"}, follow=True)
    assert AvailabilityRule.objects.filter(user=person).count() == 2
    html = saved.content.decode()
    said = "Busy every Friday, 20:00–23:00 overrides your free pattern “every Friday, 18:00–23:30” at those hours"
    assert said in html  # after saving
    assert html.count('data-testid="rule-clash"') == 2  # and on both patterns in the list
    AvailabilityRule.objects.filter(user=person, state="busy").update(start_time=dt.time(9), end_time=dt.time(17))
    assert selectors.pattern_clashes(AvailabilityRule.objects.filter(user=person)) == {}


def test_pitching_a_green_date_writes_the_date_in_and_shows_the_email_as_it_will_read(band):
    ws, people = band
    client = web(people[Role.OWNER])
    span, actions = first_green(client, ws)
    day = span.starts_at.date()
    words = f"The Owls is free on {day:%A} {day.day} {day:%B %Y}"
    page = client.get(actions["date-pitch"].url)
    form = page.context["form"]
    assert form.initial["subject"] == words and words in form.initial["body"]  # the date itself, not a field
    html = page.content.decode()
    sample = html.split('data-testid="compose-sample"', 1)[1].split("</section>", 1)[0]
    assert "filled in for each recipient" in sample and words in sample
    body = sample.split('data-testid="compose-sample-subject"', 1)[1]
    assert "{{" not in body and "Hello Mara," in body  # every field read as it will be, by example
    assert "filled in for each recipient" in html.split('data-testid="compose-body"', 1)[1]
