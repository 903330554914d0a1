"""Who's free: an agency sees each performer free, busy (a booking of its own, a commitment elsewhere,
time they marked unavailable) or unknown for a day or part of it, from its bookings and the performers'
own availability; as a page (one list, each performer with a status badge and why, one click from
assigning) and through the API."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists.services import performer_create, performer_link_user
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.agency.selectors import performers_availability
from backline.scheduling.services.availability import availability_block_create, availability_rule_create, schedule_set_default
from backline.scheduling.services.commitments import commitments_sync
from tests.factories import UserFactory
from tests.pages import assert_constant_queries, url

DAY = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture
def api():
    return lambda user: Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


def at(hour: int, minute: int = 0, *, tz="Europe/Berlin", day=DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(tz))


@pytest.fixture
def roster(make_team):
    """An agency in Berlin with five performers: Ana (booked by the agency 18–22), Ben (a rehearsal with
    another act 10–13), Cleo (a day off that day), Dan (free every evening 18–23), Eve (no account)."""
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    owner = people[Role.OWNER]
    act_ws, _ = make_team(WorkspaceKind.ACT, name="The Owls")
    names = {}
    for name in ("Ana", "Ben", "Cleo", "Dan", "Eve"):
        performer = performer_create(actor=owner, workspace_id=ws.pk, name=name)
        if name != "Eve":
            user = UserFactory(time_zone="Europe/Berlin")
            invitation = accounts.invitation_create(actor=owner, workspace_id=ws.pk, email=user.email, role=Role.PERFORMER)
            accounts.invitation_accept(user=user, token=invitation.token)
            performer_link_user(actor=owner, performer_id=performer.pk, user_id=user.pk)
            performer.user = user
            schedule_set_default(actor=user, default_state="unknown")
        names[name] = performer
    gig = services.inquiry_create(actor=owner, workspace_id=ws.pk, title="Gala", starts_at=at(18), ends_at=at(22))
    agency_services.performer_assign(actor=owner, booking_id=gig.pk, performer_id=names["Ana"].pk, payout="300")
    commitments_sync(source_type="act_event", source_id=424242, workspace_id=act_ws.pk, user_ids=[names["Ben"].user_id],
                     title="Owls rehearsal", starts_at=at(10), ends_at=at(13), time_zone="Europe/Berlin")
    availability_block_create(actor=names["Cleo"].user, state="busy", starts_at=DAY, ends_at=DAY, all_day=True,
                              label="Dentist and family", time_zone="Europe/Berlin")
    availability_rule_create(actor=names["Dan"].user, state="free", starts_on=DAY - dt.timedelta(days=7),
                             start_time=dt.time(18), end_time=dt.time(23), rrule="FREQ=DAILY", time_zone="Europe/Berlin")
    return ws, people, names, gig


def _by_name(rows):
    return {d.performer.name: d for d in rows}


def test_a_day_uses_the_agencys_bookings_and_each_performers_own_availability(roster):
    ws, _, names, gig = roster
    day = _by_name(performers_availability(ws, DAY))
    assert {n: d.status for n, d in day.items()} == {"Ana": "busy", "Ben": "busy", "Cleo": "busy", "Dan": "free",
                                                     "Eve": "unknown"}
    assert [(r.kind, r.label, r.booking) for r in day["Ana"].reasons] == [("booking", "Booked: Gala", gig)]
    assert [(r.kind, r.label) for r in day["Ben"].reasons] == [("commitment", "Committed elsewhere")]  # not named
    assert [(r.kind, r.label) for r in day["Cleo"].reasons] == [("unavailable", "Marked unavailable")]  # nor the why
    assert day["Dan"].free == [(at(18), at(23))]
    assert not day["Eve"].has_account and day["Eve"].reasons == []


def test_a_time_narrows_it_and_free_means_free_all_of_it(roster):
    ws, _, names, _ = roster
    morning = _by_name(performers_availability(ws, DAY, start=dt.time(9), end=dt.time(12)))
    assert {n: d.status for n, d in morning.items()} == {"Ana": "unknown", "Ben": "busy",
                                                         "Cleo": "busy", "Dan": "unknown", "Eve": "unknown"}
    evening = _by_name(performers_availability(ws, DAY, start=dt.time(19), end=dt.time(22)))
    assert evening["Dan"].status == "free" and evening["Ana"].status == "busy" and evening["Ben"].status == "unknown"
    late = _by_name(performers_availability(ws, DAY, start=dt.time(20), end=dt.time(1)))  # past midnight
    assert late["Dan"].status == "unknown" and late["Dan"].free == [(at(20), at(23))]


def _row(page, performer):
    """The performer's row of the list: from their entry to the next one (or the list's end)."""
    return page.split(f'data-performer="{performer.pk}"')[1].split('data-testid="performer"')[0].split("</section>")[0]


def test_the_page_lists_each_performer_with_a_status_badge_and_why(roster, login_client):
    ws, people, names, gig = roster
    client = login_client(people[Role.COORDINATOR])
    page = client.get(url(ws, f"whos-free/?date={DAY.isoformat()}")).content.decode()
    status = {name: re.search(r'data-testid="status">([^<]+)<', _row(page, p))[1] for name, p in names.items()}
    assert status == {"Ana": "Booked", "Ben": "Booked elsewhere", "Cleo": "Marked unavailable", "Dan": "Free",
                      "Eve": "No calendar linked"}
    assert "Gala" in _row(page, names["Ana"]) and "Free 18:00–23:00" in _row(page, names["Dan"])
    assert "Owls rehearsal" not in page and "Dentist" not in page  # other workspaces' and private words stay private
    order = [int(pk) for pk in re.findall(r'data-testid="performer" data-performer="(\d+)"', page)]
    assert order.index(names["Dan"].pk) < order.index(names["Eve"].pk) < order.index(names["Ana"].pk)  # free first
    assert f'href="?booking={gig.pk}"' in page  # the day's shows, one click from staffing them
    detail = client.get(url(ws, f"bookings/{gig.pk}/")).content.decode()  # and from the booking's page
    assert f'href="/w/{ws.slug}/whos-free/?booking={gig.pk}" data-testid="staffing-whos-free"' in detail
    assert f'href="/w/{ws.slug}/gigs/{gig.pk}/" data-testid="staffing-gig"' in detail
    staffing = client.get(url(ws, f"whos-free/?booking={gig.pk}")).content.decode()
    assert "On this show" in _row(staffing, names["Ana"])
    assign = _row(staffing, names["Dan"])
    assert f'action="/w/{ws.slug}/bookings/{gig.pk}/performers/"' in assign and f'value="{names["Dan"].pk}"' in assign
    response = client.post(f"/w/{ws.slug}/bookings/{gig.pk}/performers/", {"performer": names["Dan"].pk, "payout": "250"})
    assert response.status_code == 302 and gig.assignments.filter(performer=names["Dan"]).exists()


def test_assigning_without_a_payout_says_so_beside_that_performers_payout_and_assigns_nobody(roster, login_client):
    ws, people, names, gig = roster
    client = login_client(people[Role.COORDINATOR])
    before = gig.assignments.count()
    response = client.post(f"/w/{ws.slug}/bookings/{gig.pk}/performers/",
                           {"performer": names["Eve"].pk, "payout": "", "back": "whos-free"})
    assert response.status_code == 302
    eve = names["Eve"].pk
    assert response["Location"] == f"/w/{ws.slug}/whos-free/?booking={gig.pk}&unpaid={eve}#performer-{eve}"
    page = client.get(response["Location"]).content.decode()
    row = _row(page, names["Eve"])
    assert 'data-testid="payout-error"' in row and "Enter what Eve is paid for this show" in row and "is-invalid" in row
    assert 'data-testid="payout-error"' not in _row(page, names["Dan"])
    assert gig.assignments.count() == before
    done = client.post(f"/w/{ws.slug}/bookings/{gig.pk}/performers/",
                       {"performer": names["Eve"].pk, "payout": "0", "back": "whos-free"})
    assert done["Location"] == f"/w/{ws.slug}/whos-free/?booking={gig.pk}#performer-{names['Eve'].pk}"
    assert gig.assignments.filter(performer=names["Eve"]).exists()


def test_bad_input_is_answered_beside_the_field(roster, login_client):
    ws, people, *_ = roster
    client = login_client(people[Role.COORDINATOR])
    response = client.get(url(ws, "whos-free/?date=31.02.2027"))
    assert response.status_code == 422 and "Enter a valid date" in response.content.decode()
    assert client.get(url(ws, "whos-free/?date=9999-12-31")).status_code == 422
    assert client.get(url(ws, "whos-free/?booking=999999")).status_code == 404


def test_the_api_keeps_its_fields_and_adds_status_reasons_and_free_times(roster, api):
    ws, people, names, gig = roster
    rows = api(people[Role.COORDINATOR]).get(f"/api/v1/agencies/{ws.pk}/performer-availability",
                                               {"date": DAY.isoformat()}).json()
    by_name = {r["name"]: r for r in rows}
    assert {n: (r["free"], r["status"]) for n, r in by_name.items()} == {
        "Ana": (False, "busy"), "Ben": (False, "busy"), "Cleo": (False, "busy"), "Dan": (True, "free"),
        "Eve": (True, "unknown")}  # "free" is "not busy", as before; status tells free from unknown
    assert by_name["Ana"]["booked"] == [gig.reference]
    assert by_name["Ana"]["reasons"][0] | {"starts_at": None, "ends_at": None} == {
        "kind": "booking", "label": "Booked: Gala", "booking_id": gig.pk, "starts_at": None, "ends_at": None}
    assert by_name["Dan"]["free_times"] and not by_name["Eve"]["has_account"]
    evening = api(people[Role.COORDINATOR]).get(f"/api/v1/agencies/{ws.pk}/performer-availability",
                                                  {"date": DAY.isoformat(), "start": "19:00", "end": "22:00"}).json()
    assert {r["name"]: r["status"] for r in evening}["Ben"] == "unknown"


def test_whos_free_uses_constant_queries_whatever_the_number_of_performers(roster, login_client,
                                                                          django_assert_max_num_queries):
    ws, people, names, gig = roster
    owner = people[Role.OWNER]
    n = iter(range(100))

    def add_rows():
        for _ in range(3):
            i = next(n)
            user = UserFactory()
            invitation = accounts.invitation_create(actor=owner, workspace_id=ws.pk, email=user.email, role=Role.PERFORMER)
            accounts.invitation_accept(user=user, token=invitation.token)
            performer = performer_create(actor=owner, workspace_id=ws.pk, name=f"Extra {i}")
            performer_link_user(actor=owner, performer_id=performer.pk, user_id=user.pk)
            availability_rule_create(actor=user, state="free", starts_on=DAY, start_time=dt.time(12), end_time=dt.time(14),
                                     rrule="FREQ=WEEKLY", time_zone="Europe/Berlin")
            agency_services.performer_assign(actor=owner, booking_id=gig.pk, performer_id=performer.pk, payout="10")
            performer_create(actor=owner, workspace_id=ws.pk, name=f"No account {i}")

    assert_constant_queries(login_client(people[Role.COORDINATOR]), {
        url(ws, f"whos-free/?date={DAY.isoformat()}"): 9, url(ws, f"whos-free/?booking={gig.pk}"): 10}, add_rows,
        django_assert_max_num_queries)
