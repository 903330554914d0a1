"""The dashboard's booking panels: what needs attention first (holds running out, inquiries and offers
to answer, offers waiting for the other side, next shows) and bookings by stage over the coming
months; who sees them; and the dashboard's queries, constant whatever the number of bookings."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from backline.accounts.models import Role
from backline.accounts.permissions import access_workspace
from backline.bookings import selectors, services
from backline.conversations import services as threads
from tests.communication import held, inquiry, show_time
from tests.communication import world as world  # noqa: F401  (the fixture)
from tests.pages import SHELL_QUERIES, count_queries, session_queries, url

pytestmark = pytest.mark.django_db

GUARANTEE = {"deal_type": "guarantee", "guarantee": "500", "deposit_percent": "50"}


def _access(user, workspace):
    return access_workspace(user=user, workspace_id=workspace.pk)


def _keys(lists, key):
    return [b.title for b in lists[key]["rows"]]


def test_each_list_holds_what_needs_that_answer(world):
    buyer, band_owner = world["buyer"][Role.OWNER], world["band"][Role.OWNER]
    inquiry(world, title="Unanswered inquiry")
    soon = held(world, days=30, title="Hold running out")
    start, end = show_time(40)
    services.hold_place(actor=buyer, booking_id=inquiry(world, title="Hold with time").pk, starts_at=start,
                        ends_at=end, expires_at=timezone.now() + dt.timedelta(days=20))
    # run out within the week: expire it sooner than the default
    services.hold_release(actor=buyer, booking_id=soon.pk, reason="moved")
    start, end = show_time(50)
    services.hold_place(actor=buyer, booking_id=inquiry(world, title="Hold running out").pk, starts_at=start,
                        ends_at=end, expires_at=timezone.now() + dt.timedelta(days=2))
    offered = held(world, days=60, title="Offer from the venue")
    services.offer_make(actor=buyer, booking_id=offered.pk, **GUARANTEE)
    countered = held(world, days=70, title="Countered by the band")
    services.offer_make(actor=buyer, booking_id=countered.pk, **GUARANTEE)
    services.offer_make(actor=band_owner, booking_id=countered.pk, **{**GUARANTEE, "guarantee": "700"})
    confirmed = held(world, days=10, title="Confirmed show")
    services.offer_make(actor=buyer, booking_id=confirmed.pk, **GUARANTEE)
    services.offer_accept(actor=band_owner, booking_id=confirmed.pk)

    venue = selectors.attention_for(_access(buyer, world["venue_ws"]))
    assert _keys(venue, "expiring") == ["Hold running out"]
    assert _keys(venue, "inquiries") == ["Unanswered inquiry"]
    assert _keys(venue, "to_answer") == ["Countered by the band"]
    assert _keys(venue, "waiting") == ["Offer from the venue"]
    assert _keys(venue, "shows") == ["Confirmed show"]

    band = selectors.attention_for(_access(band_owner, world["act_ws"]))
    assert _keys(band, "to_answer") == ["Offer from the venue"]
    assert _keys(band, "waiting") == ["Countered by the band"]
    assert _keys(band, "inquiries") == []  # the act sees a booking from the hold on
    assert _keys(band, "expiring") == ["Hold running out"]


def test_an_inquiry_the_act_sent_waits_for_the_venue_on_the_acts_dashboard(world):
    """The act asked; the venue answers. Mixing the two up told a band to answer its own request."""
    day = timezone.localdate() + dt.timedelta(days=40)
    services.inquiry_request(actor=world["band"][Role.OWNER], act_workspace_id=world["act_ws"].pk,
                             venue_id=world["venue"].pk, date_from=day)
    band = selectors.attention_for(_access(world["band"][Role.OWNER], world["act_ws"]))
    assert (band["inquiries"]["count"], band["waiting"]["count"]) == (0, 1)
    venue = selectors.attention_for(_access(world["buyer"][Role.OWNER], world["venue_ws"]))
    assert (venue["inquiries"]["count"], venue["waiting"]["count"]) == (1, 0)


def test_lists_are_short_but_count_everything_soonest_first(world):
    buyer = world["buyer"][Role.OWNER]
    for i in range(7):
        start, end = show_time(20 + i)
        services.hold_place(actor=buyer, booking_id=inquiry(world, title=f"Hold {i}").pk, starts_at=start, ends_at=end,
                            expires_at=timezone.now() + dt.timedelta(days=6 - i % 7, hours=1))
    lists = selectors.attention_for(_access(buyer, world["venue_ws"]))
    assert lists["expiring"]["count"] == 7
    rows = lists["expiring"]["rows"]
    assert len(rows) == 5
    assert [b.hold_expires_at for b in rows] == sorted(b.hold_expires_at for b in rows)
    assert _keys(lists, "expiring")[0] == "Hold 6"


def test_stages_by_month_counts_each_stage_and_adds_up_value(world):
    buyer = world["buyer"][Role.OWNER]
    today = timezone.localdate()
    inquiry(world, title="Undated")  # no date: not on the chart
    in_a_month = today + dt.timedelta(days=35)
    inquiry(world, title="Dated inquiry", date_from=in_a_month, budget="800")
    offered = held(world, days=35, title="Offer")
    services.offer_make(actor=buyer, booking_id=offered.pk, **GUARANTEE)
    data = selectors.stages_by_month(_access(buyer, world["venue_ws"]), today=today)
    assert len(data["labels"]) == 6 and data["months"][0] == today.replace(day=1)
    by_stage = {s["key"]: s["counts"] for s in data["stages"]}
    assert sum(by_stage["inquiry"]) == 1 and sum(by_stage["offer"]) == 1
    assert sum(by_stage["hold"]) == 0 and sum(by_stage["confirmed"]) == 0
    assert sum(data["values"]) == 800 + 500  # the inquiry's budget, the offer's guarantee


def test_rows_of_the_same_show_title_lead_with_their_date_and_wrap(world, login_client):
    """Two inquiries for the same act at the same venue read apart by their dates, given first; the title is
    not cut off (it wraps on a phone)."""
    for days in (30, 37):
        start, end = show_time(days)
        inquiry(world, title="The Velvet Owls at Lantern Hall", starts_at=start, ends_at=end)
    page = login_client(world["buyer"][Role.OWNER]).get(url(world["venue_ws"])).content.decode()
    panel = page.split('data-testid="attention-panel"')[1].split("</section>")[0]
    rows = re.findall(r'<li class="py-1 border-bottom" data-testid="attention-row">(.*?)</li>', panel, re.S)
    owls = [r for r in rows if "The Velvet Owls at Lantern Hall" in r]
    dates = [re.search(r'data-testid="attention-date">([^<]+)<', r).group(1) for r in owls]
    assert len(owls) == 2 and len(set(dates)) == 2
    for row in owls:
        assert row.index('data-testid="attention-date"') < row.index("The Velvet Owls")
        assert "text-truncate" not in row


def test_a_viewer_sees_the_panels_and_a_performer_sees_none_of_the_books(world, login_client, make_team):
    venue_viewer = login_client(world["buyer"][Role.VIEWER])
    inquiry(world, title="Visible to the viewer")
    page = venue_viewer.get(url(world["venue_ws"])).content.decode()
    assert 'data-testid="attention-panel"' in page and "Visible to the viewer" in page
    assert 'data-testid="stages-chart-panel"' in page and 'data-testid="unread-panel"' in page

    agency, people = make_team("agency", name="Night Owls Agency")
    performer_page = login_client(people[Role.PERFORMER]).get(url(agency)).content.decode()
    assert 'data-testid="attention-panel"' not in performer_page
    assert 'data-testid="stages-chart-panel"' not in performer_page
    assert 'data-testid="unread-panel"' not in performer_page


def test_empty_dashboards_say_so_in_words(world, login_client):
    page = login_client(world["band"][Role.OWNER]).get(url(world["act_ws"])).content.decode()
    assert "No hold runs out in the next 7 days." in page
    assert "Nothing in the pipeline for the next six months yet." in page
    assert "You are all caught up: nothing unread." in page
    assert "dist/charts.js" not in page  # no chart, no chart script


def test_the_chart_data_is_json_not_script_and_has_a_table(world, login_client):
    held(world, days=20, title="Held date")
    page = login_client(world["buyer"][Role.OWNER]).get(url(world["venue_ws"])).content.decode()
    assert 'src="/static/dist/charts.js"' in page
    data = json.loads(re.search(r'<script id="stages-chart-data" type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    assert data["kind"] == "stages" and [s["label"] for s in data["stages"]] == ["Inquiry", "Hold", "Offer out",
                                                                                  "Confirmed"]
    assert sum(sum(s["counts"]) for s in data["stages"]) == 1
    assert "The same numbers as a table" in page


def test_the_agency_chart_adds_each_months_value(make_team, login_client):
    from backline.bookings.agency import services as agency

    ws, people = make_team("agency", name="Bright Lights Agency")
    owner = people[Role.OWNER]
    client = agency.client_create(actor=owner, workspace_id=ws.pk, name="Acme Corp")
    services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Summer party", client_id=client.pk,
                            date_from=timezone.localdate() + dt.timedelta(days=40), budget="2500")
    page = login_client(owner).get(url(ws)).content.decode()
    assert "Bookings and quotes by stage" in page
    data = json.loads(re.search(r'<script id="stages-chart-data" type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    assert sum(data["values"]["data"]) == 2500 and data["values"]["currency"] == ws.currency


# Each dashboard's own queries, on top of the shell's (SHELL_QUERIES: user, memberships, bell), for a
# workspace without a website (so the profile check asks for social links). A venue: its venues, the
# attention lists, the chart, unread conversations (threads, their parties), social links, members,
# invitations (the workspace's and the person's, one query). An act: the same without venues, plus
# the band card (the act, its genres, the line-up) and the green-zone card (line-up with schedules,
# patterns, blocks, commitments, open polls). docs/benchmarks.md, "Query budgets", says why.
DASHBOARD_BUDGET = {"venue": 8, "act": 15}  # the act: with a cold availability cache (3 fewer warm)


def test_the_dashboard_is_constant_in_queries(world, login_client, django_assert_max_num_queries):
    buyer = world["buyer"][Role.OWNER]
    owner_client = login_client(buyer)
    band_client = login_client(world["band"][Role.OWNER])
    held(world, days=15, title="First")
    threads.direct_thread_start(actor=world["band"][Role.OWNER], workspace_id=world["act_ws"].pk,
                                to_workspace_ids=[world["venue_ws"].pk], subject="Hello", body="First")
    paths = {"venue": (owner_client, url(world["venue_ws"])), "act": (band_client, url(world["act_ws"]))}
    few = {k: count_queries(c, p) for k, (c, p) in paths.items()}
    for i in range(12):
        booking = held(world, days=16 + i, title=f"Show {i}")
        services.offer_make(actor=buyer, booking_id=booking.pk, **GUARANTEE)
        inquiry(world, title=f"Inquiry {i}", date_from=timezone.localdate() + dt.timedelta(days=30 + i))
        threads.direct_thread_start(actor=world["band"][Role.OWNER], workspace_id=world["act_ws"].pk,
                                    to_workspace_ids=[world["venue_ws"].pk], subject=f"Topic {i}", body="More")
    many = {k: count_queries(c, p) for k, (c, p) in paths.items()}
    assert many == few, f"dashboard queries grew with the data: {few} → {many}"
    for kind, (client, path) in paths.items():
        with django_assert_max_num_queries(DASHBOARD_BUDGET[kind] + SHELL_QUERIES + session_queries()):
            client.get(path)
