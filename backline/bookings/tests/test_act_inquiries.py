"""An act asks a venue or promoter for a date (``services.inquiry_request``): who may, what the buyer
and the act then see, bad input refused with nothing written, and the same through the API and the
web form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.bookings import selectors, services
from backline.bookings.models import Booking, Source, Status
from backline.bookings.permissions import access_booking
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.models import AuditEntry
from backline.core.timeutil import zone
from backline.notifications.models import Notification
from backline.venues.models import Venue

PROBLEM = "application/problem+json"


@pytest.fixture
def world(make_team, django_capture_on_commit_callbacks):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Blue Door")
    promoter_ws, promoter = make_team(WorkspaceKind.PROMOTER, name="Night Shift Promotions")
    agency_ws, agency = make_team(WorkspaceKind.AGENCY, name="Party Agency")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    rival_ws, rival = make_team(WorkspaceKind.ACT, name="The Larks")
    return {"venue_ws": venue_ws, "venue": Venue.objects.get(workspace=venue_ws), "buyer": buyer,
            "other_ws": other_ws, "other_venue": Venue.objects.get(workspace=other_ws), "other": other,
            "promoter_ws": promoter_ws, "promoter": promoter, "agency_ws": agency_ws, "agency": agency,
            "act_ws": act_ws, "act": act_ws.act, "band": band, "rival_ws": rival_ws, "rival": rival}


def in_days(days: int, tz="Europe/Berlin") -> dt.date:
    return timezone.localdate(timezone=zone(tz)) + dt.timedelta(days=days)


def ask(w, who=Role.OWNER, *, act_ws=None, **kw):
    args = {"venue_id": w["venue"].pk, "date_from": in_days(30)} | kw
    actor = w["band"][who] if isinstance(who, str) else who  # a role in the band, or any person
    return services.inquiry_request(actor=actor, act_workspace_id=(act_ws or w["act_ws"]).pk, **args)


# --- the service ----------------------------------------------------------------------------------

def test_an_act_asks_a_venue_and_both_sides_see_the_inquiry(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = ask(world, budget="600", message="We play dark folk; 90 minutes.")
    assert (booking.workspace, booking.act, booking.venue, booking.status) == (
        world["venue_ws"], world["act"], world["venue"], Status.INQUIRY)
    assert booking.act_asked and booking.source == Source.BACKLINE and booking.budget == Decimal("600")
    assert booking.date_to == booking.date_from and booking.time_zone == world["venue"].time_zone
    # Both sides open it: the buyer owns it, the act sees its own request from the start.
    assert access_booking(user=world["buyer"][Role.MEMBER], booking_id=booking.pk).side == "buyer"
    assert access_booking(user=world["band"][Role.VIEWER], booking_id=booking.pk).side == "act"
    assert booking in selectors.bookings_for(world["band"][Role.OWNER], status=[Status.INQUIRY])
    # Another venue, another act: 404, as for a missing booking.
    for stranger in (world["other"][Role.OWNER], world["rival"][Role.OWNER], world["promoter"][Role.OWNER]):
        with pytest.raises(NotFound):
            access_booking(user=stranger, booking_id=booking.pk)
        assert booking not in selectors.bookings_for(stranger)
    # The buyer's bookers are told who asks for which date; the act's people are not told of their own.
    told = Notification.objects.filter(type="inquiry")
    assert set(told.values_list("user_id", flat=True)) == {
        world["buyer"][r].pk for r in (Role.OWNER, Role.ADMIN, Role.COORDINATOR)}
    assert told.first().title.startswith("The Owls asks for a date at Lantern Hall on ")
    # The message opens the booking's conversation, written by the person who asked.
    thread = booking.threads.get(kind="booking")
    first = thread.messages.get()
    assert (first.body, first.author, first.author_workspace) == (
        "We play dark folk; 90 minutes.", world["band"][Role.OWNER], world["act_ws"])
    assert set(thread.parties.values_list("workspace_id", flat=True)) == {world["venue_ws"].pk, world["act_ws"].pk}
    # Both workspaces' histories have it.
    assert set(AuditEntry.objects.filter(action="booking.inquiry_sent").values_list("workspace_id", flat=True)) == {
        world["venue_ws"].pk, world["act_ws"].pk}


def test_the_buyer_takes_it_forward_and_the_act_accepts(world):
    booking = ask(world)
    owner = world["buyer"][Role.OWNER]
    start = dt.datetime.combine(booking.date_from, dt.time(20), tzinfo=zone(booking.time_zone))
    services.hold_place(actor=owner, booking_id=booking.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    services.offer_make(actor=owner, booking_id=booking.pk, deal_type="guarantee", guarantee="500")
    confirmed = services.offer_accept(actor=world["band"][Role.COORDINATOR], booking_id=booking.pk)
    assert confirmed.status == Status.CONFIRMED and confirmed.engagements.filter(act=world["act"]).exists()


def test_a_promoter_is_asked_with_or_without_a_venue(world):
    plain = ask(world, venue_id=None, buyer_workspace_id=world["promoter_ws"].pk)
    assert (plain.workspace, plain.venue, plain.title) == (world["promoter_ws"], None,
                                                           "The Owls at Night Shift Promotions")
    at_venue = ask(world, venue_id=world["other_venue"].pk, buyer_workspace_id=world["promoter_ws"].pk,
                   date_from=in_days(40))  # a promoter books into anyone's venue
    assert (at_venue.workspace, at_venue.venue) == (world["promoter_ws"], world["other_venue"])


def test_a_date_range_with_times(world):
    tz = zone(world["venue"].time_zone)
    start = dt.datetime.combine(in_days(20), dt.time(21), tzinfo=tz)
    booking = ask(world, date_from=None, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    assert booking.date_from == in_days(20) and booking.starts_at == start
    ranged = ask(world, date_from=in_days(50), date_to=in_days(60))
    assert (ranged.date_from, ranged.date_to) == (in_days(50), in_days(60))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_roles_without_bookings_manage_may_not_ask(world, role):
    with pytest.raises(Forbidden):
        ask(world, role)
    assert not Booking.objects.exists()


def test_only_acts_ask_and_only_their_own_members(world):
    with pytest.raises(NotFound):  # a venue's workspace is not an act: it logs inquiries instead
        ask(world, world["buyer"][Role.OWNER], act_ws=world["venue_ws"], venue_id=world["other_venue"].pk)
    with pytest.raises(NotFound):  # someone else's act
        ask(world, world["rival"][Role.OWNER])
    assert not Booking.objects.exists()


@pytest.mark.parametrize("kw, field", [
    ({"date_from": None}, "date_from"),
    ({"date_from": "past"}, "date_from"),
    ({"date_to": "before"}, "date_to"),
    ({"date_to": "long"}, "date_to"),
    ({"venue_id": None}, "venue_id"),
    ({"venue_id": 999999}, "venue_id"),
    ({"venue_id": None, "buyer_workspace_id": "agency"}, "buyer_workspace_id"),
    ({"venue_id": None, "buyer_workspace_id": "act"}, "buyer_workspace_id"),
    ({"buyer_workspace_id": "other_ws"}, "venue_id"),  # a venue books its own rooms only
    ({"budget": "-1"}, "budget"),
    ({"currency": "EURO"}, "currency"),
    ({"message": "x" * 5001}, "message"),
    ({"starts_at": "only"}, "ends_at"),
    ({"starts_at": "outside"}, "starts_at"),
])
def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(world, kw, field):
    tz = zone(world["venue"].time_zone)
    values = {"past": in_days(-1), "before": in_days(29), "long": in_days(30 + 92), "agency": world["agency_ws"].pk,
              "act": world["rival_ws"].pk, "other_ws": world["other_ws"].pk,
              "only": dt.datetime.combine(in_days(30), dt.time(20), tzinfo=tz)}
    args = {k: values.get(v, v) if isinstance(v, str) else v for k, v in kw.items()}
    if kw.get("starts_at") == "outside":
        start = dt.datetime.combine(in_days(45), dt.time(20), tzinfo=tz)
        args = {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}
    with pytest.raises(Invalid) as exc:
        ask(world, **args)
    assert field in exc.value.errors, exc.value.errors
    assert not Booking.objects.exists()


def test_a_venue_run_by_another_kind_of_workspace_is_refused(world):
    stray = Venue.objects.create(workspace=world["agency_ws"], name="Agency loft", capacity=50,
                                 time_zone="Europe/Berlin")
    with pytest.raises(Invalid) as exc:
        ask(world, venue_id=stray.pk)
    assert "venue_id" in exc.value.errors and not Booking.objects.exists()


def test_asking_twice_for_the_same_date_is_a_conflict_naming_the_first(world):
    first = ask(world)
    with pytest.raises(Conflict) as exc:
        ask(world, world["band"][Role.ADMIN])
    assert exc.value.code == "inquiry_exists" and exc.value.extra["conflicting"]["id"] == first.pk
    assert ask(world, venue_id=world["other_venue"].pk)  # another venue may be asked for the same date
    services.booking_cancel(actor=world["band"][Role.OWNER], booking_id=first.pk, reason="Asked elsewhere")
    assert ask(world)  # once withdrawn, the act may ask again


# --- the API --------------------------------------------------------------------------------------

def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


def post(user, workspace, body):
    return api(user).post(f"/api/v1/acts/{workspace.pk}/inquiries", body, content_type="application/json")


def test_the_api_sends_an_inquiry_and_both_sides_read_it(world):
    body = {"venue_id": world["venue"].pk, "date_from": in_days(30).isoformat(), "budget": "700",
            "message": "Hello Lantern Hall"}
    response = post(world["band"][Role.COORDINATOR], world["act_ws"], body)
    assert response.status_code == 201, response.content
    sent = response.json()
    assert (sent["status"], sent["side"], sent["workspace"]["name"], sent["act"]["name"], sent["source"]) == (
        "inquiry", "act", "Lantern Hall", "The Owls", "backline")
    seen = api(world["buyer"][Role.VIEWER]).get(f"/api/v1/bookings/{sent['id']}").json()
    assert seen["side"] == "buyer" and seen["notes"] == "Hello Lantern Hall"
    assert api(world["other"][Role.OWNER]).get(f"/api/v1/bookings/{sent['id']}").status_code == 404
    listed = api(world["band"][Role.VIEWER]).get("/api/v1/bookings?status=inquiry").json()["items"]
    assert [b["id"] for b in listed] == [sent["id"]]


def test_the_api_refuses_with_problems(world):
    body = {"venue_id": world["venue"].pk, "date_from": in_days(30).isoformat()}
    viewer = post(world["band"][Role.VIEWER], world["act_ws"], body)
    assert viewer.status_code == 403 and viewer["Content-Type"] == PROBLEM
    assert post(world["rival"][Role.OWNER], world["act_ws"], body).status_code == 404
    assert post(world["buyer"][Role.OWNER], world["venue_ws"], body).status_code == 404
    past = post(world["band"][Role.OWNER], world["act_ws"], body | {"date_from": in_days(-2).isoformat()})
    assert past.status_code == 422 and past["Content-Type"] == PROBLEM
    assert any(e["field"] == "date_from" for e in past.json()["errors"]), past.json()
    unknown = post(world["band"][Role.OWNER], world["act_ws"], body | {"venue_id": 999999})
    assert unknown.status_code == 422
    assert post(world["band"][Role.OWNER], world["act_ws"], body).status_code == 201
    again = post(world["band"][Role.OWNER], world["act_ws"], body)
    assert again.status_code == 409 and again.json()["code"] == "inquiry_exists"
    assert Booking.objects.count() == 1


# --- the web form and the board -------------------------------------------------------------------

def web(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_act_board_offers_an_inquiry_and_the_form_sends_it(world):
    band = web(world["band"][Role.OWNER])
    slug = world["act_ws"].slug
    board = band.get(f"/w/{slug}/bookings/").content.decode()
    assert f'href="/w/{slug}/bookings/new/"' in board
    day = in_days(21)
    form = band.get(f"/w/{slug}/bookings/new/?date={day.isoformat()}&venue={world['venue'].pk}")
    assert form.status_code == 200
    page = form.content.decode()
    assert f'value="{day.isoformat()}"' in page and f'<option value="v{world["venue"].pk}" selected>' in page
    sent = band.post(f"/w/{slug}/bookings/new/", {"to": f"v{world['venue'].pk}", "date_from": day.isoformat(),
                                                  "start_time": "21:00", "end_time": "00:30", "currency": "EUR",
                                                  "message": "Hi!"})
    booking = Booking.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/w/{slug}/bookings/{booking.pk}/"
    local = booking.starts_at.astimezone(zone(booking.time_zone))
    length = booking.ends_at - booking.starts_at
    assert (local.date(), local.time(), length) == (day, dt.time(21), dt.timedelta(hours=3, minutes=30))
    buyer_board = web(world["buyer"][Role.MEMBER]).get(f"/w/{world['venue_ws'].slug}/bookings/").content.decode()
    assert "The Owls at Lantern Hall" in buyer_board
    detail = web(world["buyer"][Role.MEMBER]).get(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/")
    assert 'data-testid="asked-by"' in detail.content.decode()
    assert band.get(f"/w/{slug}/bookings/{booking.pk}/").status_code == 200


def test_the_web_form_shows_errors_beside_the_fields_and_writes_nothing(world):
    band = web(world["band"][Role.OWNER])
    slug = world["act_ws"].slug
    response = band.post(f"/w/{slug}/bookings/new/", {"to": f"v{world['venue'].pk}",
                                                      "date_from": in_days(-3).isoformat()})
    assert response.status_code == 200
    form = response.context["form"]
    assert "date_from" in form.errors and not Booking.objects.exists()
    response = band.post(f"/w/{slug}/bookings/new/", {"to": "", "date_from": in_days(3).isoformat(),
                                                      "start_time": "20:00"})
    assert {"to", "end_time"} <= set(response.context["form"].errors)


def test_viewers_get_no_form_and_no_button(world):
    viewer = web(world["band"][Role.VIEWER])
    slug = world["act_ws"].slug
    assert viewer.get(f"/w/{slug}/bookings/new/").status_code == 403
    assert f"/w/{slug}/bookings/new/" not in viewer.get(f"/w/{slug}/bookings/").content.decode()


def test_a_venue_found_in_search_offers_act_bookers_an_inquiry(world):
    from backline.search.selectors import search

    [hit] = search(world["band"][Role.COORDINATOR], "Lantern", type="venues")["venues"]
    label, url = hit.action
    assert label == "Ask for a date" and url == f"/w/{world['act_ws'].slug}/bookings/new/?venue={world['venue'].pk}"
    for person in (world["band"][Role.VIEWER], world["buyer"][Role.OWNER]):  # no inquiry to send from here
        [hit] = search(person, "Lantern", type="venues")["venues"]
        assert hit.action is None


def test_the_ask_form_costs_the_same_queries_however_many_venues(world, make_team, django_assert_max_num_queries):
    """The person, their memberships, the venues and the promoters to choose from, and the notification
    bell: five, with any number of venues."""
    from tests.pages import assert_constant_queries

    client = web(world["band"][Role.OWNER])

    def more_venues():
        for n in range(3):
            make_team(WorkspaceKind.VENUE, name=f"Extra Hall {n}")
            make_team(WorkspaceKind.PROMOTER, name=f"Extra Promoter {n}")

    assert_constant_queries(client, {f"/w/{world['act_ws'].slug}/bookings/new/": 5}, more_venues,
                            django_assert_max_num_queries)


def test_an_act_sends_at_most_so_many_inquiries_a_day(world):
    from backline.core.errors import RateLimited

    for n in range(services.ASKS_PER_DAY):
        ask(world, date_from=in_days(10 + n))
    with pytest.raises(RateLimited) as exc:
        ask(world, date_from=in_days(200))
    assert exc.value.status == 429 and "try again in" in exc.value.detail
    assert Booking.objects.count() == services.ASKS_PER_DAY


def test_the_sent_message_names_the_venue_and_the_workspace_that_runs_it(world):
    """A venue run by a promoter: the act asked for Velvet Club, so the message names it (and who runs it)."""
    velvet = Venue.objects.get(pk=world["other_venue"].pk)
    velvet.pk, velvet.name, velvet.workspace, velvet.slug = None, "Velvet Club", world["promoter_ws"], "velvet-club"
    velvet.save()
    band = web(world["band"][Role.OWNER])
    slug = world["act_ws"].slug
    sent = band.post(f"/w/{slug}/bookings/new/", {"to": f"v{velvet.pk}", "date_from": in_days(25).isoformat(),
                                                  "currency": "EUR"}, follow=True)
    page = sent.content.decode()
    assert "Inquiry sent to Velvet Club (Night Shift Promotions)." in page
    plain = band.post(f"/w/{slug}/bookings/new/", {"to": f"v{world['venue'].pk}", "date_from": in_days(26).isoformat(),
                                                   "currency": "EUR"}, follow=True)
    assert "Inquiry sent to Lantern Hall." in plain.content.decode()  # the venue is its workspace: said once
