"""The act's green dates: the list says how many there are and pages through them (htmx), each date
offers what the person may do with it (ask a venue, pitch by email, hold, share), and a calendar click
opens the same actions for one date."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role
from backline.artists.models import ActMember
from backline.core.timeutil import zone
from backline.scheduling.services.availability import schedule_set_default
from tests.pages import session_queries

from .test_green_date_fixes import first_whole_green

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "green-dates"}


def web(user):
    client = Client()
    client.force_login(user)
    return client


def schedule(ws):
    return f"/w/{ws.slug}/schedule/"


def today(ws):
    return timezone.localdate(timezone=zone(ws.time_zone))


def test_the_list_says_how_many_and_pages_through_all_of_them(band):
    ws, people = band
    page = web(people[Role.OWNER]).get(schedule(ws))
    assert page.status_code == 200
    total = page.context["green_total"]
    assert total >= 89  # every evening of the next 90 days (tonight's may have started already)
    html = page.content.decode()
    assert f"{total} evenings (18:00–02:00)" in html and f"1–10 of {total}" in html
    assert html.count('data-testid="green-date"') == 10
    # The last page, through htmx: just the list, with the dates three months out (January's too).
    last = (total + 9) // 10
    fragment = web(people[Role.OWNER]).get(schedule(ws), {"green_page": last}, **HTMX)
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body and 'id="green-dates"' in body
    assert f"of {total}" in body and "Earlier" in body and "Later" not in body
    last_day = today(ws) + dt.timedelta(days=89)
    assert f'data-date="{last_day.isoformat()}"' in body


def test_each_date_offers_what_the_role_may_do(band):
    ws, people = band
    owner = web(people[Role.OWNER]).get(schedule(ws)).content.decode()
    for testid in ("date-ask", "date-pitch", "date-hold", "date-pencil", "date-share"):
        assert owner.count(f'data-testid="{testid}"') == 10, testid
    first = today(ws) + dt.timedelta(days=1)
    assert f"/w/{ws.slug}/bookings/new/?date={first.isoformat()}" in owner
    member = web(people[Role.MEMBER]).get(schedule(ws)).content.decode()  # may look, not book or share
    assert 'data-testid="green-date-menu"' not in member and 'data-testid="green-date"' in member


def test_the_list_costs_the_same_queries_on_every_page_and_for_any_band_size(band, make_user,
                                                                           django_assert_max_num_queries):
    """Seven: the person and their memberships, the act, and the green zone's own four (line-up, then
    everyone's patterns, blocks and commitments at once); the same on every page and with more members."""
    ws, people = band
    client = web(people[Role.OWNER])
    pages = {f"{schedule(ws)}?green_page=1": 7, f"{schedule(ws)}?green_page=5": 7}

    def add_members():
        for _ in range(4):
            person = make_user()
            schedule_set_default(actor=person, default_state="free")
            ActMember.objects.create(act=ws.act, name=person.display_name, user=person)

    few = {path: _count(client, path) for path in pages}
    add_members()
    many = {path: _count(client, path) for path in pages}
    assert few == many, (few, many)
    for path, budget in pages.items():
        with django_assert_max_num_queries(budget + session_queries()):
            assert client.get(path, **HTMX).status_code == 200


def _count(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, **HTMX)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, **HTMX).status_code == 200
    return len(ctx)


def test_one_date_opens_with_its_actions(band):
    ws, people = band
    day = today(ws) + dt.timedelta(days=10)
    url = f"/w/{ws.slug}/schedule/dates/{day.isoformat()}/"
    fragment = web(people[Role.COORDINATOR]).get(url, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert "Everyone is free 18:00–02:00" in body and 'data-testid="date-ask"' in body
    page = web(people[Role.VIEWER]).get(url)
    assert page.status_code == 200 and "<html" in page.content.decode() and 'data-testid="date-ask"' not in page.content.decode()
    for bad in ("not-a-date", (today(ws) - dt.timedelta(days=1)).isoformat(), "9999-12-31"):
        assert web(people[Role.OWNER]).get(f"/w/{ws.slug}/schedule/dates/{bad}/").status_code == 404


def test_a_busy_evening_says_so(band, make_team):
    ws, people = band
    schedule_set_default(actor=people[Role.OWNER], default_state="busy")
    day = today(ws) + dt.timedelta(days=3)
    body = web(people[Role.OWNER]).get(f"/w/{ws.slug}/schedule/dates/{day.isoformat()}/",
                                       HTTP_HX_REQUEST="true").content.decode()
    assert "Not everyone is free" in body and 'data-testid="date-ask"' not in body


def test_the_actions_land_on_prefilled_forms(band):
    ws, people = band
    client = web(people[Role.OWNER])
    owner = client.get(schedule(ws))
    green, actions = first_whole_green(owner.context["green_rows"])
    by_id = {a.testid: a for a in actions}
    ask = client.get(by_id["date-ask"].url)
    first = green.starts_at.date()
    assert ask.status_code == 200 and ask.context["form"].initial["date_from"] == first
    window = f"{green.starts_at:%H:%M}–{green.ends_at:%H:%M}"
    assert f"we are all free from {window}" in ask.context["form"].initial["message"]  # the evening is not lost
    hold = client.get(by_id["date-hold"].url)
    assert hold.context["form"].initial["message"].startswith("Could you put a hold on ")
    assert f"({window})" in hold.context["form"].initial["message"]
    pitch = client.get(by_id["date-pitch"].url)
    assert pitch.status_code == 200
    assert pitch.context["form"].initial["subject"].startswith("The Owls is free on ")
    pencil = client.get(by_id["date-pencil"].url)
    assert pencil.status_code == 200 and pencil.context["form"].initial["title"] == "Held for a show"
    assert pencil.context["form"].initial["starts_at"].time() == dt.time(18)
    share = by_id["date-share"]
    made = client.post(share.url, share.fields)
    assert made.status_code == 302
    from backline.scheduling.models import ShareLink

    link = ShareLink.objects.get(act=ws.act)
    assert link.starts_on == link.ends_on == green.starts_at.date()
