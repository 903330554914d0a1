"""Editing an inquiry or a booking (``services.booking_update``, ``PATCH /api/v1/bookings/{id}`` and the
booking's Edit page): what each stage lets change, a date-only inquiry getting its times, holds ranked
again when they move, a confirmed show checked again for double bookings, the audit entry, and bad input
refused beside its field with nothing changed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Engagement, Status
from backline.bookings.workflow import EDITABLE
from backline.core.errors import Conflict, Forbidden, Invalid, InvalidTransition, NotFound
from backline.core.models import AuditEntry
from backline.scheduling.models import Commitment
from backline.venues.models import Stage, Venue

BERLIN = ZoneInfo("Europe/Berlin")
PROBLEM = "application/problem+json"


def at(days, hour=20, minute=0):
    day = (timezone.now() + dt.timedelta(days=days)).astimezone(BERLIN).date()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN)


@pytest.fixture
def world(make_team, django_capture_on_commit_callbacks):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Blue Door")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    second_ws, _ = make_team(WorkspaceKind.ACT, name="The Larks")
    venue = Venue.objects.get(workspace=venue_ws)
    return {"ws": venue_ws, "venue": venue, "buyer": buyer, "owner": buyer[Role.OWNER], "other_ws": other_ws,
            "other": other, "other_venue": Venue.objects.get(workspace=other_ws), "act": act_ws.act, "act_ws": act_ws,
            "band": band, "second_act": second_ws.act}


def inquiry(w, **kw):
    args = {"title": "Friday club night", "act_id": w["act"].pk, "venue_id": w["venue"].pk, "budget": "800"} | kw
    return services.inquiry_create(actor=w["owner"], workspace_id=w["ws"].pk, **args)


def at_stage(w, stage, days=30):
    """A booking of the world's venue at ``stage`` (a hold from 20:00 to 22:00 in ``days`` days)."""
    booking = inquiry(w)
    if stage == Status.INQUIRY:
        return booking
    owner = w["owner"]
    if stage == Status.LOST:
        return services.inquiry_mark_lost(actor=owner, booking_id=booking.pk, reason="Went elsewhere")
    services.hold_place(actor=owner, booking_id=booking.pk, starts_at=at(days), ends_at=at(days, 22))
    if stage == Status.HOLD:
        return Booking.objects.get(pk=booking.pk)
    if stage == Status.CANCELLED:
        return services.booking_cancel(actor=owner, booking_id=booking.pk, reason="Venue flooded")
    services.offer_make(actor=owner, booking_id=booking.pk, deal_type="guarantee", guarantee="500")
    if stage == Status.OFFER:
        return Booking.objects.get(pk=booking.pk)
    return services.offer_accept(actor=w["band"][Role.OWNER], booking_id=booking.pk)


def edit_entry(booking):
    """The audit entry of the booking's edit in the buyer's history (the act's history has its twin)."""
    return AuditEntry.objects.get(action="booking.updated", object_id=str(booking.pk), workspace_id=booking.workspace_id)


def snapshot(booking):
    b = Booking.objects.get(pk=booking.pk)
    return (b.title, b.act_id, b.venue_id, b.room_id, b.date_from, b.date_to, b.starts_at, b.ends_at, b.hold_rank,
            b.notes, b.status)


# --- what each stage lets change ------------------------------------------------------------------

# One change of each kind, made to a booking at each stage.
def _changes(w):
    return {
        "title": {"title": "Renamed"},
        "notes": {"notes": "Bring earplugs"},
        "act_id": {"act_id": w["second_act"].pk},
        "venue_id": {"venue_id": w["venue"].pk and Venue.objects.create(
            workspace=w["ws"], name="Lantern Annex", capacity=100, city_name="Berlin", time_zone="Europe/Berlin",
            latitude=52.5, longitude=13.4).pk},
        "date_from": {"date_from": (timezone.now() + dt.timedelta(days=60)).date()},
        "starts_at": {"starts_at": at(31, 21), "ends_at": at(31, 23)},
    }


STAGES = [Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED, Status.LOST, Status.CANCELLED]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("field", ["title", "notes", "act_id", "venue_id", "date_from", "starts_at"])
def test_each_stage_lets_change_what_its_table_says_and_refuses_the_rest(world, stage, field):
    booking = at_stage(world, stage)
    change = _changes(world)[field]
    before = snapshot(booking)
    allowed = field in EDITABLE.get(stage, ())
    if allowed and field == "date_from" and stage != Status.INQUIRY:  # this offer has times: they move it
        with pytest.raises(Invalid) as exc:
            services.booking_update(actor=world["owner"], booking_id=booking.pk, **change)
        assert "date_from" in exc.value.errors and snapshot(booking) == before
    elif allowed:
        updated = services.booking_update(actor=world["owner"], booking_id=booking.pk, **change)
        for name, value in change.items():
            assert getattr(updated, name) == value
        entry = edit_entry(booking)
        assert field.removesuffix("_id") in " ".join(entry.after) or field in entry.after
    else:
        with pytest.raises(InvalidTransition) as exc:
            services.booking_update(actor=world["owner"], booking_id=booking.pk, **change)
        assert exc.value.status == 409 and exc.value.code == "booking_field_locked"
        assert field in exc.value.errors
        assert snapshot(booking) == before
        assert not AuditEntry.objects.filter(action="booking.updated").exists()


def test_a_field_given_unchanged_is_not_refused_by_the_stage(world):
    booking = at_stage(world, Status.CONFIRMED)
    services.booking_update(actor=world["owner"], booking_id=booking.pk, act_id=world["act"].pk,
                            venue_id=world["venue"].pk, title="Album release")
    assert Booking.objects.get(pk=booking.pk).title == "Album release"


def test_only_the_fields_given_change_and_the_audit_keeps_before_and_after_in_names(world):
    booking = inquiry(world, notes="Ask about the PA", location="Kreuzberg")
    services.booking_update(actor=world["owner"], booking_id=booking.pk, title="Owls at the Lantern",
                            act_id=world["second_act"].pk)
    b = Booking.objects.get(pk=booking.pk)
    assert (b.title, b.act_id, b.notes, b.location, b.budget) == (
        "Owls at the Lantern", world["second_act"].pk, "Ask about the PA", "Kreuzberg", 800)
    assert "larks" in b.search_text  # the new act's name is searched
    entry = edit_entry(booking)
    assert entry.actor == world["owner"]
    assert entry.before == {"title": "Friday club night", "act_id": "The Owls"}
    assert entry.after == {"title": "Owls at the Lantern", "act_id": "The Larks"}


def test_nothing_changed_writes_no_audit_entry(world):
    booking = inquiry(world)
    services.booking_update(actor=world["owner"], booking_id=booking.pk, title=" Friday club night ")
    assert not AuditEntry.objects.filter(action="booking.updated").exists()


# --- a date-only inquiry gets its times -----------------------------------------------------------

@pytest.fixture
def agency(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    package = agency_services.package_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Jazz duo",
                                             duration_minutes=120, price="750", currency="EUR")
    return ws, people, package


def test_a_date_only_quote_cannot_be_confirmed_until_its_times_are_set_then_it_can(agency):
    ws, people, package = agency
    coordinator = people[Role.COORDINATOR]
    day = (timezone.now() + dt.timedelta(days=70)).date()
    booking = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Product launch drinks",
                                      date_from=day)
    services.offer_make(actor=coordinator, booking_id=booking.pk, deal_type="flat", package_id=package.pk)
    with pytest.raises(Invalid) as exc:
        services.offer_accept(actor=coordinator, booking_id=booking.pk)
    assert "starts_at" in exc.value.errors
    tz = ZoneInfo(ws.time_zone)
    start = dt.datetime.combine(day, dt.time(18, 30), tzinfo=tz)
    services.booking_update(actor=coordinator, booking_id=booking.pk, starts_at=start,
                            ends_at=start + dt.timedelta(hours=2))
    b = Booking.objects.get(pk=booking.pk)
    assert (b.status, b.starts_at, b.date_from, b.date_to) == (Status.OFFER, start, day, day)
    entry = edit_entry(booking)
    assert entry.before == {"ends_at": None, "starts_at": None}
    assert entry.after["starts_at"] == start.isoformat()
    confirmed = services.offer_accept(actor=coordinator, booking_id=booking.pk)
    assert confirmed.status == Status.CONFIRMED


def test_an_inquiry_date_range_and_times_hold_together(world):
    booking = inquiry(world)
    first = (timezone.now() + dt.timedelta(days=40)).date()
    services.booking_update(actor=world["owner"], booking_id=booking.pk, date_from=first,
                            date_to=first + dt.timedelta(days=3))
    b = Booking.objects.get(pk=booking.pk)
    assert (b.date_from, b.date_to, b.starts_at) == (first, first + dt.timedelta(days=3), None)
    start = at(42, 21)
    services.booking_update(actor=world["owner"], booking_id=booking.pk, starts_at=start, ends_at=at(43, 1))
    b.refresh_from_db()
    assert (b.date_from, b.date_to) == (start.date(), start.date())  # a show with times is on its start's date
    services.booking_update(actor=world["owner"], booking_id=booking.pk, starts_at=None, ends_at=None)
    b.refresh_from_db()
    assert (b.starts_at, b.ends_at, b.date_from) == (None, None, start.date())  # back to date-only, date kept


@pytest.mark.parametrize("change, field", [
    ({"starts_at": "start-only"}, "ends_at"),
    ({"starts_at": "late", "ends_at": "early"}, "ends_at"),
    ({"title": ""}, "title"),
    ({"source": "pigeon"}, "source"),
    ({"budget": "-5"}, "budget"),
    ({"currency": "EURO"}, "currency"),
    ({"stage_id": "elsewhere"}, "stage_id"),
    ({"venue_id": "foreign"}, "venue_id"),
    ({"date_from": "far"}, "date_from"),
    ({"starts_at": "naive", "ends_at": "naive"}, "starts_at"),
])
def test_bad_changes_are_refused_beside_their_field_and_nothing_changes(world, change, field):
    booking = inquiry(world)
    other_stage = Stage.objects.create(venue=world["other_venue"], name="Basement", capacity=80)
    values = {"start-only": at(30), "late": at(30, 22), "early": at(30, 20), "elsewhere": other_stage.pk,
              "foreign": world["other_venue"].pk, "far": dt.date.today() + dt.timedelta(days=5000),
              "naive": dt.datetime(2030, 1, 1, 20)}
    change = {k: values.get(v, v) if isinstance(v, str) else v for k, v in change.items()}
    before = snapshot(booking)
    with pytest.raises(Invalid) as exc:
        services.booking_update(actor=world["owner"], booking_id=booking.pk, **change)
    assert exc.value.status == 422 and field in exc.value.errors, exc.value.errors
    assert snapshot(booking) == before
    assert not AuditEntry.objects.filter(action="booking.updated").exists()


def test_a_held_date_keeps_its_times(world):
    booking = at_stage(world, Status.HOLD)
    with pytest.raises(Invalid) as exc:
        services.booking_update(actor=world["owner"], booking_id=booking.pk, starts_at=None, ends_at=None)
    assert "starts_at" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        services.booking_update(actor=world["owner"], booking_id=booking.pk, starts_at=at(-2), ends_at=at(-2, 22))
    assert "starts_at" in exc.value.errors  # a hold moves to the future only


def test_a_stage_of_the_venue_can_be_chosen(world):
    booking = at_stage(world, Status.CONFIRMED)
    room = Stage.objects.create(venue=world["venue"], name="Small hall", capacity=120)
    services.booking_update(actor=world["owner"], booking_id=booking.pk, stage_id=room.pk)
    assert Booking.objects.get(pk=booking.pk).room == room


# --- holds ranked again -----------------------------------------------------------------------------

def test_a_hold_moved_to_another_day_is_ranked_there_and_the_holds_behind_move_up(world):
    first, second = at_stage(world, Status.HOLD), at_stage(world, Status.HOLD)
    assert (first.hold_rank, second.hold_rank) == (1, 2)
    elsewhere = at_stage(world, Status.HOLD, days=33)
    services.booking_update(actor=world["owner"], booking_id=first.pk, starts_at=at(33, 19), ends_at=at(33, 21))
    ranks = dict(Booking.objects.values_list("pk", "hold_rank"))
    assert (ranks[elsewhere.pk], ranks[first.pk], ranks[second.pk]) == (1, 2, 1)
    entry = edit_entry(first)
    assert (entry.before["hold_rank"], entry.after["hold_rank"]) == (1, 2)


def test_a_hold_moved_within_its_day_keeps_its_rank(world):
    first, second = at_stage(world, Status.HOLD), at_stage(world, Status.HOLD)
    services.booking_update(actor=world["owner"], booking_id=second.pk, starts_at=at(30, 18), ends_at=at(30, 19))
    assert dict(Booking.objects.values_list("pk", "hold_rank")) == {first.pk: 1, second.pk: 2}


def test_a_hold_moved_to_another_venue_is_ranked_there(world):
    at_stage(world, Status.HOLD)
    moving = at_stage(world, Status.HOLD)
    annex = Venue.objects.create(workspace=world["ws"], name="Lantern Annex", capacity=100, city_name="Berlin",
                                 time_zone="Europe/Berlin", latitude=52.5, longitude=13.4)
    services.booking_update(actor=world["owner"], booking_id=moving.pk, venue_id=annex.pk)
    b = Booking.objects.get(pk=moving.pk)
    assert (b.venue_id, b.hold_rank) == (annex.pk, 1)


# --- a confirmed show moved ---------------------------------------------------------------------------

def test_a_confirmed_show_moved_moves_its_commitments_and_engagement(world):
    booking = at_stage(world, Status.CONFIRMED)
    services.booking_update(actor=world["owner"], booking_id=booking.pk, starts_at=at(35, 21), ends_at=at(35, 23))
    engagement = Engagement.objects.get(booking=booking)
    assert (engagement.starts_at, engagement.ends_at) == (at(35, 21), at(35, 23))
    commitment = Commitment.objects.get(source_type="booking", source_id=booking.pk, user=world["band"][Role.OWNER])
    assert (commitment.starts_at, commitment.status) == (at(35, 21), "confirmed")


def test_a_confirmed_show_moved_onto_another_show_of_its_act_is_refused_and_nothing_changes(world):
    other = at_stage(world, Status.CONFIRMED, days=40)
    booking = at_stage(world, Status.CONFIRMED)
    before = snapshot(booking)
    with pytest.raises(Conflict) as exc:
        services.booking_update(actor=world["owner"], booking_id=booking.pk, starts_at=at(40, 21), ends_at=at(40, 23))
    assert exc.value.code == "double_booked" and exc.value.extra["conflicting"]["id"] == other.pk
    assert snapshot(booking) == before
    assert Engagement.objects.get(booking=booking).starts_at == at(30)
    assert not AuditEntry.objects.filter(action="booking.updated").exists()


# --- who may edit -----------------------------------------------------------------------------------

def test_the_act_side_may_not_edit_and_a_foreign_or_missing_booking_is_not_found(world):
    booking = at_stage(world, Status.OFFER)
    with pytest.raises(Forbidden):
        services.booking_update(actor=world["band"][Role.OWNER], booking_id=booking.pk, title="Ours now")
    with pytest.raises(NotFound):
        services.booking_update(actor=world["other"][Role.OWNER], booking_id=booking.pk, title="Mine")
    with pytest.raises(NotFound):
        services.booking_update(actor=world["owner"], booking_id=booking.pk + 1000, title="Nothing")
    with pytest.raises(Forbidden):
        services.booking_update(actor=world["buyer"][Role.VIEWER], booking_id=booking.pk, title="Viewer")
    assert Booking.objects.get(pk=booking.pk).title == "Friday club night"


# --- the API ----------------------------------------------------------------------------------------

def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


def patch(user, booking_id, body):
    return api(user).patch(f"/api/v1/bookings/{booking_id}", body, content_type="application/json")


def test_patch_changes_only_the_fields_given(world):
    booking = inquiry(world, notes="Ask about the PA")
    response = patch(world["owner"], booking.pk, {"title": "Owls night", "starts_at": at(30).isoformat(),
                                                  "ends_at": at(30, 23).isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["notes"], body["budget"]) == ("Owls night", "Ask about the PA", "800.00")
    assert body["starts_at"].startswith(at(30).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize("body, status, code, field", [
    ({"act_id": 0}, 409, "booking_field_locked", "act_id"),
    ({"starts_at": "2031-01-01T20:00:00+01:00"}, 422, "validation_error", "ends_at"),
    ({"title": ""}, 422, "validation_error", "title"),
    ({"source": "pigeon"}, 422, "validation_error", "source"),
])
def test_patch_refusals_are_problems_naming_the_field(world, body, status, code, field):
    booking = at_stage(world, Status.CONFIRMED)
    if body.get("act_id") == 0:
        body = {"act_id": world["second_act"].pk}
    response = patch(world["owner"], booking.pk, body)
    assert response.status_code == status and response["Content-Type"] == PROBLEM, response.content
    problem = response.json()
    assert problem["code"] == code
    assert field in [e["field"] for e in problem["errors"]]
    assert snapshot(booking)[0] == "Friday club night"


def test_patch_a_foreign_booking_is_404_and_the_act_side_403(world):
    booking = at_stage(world, Status.OFFER)
    assert patch(world["other"][Role.OWNER], booking.pk, {"title": "x"}).status_code == 404
    assert patch(world["band"][Role.OWNER], booking.pk, {"title": "x"}).status_code == 403


def test_patch_a_cancelled_booking_is_409(world):
    booking = at_stage(world, Status.CANCELLED)
    problem = patch(world["owner"], booking.pk, {"notes": "late note"}).json()
    assert (problem["status"], problem["code"]) == (409, "booking_field_locked")
    assert "can no longer change" in problem["detail"]


# --- the Edit page ----------------------------------------------------------------------------------

def test_the_edit_page_sets_a_date_only_inquirys_times(agency, login_client):
    ws, people, _ = agency
    coordinator = people[Role.COORDINATOR]
    day = (timezone.now() + dt.timedelta(days=70)).date()
    booking = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Launch drinks", date_from=day)
    client = login_client(coordinator)
    url = f"/w/{ws.slug}/bookings/{booking.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    for label in ("Date", "Starts", "Ends", "Last date", "Title", "Notes"):
        assert f">{label}" in page.content.decode()
    response = client.post(url, {"title": "Launch drinks", "date": day.isoformat(), "starts": "18:30", "ends": "20:30",
                                 "source": "email", "currency": "EUR"})
    assert response.status_code == 302
    b = Booking.objects.get(pk=booking.pk)
    tz = ZoneInfo(ws.time_zone)
    assert (b.starts_at, b.ends_at) == (dt.datetime.combine(day, dt.time(18, 30), tzinfo=tz),
                                        dt.datetime.combine(day, dt.time(20, 30), tzinfo=tz))


def test_an_end_before_the_start_is_the_next_morning(agency, login_client):
    ws, people, _ = agency
    day = (timezone.now() + dt.timedelta(days=70)).date()
    booking = services.inquiry_create(actor=people[Role.OWNER], workspace_id=ws.pk, title="Late party", date_from=day)
    login_client(people[Role.OWNER]).post(f"/w/{ws.slug}/bookings/{booking.pk}/edit/", {
        "title": "Late party", "date": day.isoformat(), "starts": "22:00", "ends": "02:00", "source": "email"})
    b = Booking.objects.get(pk=booking.pk)
    assert b.ends_at - b.starts_at == dt.timedelta(hours=4)


def test_an_edit_error_sits_beside_its_field_and_nothing_changes(agency, login_client):
    ws, people, _ = agency
    day = (timezone.now() + dt.timedelta(days=70)).date()
    booking = services.inquiry_create(actor=people[Role.OWNER], workspace_id=ws.pk, title="Gala", date_from=day)
    response = login_client(people[Role.OWNER]).post(f"/w/{ws.slug}/bookings/{booking.pk}/edit/", {
        "title": "Gala", "date": day.isoformat(), "starts": "19:00", "ends": "", "source": "email"})
    assert response.status_code == 422
    html = response.content.decode()
    ends = html.index('id="id_ends"')
    message = html.index("Give the start and the end, or neither.")
    assert ends < message < html.index('id="id_source"')  # in the Ends field's group
    assert Booking.objects.get(pk=booking.pk).starts_at is None


def test_a_confirmed_shows_edit_form_offers_only_what_may_change(world, login_client):
    booking = at_stage(world, Status.CONFIRMED)
    html = login_client(world["owner"]).get(f"/w/{world['ws'].slug}/bookings/{booking.pk}/edit/").content.decode()
    assert 'name="starts"' in html and 'name="stage"' in html and 'name="title"' in html
    assert 'name="act"' not in html and 'name="venue"' not in html and 'name="date_to"' not in html


def test_a_double_booking_on_the_edit_page_is_said_on_the_form(world, login_client):
    at_stage(world, Status.CONFIRMED, days=40)
    booking = at_stage(world, Status.CONFIRMED)
    response = login_client(world["owner"]).post(f"/w/{world['ws'].slug}/bookings/{booking.pk}/edit/", {
        "title": "Friday club night", "date": at(40).date().isoformat(), "starts": "21:00", "ends": "23:00",
        "source": "email"})
    assert response.status_code == 409
    assert "The Owls is already booked" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).starts_at == at(30)


def test_the_act_side_gets_no_edit_page(world, login_client):
    booking = at_stage(world, Status.OFFER)
    response = login_client(world["band"][Role.OWNER]).get(f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/edit/")
    assert response.status_code == 403


def test_a_date_only_quote_can_move_to_another_date_before_its_times_are_known(agency, login_client):
    ws, people, package = agency
    coordinator = people[Role.COORDINATOR]
    day = (timezone.now() + dt.timedelta(days=70)).date()
    booking = services.inquiry_create(actor=coordinator, workspace_id=ws.pk, title="Launch drinks", date_from=day)
    services.offer_make(actor=coordinator, booking_id=booking.pk, deal_type="flat", package_id=package.pk)
    later = day + dt.timedelta(days=1)
    response = login_client(coordinator).post(f"/w/{ws.slug}/bookings/{booking.pk}/edit/", {
        "title": "Launch drinks", "date": later.isoformat(), "date_to": later.isoformat(), "source": "email"})
    assert response.status_code == 302
    b = Booking.objects.get(pk=booking.pk)
    assert (b.status, b.date_from, b.date_to, b.starts_at) == (Status.OFFER, later, later, None)


def field_group(html: str, name: str) -> str:
    """The edit form's markup from the field ``name`` up to the next field."""
    start = html.index(f'name="{name}"')
    following = [i for i in (html.find('name="', start + 10),) if i > 0]
    return html[start:following[0] if following else len(html)]


def test_a_date_over_a_year_back_is_refused_under_date_not_under_the_times(world, login_client):
    booking = at_stage(world, Status.HOLD)
    long_ago = (timezone.now() - dt.timedelta(days=500)).date()
    response = login_client(world["owner"]).post(f"/w/{world['ws'].slug}/bookings/{booking.pk}/edit/", {
        "title": "Friday club night", "date": long_ago.isoformat(), "starts": "20:00", "ends": "22:00",
        "source": "email"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose a date from" in field_group(html, "date")
    assert "Choose a date from" not in field_group(html, "starts") + field_group(html, "ends")
    assert Booking.objects.get(pk=booking.pk).starts_at == at(30)


@pytest.mark.parametrize("days_to_last", [-3, 3])
def test_a_last_date_on_an_inquiry_with_times_is_refused_in_plain_words_whatever_the_times(
        world, login_client, days_to_last):
    booking = inquiry(world, starts_at=at(30), ends_at=at(30, 22))
    day = at(30).date()
    before = snapshot(booking)
    client = login_client(world["owner"])
    for starts in ("20:00", "19:00"):  # the times as they were, and changed too: the same answer
        response = client.post(f"/w/{world['ws'].slug}/bookings/{booking.pk}/edit/", {
            "title": "Friday club night", "date": day.isoformat(), "starts": starts, "ends": "22:00",
            "date_to": (day + dt.timedelta(days=days_to_last)).isoformat(), "source": "email"})
        assert response.status_code == 422
        message = field_group(response.content.decode(), "date_to")
        assert "Leave the last date empty" in message or "The last date is before the date" in message
        assert "Move the show" not in response.content.decode()
        assert snapshot(booking) == before


def test_the_service_refuses_a_range_for_a_show_with_times_even_when_the_times_move_too(world):
    booking = inquiry(world, starts_at=at(30), ends_at=at(30, 22))
    with pytest.raises(Invalid) as refused:
        services.booking_update(actor=world["owner"], booking_id=booking.pk, starts_at=at(30, 19),
                                ends_at=at(30, 22), date_to=at(33).date())
    assert "Leave the last date empty" in refused.value.errors["date_to"][0]
    assert Booking.objects.get(pk=booking.pk).starts_at == at(30)


def test_a_negative_budget_is_refused_in_plain_words(world, login_client):
    booking = inquiry(world)
    response = login_client(world["owner"]).post(f"/w/{world['ws'].slug}/bookings/{booking.pk}/edit/", {
        "title": "Friday club night", "budget": "-5", "currency": "EUR", "source": "email"})
    assert response.status_code == 422
    assert "A budget cannot be negative." in field_group(response.content.decode(), "budget")
    assert Booking.objects.get(pk=booking.pk).budget == 800


def test_the_currency_is_chosen_from_iso_codes(world, login_client):
    booking = inquiry(world)
    url = f"/w/{world['ws'].slug}/bookings/{booking.pk}/edit/"
    client = login_client(world["owner"])
    html = client.get(url).content.decode()
    assert '<select name="currency"' in html and '<option value="GBP">' in html
    response = client.post(url, {"title": "Friday club night", "currency": "EUROS", "source": "email"})
    assert response.status_code == 422
    client.post(url, {"title": "Friday club night", "currency": "GBP", "source": "email"})
    assert Booking.objects.get(pk=booking.pk).currency == "GBP"
