"""Fixes from a review of the scheduling app: each test failed before its fix."""

import datetime as dt
import logging
import threading
import time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from backline.accounts import services as accounts
from backline.accounts.models import Membership, Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.core.errors import Invalid, NotFound
from backline.core.models import AuditEntry
from backline.core.timeutil import to_epoch
from backline.scheduling import feeds, recurrence, selectors
from backline.scheduling.models import AvailabilityBlock, AvailabilityRule, Commitment, PersonSchedule
from backline.scheduling.services import act_events, availability, external_calendars
from backline.scheduling.views.sharing import sharing_context
from tests.factories import UserFactory

BERLIN = ZoneInfo("Europe/Berlin")
PROBLEM = "application/problem+json"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks exist on PostgreSQL only")


def at(month, day, hour, minute=0, tz=BERLIN):
    return dt.datetime(2027, month, day, hour, minute, tzinfo=tz)


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


def problem(response, status=422):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT, name="The Owls")


def join(workspace, owner, person, capture, role=Role.MEMBER):
    invitation = accounts.invitation_create(actor=owner, workspace_id=workspace.pk, email=person.email, role=role)
    with capture(execute=True):  # joining an act puts them in its line-up (a domain event)
        accounts.invitation_accept(user=person, token=invitation.token)


def occurrence_days(rule, start: dt.date, end: dt.date) -> list[dt.date]:
    spans = recurrence.expand(rule_text=rule.rrule, starts_on=rule.starts_on, ends_on=rule.ends_on, start_time=rule.start_time,
                              end_time=rule.end_time, time_zone=rule.time_zone, exdates=rule.exdates,
                              range_start=to_epoch(dt.datetime.combine(start, dt.time(0), tzinfo=BERLIN)),
                              range_end=to_epoch(dt.datetime.combine(end, dt.time(0), tzinfo=BERLIN)))
    return [dt.datetime.fromtimestamp(s, BERLIN).date() for s, _ in spans]


# --- 1. privacy belongs in the selector -----------------------------------------------------------

def test_conflicts_for_masks_what_is_not_the_viewers(band, make_team, django_capture_on_commit_callbacks):
    workspace, people = band
    owner, drummer, bandmate = people[Role.OWNER], people[Role.MEMBER], people[Role.ADMIN]
    other, other_people = make_team(WorkspaceKind.ACT, name="Side Project")
    join(other, other_people[Role.OWNER], drummer, django_capture_on_commit_callbacks)
    gig = act_events.act_event_create(actor=other_people[Role.OWNER], workspace_id=other.pk, title="Club show",
                                      starts_at=at(3, 6, 20), ends_at=at(3, 6, 23))
    rehearsal = act_events.act_event_create(actor=owner, workspace_id=workspace.pk, title="Rehearsal",
                                            starts_at=at(3, 6, 14), ends_at=at(3, 6, 16), participant_ids=[
                                                m.pk for m in workspace.act.members.filter(user=drummer)])
    external_calendars.demo_import(user=drummer, name="Private", events=[(at(3, 6, 10), 2, "Therapy")])
    span = {"user_ids": [drummer.pk], "starts_at": at(3, 6, 9), "ends_at": at(3, 6, 23)}

    seen = selectors.conflicts_for(**span, viewer=bandmate, workspace_id=workspace.pk)
    assert [(c.kind, c.title, c.source_type, c.source_id) for c in seen] == [
        ("busy_block", "Busy", "", None),  # an imported event is not told apart from a block
        ("commitment", "Rehearsal · The Owls", "act_event", rehearsal.pk),  # this act's own: shown
        ("commitment", "Busy (another commitment)", "", None),  # another act's: masked
    ]
    own = selectors.conflicts_for(**span, viewer=drummer)
    assert [(c.kind, c.title, c.source_id) for c in own] == [
        ("imported", "Busy", None), ("commitment", "Rehearsal · The Owls", rehearsal.pk),
        ("commitment", "Club show · Side Project", gig.pk)]
    internal = selectors.conflicts_for(**span)  # bookings and other internal callers get full data
    assert [(c.kind, c.source_id) for c in internal] == [("imported", None), ("commitment", rehearsal.pk),
                                                         ("commitment", gig.pk)]
    # The API passes the viewer: a bandmate sees the masked version, the person their own.
    query = {"starts_at": at(3, 6, 9).isoformat(), "ends_at": at(3, 6, 23).isoformat()}
    body = api(bandmate).get(f"/api/v1/acts/{workspace.pk}/conflicts", query).json()
    assert "Club show" not in str(body) and "imported" not in str(body)
    mine = api(drummer).get("/api/v1/me/conflicts", query).json()
    assert {c["title"] for c in mine} >= {"Club show · Side Project"} and "imported" in {c["kind"] for c in mine}


# --- 2. leaving an act rotates its feed ---------------------------------------------------------------

@pytest.mark.parametrize("how", ["leave", "removed"])
def test_leaving_or_being_removed_rotates_the_act_feed(band, client, how, django_capture_on_commit_callbacks):
    workspace, people = band
    owner, member = people[Role.OWNER], people[Role.MEMBER]
    feed = feeds.feed_for_act(actor=member, workspace_id=workspace.pk)
    old_url = reverse("calendar_feed", args=[feed.token])
    assert client.get(old_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        if how == "leave":
            accounts.membership_leave(actor=member, workspace_id=workspace.pk)
        else:
            membership = Membership.objects.get(user=member, workspace=workspace)
            accounts.membership_remove(actor=owner, membership_id=membership.pk)
    assert client.get(old_url).status_code == 404
    with pytest.raises(NotFound):
        feeds.feed_for_token(feed.token)
    feed.refresh_from_db()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200
    entry = AuditEntry.objects.get(action="calendar_feed.rotated")
    assert entry.actor is None and entry.workspace_id == workspace.pk
    assert entry.after["reason"] and entry.after["user_id"] == member.pk
    assert entry.before["token"] != entry.after["token"] and feed.token not in str(entry.after)


def test_leaving_an_act_without_a_feed_makes_none(band, django_capture_on_commit_callbacks):
    workspace, people = band
    with django_capture_on_commit_callbacks(execute=True):
        accounts.membership_leave(actor=people[Role.MEMBER], workspace_id=workspace.pk)
    assert not AuditEntry.objects.filter(action__startswith="calendar_feed").exists()


# --- 3 and 4. changing a pattern from a date on -----------------------------------------------------

def evenings(user, **kw):
    args = {"state": "free", "starts_on": dt.date(2027, 3, 1), "start_time": dt.time(18), "end_time": dt.time(23),
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "time_zone": "Europe/Berlin"} | kw
    return availability.availability_rule_create(actor=user, **args)


def test_a_change_from_a_date_never_reaches_back_before_it(user):
    rule = evenings(user)
    # The web form sends every field back, the first day included.
    future = availability.availability_rule_update(actor=user, rule_id=rule.pk, from_date=dt.date(2027, 4, 1),
                                                   starts_on=dt.date(2027, 3, 1), start_time=dt.time(19))
    assert future.starts_on == dt.date(2027, 4, 1)
    rule.refresh_from_db()
    assert rule.ends_on == dt.date(2027, 3, 31)
    data = selectors.people_data([user.pk], to_epoch(at(3, 15, 0)), to_epoch(at(3, 16, 0)))[user.pk]
    assert [s.start_time for s in data.rules] == [dt.time(18)]  # March keeps its 18:00 evenings only


def test_the_web_form_changing_a_pattern_from_a_date_keeps_its_past(user, login_client):
    rule = evenings(user)
    form = {"state": "free", "start_time": "19:00", "end_time": "23:00", "repeat": "weekly",
            "days": ["MO", "TU", "WE", "TH", "FR"], "starts_on": "2027-03-01", "from_date": "2027-04-05"}
    response = login_client(user).post(reverse("availability_rule_edit", args=[rule.pk]), form)
    assert response.status_code == 302, response.content
    assert list(AvailabilityRule.objects.filter(user=user).values_list("starts_on", "ends_on", "start_time")) == [
        (dt.date(2027, 3, 1), dt.date(2027, 4, 4), dt.time(18)), (dt.date(2027, 4, 5), None, dt.time(19))]


@pytest.mark.parametrize("text", ["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "FREQ=WEEKLY;INTERVAL=2"])
def test_a_split_keeps_the_repeat_phase(user, text):
    rule = evenings(user, starts_on=dt.date(2027, 1, 4), rrule=text, label="Band A")  # every other Monday
    before = occurrence_days(rule, dt.date(2027, 1, 1), dt.date(2027, 4, 1))
    assert before[:3] == [dt.date(2027, 1, 4), dt.date(2027, 1, 18), dt.date(2027, 2, 1)]
    future = availability.availability_rule_update(actor=user, rule_id=rule.pk, from_date=dt.date(2027, 1, 13),
                                                   label="Band B", rrule=text)
    rule.refresh_from_db()
    assert future.starts_on == dt.date(2027, 1, 18)
    after = (occurrence_days(rule, dt.date(2027, 1, 1), dt.date(2027, 4, 1))
             + occurrence_days(future, dt.date(2027, 1, 1), dt.date(2027, 4, 1)))
    assert after == before
    assert all(day.weekday() == 0 for day in after)


def test_a_pattern_with_a_count_changes_only_as_a_whole(user):
    rule = evenings(user, rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=10")
    with pytest.raises(Invalid, match="number of times") as refused:
        availability.availability_rule_update(actor=user, rule_id=rule.pk, from_date=dt.date(2027, 4, 1), label="x")
    assert "from_date" in refused.value.errors
    rule.refresh_from_db()
    assert rule.ends_on is None and AvailabilityRule.objects.filter(user=user).count() == 1
    availability.availability_rule_update(actor=user, rule_id=rule.pk, label="whole")  # as a whole it may change


def test_a_split_with_no_occurrence_left_is_refused(user):
    rule = evenings(user, starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 1, 20), rrule="FREQ=WEEKLY;BYDAY=MO")
    with pytest.raises(Invalid) as refused:
        availability.availability_rule_update(actor=user, rule_id=rule.pk, from_date=dt.date(2027, 1, 19), label="x")
    assert "from_date" in refused.value.errors
    rule.refresh_from_db()
    assert rule.ends_on == dt.date(2027, 1, 20) and AvailabilityRule.objects.filter(user=user).count() == 1


# --- 5. pieces of an all-day block -----------------------------------------------------------------

def test_pieces_of_an_all_day_block_stay_all_day_only_on_whole_days(user):
    availability.availability_block_create(actor=user, state="busy", starts_at=dt.date(2027, 8, 3), ends_at=dt.date(2027, 8, 7),
                                           all_day=True, time_zone="Europe/Berlin", label="Holiday")
    availability.availability_block_create(actor=user, state="free", starts_at=dt.date(2027, 8, 5),
                                           ends_at=dt.date(2027, 8, 5), all_day=True, time_zone="Europe/Berlin")
    availability.availability_block_create(actor=user, state="free", starts_at=at(8, 3, 12), ends_at=at(8, 3, 14))
    blocks = [(b.state, b.starts_at, b.ends_at, b.all_day) for b in AvailabilityBlock.objects.filter(user=user)]
    assert blocks == [
        ("busy", at(8, 3, 0), at(8, 3, 12), False),
        ("free", at(8, 3, 12), at(8, 3, 14), False),
        ("busy", at(8, 3, 14), at(8, 5, 0), False),  # ends at midnight but starts at 14:00: not all day
        ("free", at(8, 5, 0), at(8, 6, 0), True),
        ("busy", at(8, 6, 0), at(8, 8, 0), True),  # a whole-day piece stays all day
    ]
    created = AuditEntry.objects.filter(action="availability_block.created")
    assert {(dt.datetime.fromisoformat(e.after["starts_at"]), e.after["all_day"]) for e in created} >= {
        (at(8, 3, 0), False), (at(8, 3, 14), False), (at(8, 6, 0), True)}
    for entry in created:  # each piece is audited with its own snapshot
        block = AvailabilityBlock.objects.filter(pk=entry.object_id).first()
        if block is not None:
            assert dt.datetime.fromisoformat(entry.after["ends_at"]) == block.ends_at


# --- 6. naive datetimes ------------------------------------------------------------------------------

def test_an_all_day_block_with_naive_datetimes_is_refused(user):
    with pytest.raises(Invalid) as refused:
        availability.availability_block_create(actor=user, state="busy", starts_at=dt.datetime(2027, 8, 3),
                                               ends_at=dt.datetime(2027, 8, 5), all_day=True, time_zone="Europe/Berlin")
    assert "starts_at" in refused.value.errors
    assert not AvailabilityBlock.objects.filter(user=user).exists()


def test_to_epoch_refuses_a_naive_datetime():
    with pytest.raises(Invalid, match="time zone or UTC offset"):
        to_epoch(dt.datetime(2027, 1, 1))


NAIVE, AWARE = "2027-03-01T10:00:00", "2027-03-02T10:00:00+01:00"


@pytest.mark.parametrize("path, query", [
    ("/api/v1/me/calendar", {"start": NAIVE, "end": "2027-03-02T10:00:00"}),
    ("/api/v1/me/free-time", {"start": NAIVE, "end": AWARE}),
    ("/api/v1/me/conflicts", {"starts_at": NAIVE, "ends_at": "2027-03-02T10:00:00"}),
    ("/api/v1/acts/{ws}/conflicts", {"starts_at": AWARE, "ends_at": "2027-03-03T10:00:00"}),
    ("/api/v1/acts/{ws}/events", {"start": NAIVE, "end": AWARE}),
    ("/api/v1/acts/{ws}/events", {"start": NAIVE}),
])
def test_naive_times_in_the_api_are_422_not_500(band, path, query):
    workspace, people = band
    body = problem(api(people[Role.OWNER]).get(path.format(ws=workspace.pk), query))
    assert "time zone or UTC offset" in str(body)


def test_a_naive_all_day_block_through_the_api_is_422(user):
    problem(api(user).post("/api/v1/me/availability/blocks", {
        "state": "busy", "starts_at": "2027-08-03T00:00:00", "ends_at": "2027-08-05T00:00:00", "all_day": True},
        content_type="application/json"))
    assert not AvailabilityBlock.objects.filter(user=user).exists()


# --- 7. a non-finite minimum length ------------------------------------------------------------------

@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf"])
def test_a_non_finite_minimum_length_is_422(band, value):
    workspace, people = band
    body = problem(api(people[Role.OWNER]).get(f"/api/v1/acts/{workspace.pk}/green-zone", {
        "start": "2027-03-01", "end": "2027-03-07", "min_hours": value}))
    assert "min_hours" in {e["field"] for e in body["errors"]}
    with pytest.raises(Invalid):
        selectors.green_zone_for_act(workspace.act, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 7),
                                     min_hours=float(value))


# --- 8. conflicts agree with the green zone ----------------------------------------------------------

def test_a_busy_pattern_is_no_conflict_where_a_free_block_overrides_it(user):
    availability.schedule_set_default(actor=user, default_state="free")
    evenings(user, state="busy", start_time=dt.time(9), end_time=dt.time(17), rrule="FREQ=DAILY", label="Day job")
    availability.availability_block_create(actor=user, state="free", starts_at=at(3, 3, 10), ends_at=at(3, 3, 12))
    found = selectors.conflicts_for(user_ids=[user.pk], starts_at=at(3, 3, 8), ends_at=at(3, 3, 18))
    assert [(c.kind, c.starts_at, c.ends_at) for c in found] == [
        ("busy_pattern", at(3, 3, 9), at(3, 3, 10)), ("busy_pattern", at(3, 3, 12), at(3, 3, 17))]
    free = selectors.free_time_for_user(user, to_epoch(at(3, 3, 8)), to_epoch(at(3, 3, 18)))
    busy = [(to_epoch(c.starts_at), to_epoch(c.ends_at)) for c in found]
    assert busy == [(to_epoch(at(3, 3, 9)), to_epoch(at(3, 3, 10))), (to_epoch(at(3, 3, 12)), to_epoch(at(3, 3, 17)))]
    assert free == [(to_epoch(at(3, 3, 8)), to_epoch(at(3, 3, 9))), (to_epoch(at(3, 3, 10)), to_epoch(at(3, 3, 12))),
                    (to_epoch(at(3, 3, 17)), to_epoch(at(3, 3, 18)))]
    # A whole day off: no conflict at all that day.
    availability.availability_block_create(actor=user, state="free", starts_at=dt.date(2027, 3, 4), ends_at=dt.date(2027, 3, 4),
                                           all_day=True, time_zone="Europe/Berlin")
    assert selectors.conflicts_for(user_ids=[user.pk], starts_at=at(3, 4, 0), ends_at=at(3, 5, 0)) == []


# --- 9. poll suggestions with a busy default ---------------------------------------------------------

def test_a_busy_default_suggests_no_and_an_unknown_one_maybe(user):
    slot = [(at(3, 3, 19), at(3, 3, 21))]
    assert selectors.suggest_answers(user.pk, slot) == ["maybe"]
    availability.schedule_set_default(actor=user, default_state="busy")
    assert selectors.suggest_answers(user.pk, slot) == ["no"]
    availability.schedule_set_default(actor=user, default_state="free")
    assert selectors.suggest_answers(user.pk, slot) == ["yes"]


# --- 10. feed titles ---------------------------------------------------------------------------------

def test_person_feed_names_the_act_once(band):
    workspace, people = band
    soon = dt.datetime.now(BERLIN).replace(microsecond=0) + dt.timedelta(days=3)
    act_events.act_event_create(actor=people[Role.OWNER], workspace_id=workspace.pk, title="Rehearsal", starts_at=soon,
                                ends_at=soon + dt.timedelta(hours=2))
    body = feeds.person_calendar(people[Role.MEMBER]).decode()
    assert "SUMMARY:Rehearsal · The Owls\r\n" in body
    assert "The Owls · The Owls" not in body


# --- 11. the limit on patterns -------------------------------------------------------------------------

def _fill_rules(user, n):
    AvailabilityRule.objects.bulk_create([
        AvailabilityRule(user=user, state="free", starts_on=dt.date(2027, 3, 1), start_time=dt.time(18),
                         end_time=dt.time(19), rrule="FREQ=WEEKLY;BYDAY=MO", time_zone="Europe/Berlin") for _ in range(n)])


def test_a_split_respects_the_limit_on_patterns(user):
    rule = evenings(user)
    _fill_rules(user, availability.MAX_RULES_PER_PERSON - 1)
    with pytest.raises(Invalid, match="Too many patterns"):
        availability.availability_rule_update(actor=user, rule_id=rule.pk, from_date=dt.date(2027, 4, 1), label="x")
    rule.refresh_from_db()
    assert rule.ends_on is None
    assert AvailabilityRule.objects.filter(user=user).count() == availability.MAX_RULES_PER_PERSON
    availability.availability_rule_update(actor=user, rule_id=rule.pk, label="as a whole")  # no new pattern: allowed


def test_creating_a_pattern_makes_and_locks_the_persons_schedule(user):
    evenings(user)
    assert PersonSchedule.objects.filter(user=user, default_state="unknown").exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("has_schedule", [True, False])
def test_two_requests_cannot_pass_the_limit_on_patterns_together(has_schedule):
    """One transaction adds the 50th pattern and has not committed; another adding one more must wait for
    it and then count 50, instead of counting 49 beside it (and both saving)."""
    person = UserFactory()
    if has_schedule:
        availability.schedule_set_default(actor=person, default_state="free")
    _fill_rules(person, availability.MAX_RULES_PER_PERSON - 1)
    added, outcome = threading.Event(), {}

    def pid():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    waiting_pid = pid()

    def first_writer():
        try:
            with transaction.atomic():
                evenings(person)
                added.set()
                with connection.cursor() as cursor:  # commit once the other request waits on us (or give up)
                    for _ in range(100):
                        cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [pid(), waiting_pid])
                        if cursor.fetchone()[0]:
                            outcome["waited"] = True
                            break
                        time.sleep(0.05)
        finally:
            connection.close()

    writer = threading.Thread(target=first_writer)
    writer.start()
    assert added.wait(timeout=30)
    try:
        with pytest.raises(Invalid, match="Too many patterns"):
            evenings(person)
    finally:
        writer.join(timeout=60)
    assert outcome.get("waited")
    assert AvailabilityRule.objects.filter(user=person).count() == availability.MAX_RULES_PER_PERSON


# --- 12. the act's today; a refused edit is 422 --------------------------------------------------------

def test_the_share_form_starts_on_the_acts_today(band):
    workspace, people = band
    server_today = dt.date.today()
    # At any moment one of these two zones (UTC+14 and UTC-11) is on another date than the server.
    name = next(z for z in ("Pacific/Kiritimati", "Pacific/Pago_Pago") if dt.datetime.now(ZoneInfo(z)).date() != server_today)
    workspace.time_zone = name
    workspace.save(update_fields=["time_zone"])
    act = workspace.act
    act.workspace.refresh_from_db()
    request = SimpleNamespace(access=SimpleNamespace(can=lambda capability: True), user=people[Role.OWNER],
                              build_absolute_uri=lambda path: f"https://backline.test{path}")
    form = sharing_context(request, act=act)["share_form"]
    today = dt.datetime.now(ZoneInfo(name)).date()
    assert form.initial["starts_on"] == today and form.initial["ends_on"] == today + dt.timedelta(days=90)


def test_a_refused_pattern_edit_answers_422_like_a_refused_new_one(user, login_client):
    rule = evenings(user)
    client = login_client(user)
    form = {"state": "free", "start_time": "19:00", "end_time": "19:00", "repeat": "weekly", "days": ["MO"],
            "starts_on": "2027-03-01"}
    assert client.post(reverse("availability_rule_new"), form).status_code == 422
    response = client.post(reverse("availability_rule_edit", args=[rule.pk]), form)
    assert response.status_code == 422
    assert "The end time equals the start time." in response.content.decode()
    assert client.post(reverse("availability_rule_edit", args=[rule.pk]), {}).status_code == 422  # the form refuses
    assert client.get(reverse("availability_rule_edit", args=[rule.pk])).status_code == 200


# --- 13. feeds and unknown zones -------------------------------------------------------------------------

def test_a_feed_with_an_unknown_zone_is_written_in_utc_and_logged(user, make_team, caplog):
    workspace, _ = make_team(WorkspaceKind.ACT, name="Zone Lost")
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2)
    Commitment.objects.create(user=user, workspace=workspace, source_type="test", source_id=1, title="Gig · Zone Lost",
                              starts_at=start, ends_at=start + dt.timedelta(hours=2), time_zone="Atlantis/Capital")
    with caplog.at_level(logging.WARNING, logger="backline.scheduling.feeds"):
        body = feeds.person_calendar(user).decode()
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in body  # the exact instant, in UTC
    assert any("Atlantis/Capital" in record.getMessage() for record in caplog.records)


def test_poll_results_carry_no_unused_best():
    assert not hasattr(selectors.PollResults, "best")
