"""Availability, act events, commitments, conflicts, the green zone and polls through the services,
on the real database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.core.errors import Forbidden, Invalid, InvalidTransition, NotFound
from backline.core.models import AuditEntry
from backline.scheduling import selectors
from backline.scheduling.models import AvailabilityBlock, AvailabilityRule, Commitment, PollStatus
from backline.scheduling.services import act_events, availability, polls, share_links
from tests.factories import UserFactory

BERLIN = ZoneInfo("Europe/Berlin")


def at(day, hour, minute=0, tz=BERLIN):
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=tz)


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT, name="The Owls")


# --- blocks ---------------------------------------------------------------------------------------

def test_overlapping_blocks_of_one_state_merge_and_the_other_state_gives_way(user):
    availability.availability_block_create(actor=user, state="busy", starts_at=at(1, 10), ends_at=at(1, 14))
    availability.availability_block_create(actor=user, state="busy", starts_at=at(1, 13), ends_at=at(1, 18))
    blocks = list(AvailabilityBlock.objects.filter(user=user))
    assert [(b.state, b.starts_at, b.ends_at) for b in blocks] == [("busy", at(1, 10), at(1, 18))]
    availability.availability_block_create(actor=user, state="free", starts_at=at(1, 12), ends_at=at(1, 15))
    blocks = [(b.state, b.starts_at, b.ends_at) for b in AvailabilityBlock.objects.filter(user=user)]
    assert blocks == [("busy", at(1, 10), at(1, 12)), ("free", at(1, 12), at(1, 15)), ("busy", at(1, 15), at(1, 18))]


def test_adjacent_blocks_with_the_same_note_merge_and_clearing_cuts_a_hole(user):
    availability.availability_block_create(actor=user, state="busy", starts_at=at(2, 9), ends_at=at(2, 12), label="Work")
    availability.availability_block_create(actor=user, state="busy", starts_at=at(2, 12), ends_at=at(2, 17), label="Work")
    assert AvailabilityBlock.objects.filter(user=user).count() == 1
    availability.availability_clear(actor=user, starts_at=at(2, 11), ends_at=at(2, 13))
    spans = [(b.starts_at, b.ends_at) for b in AvailabilityBlock.objects.filter(user=user)]
    assert spans == [(at(2, 9), at(2, 11)), (at(2, 13), at(2, 17))]


def test_all_day_blocks_cover_whole_local_days(user):
    block = availability.availability_block_create(actor=user, state="busy", starts_at=dt.date(2027, 8, 3),
                                                   ends_at=dt.date(2027, 8, 17), all_day=True, time_zone="Europe/Berlin")
    assert block.starts_at == dt.datetime(2027, 8, 3, tzinfo=BERLIN)
    assert block.ends_at == dt.datetime(2027, 8, 18, tzinfo=BERLIN)


@pytest.mark.parametrize("kwargs, field", [
    ({"state": "maybe"}, "state"),
    ({"ends_at": at(1, 9)}, "ends_at"),
    ({"starts_at": dt.datetime(2027, 3, 1, 10)}, "starts_at"),
    ({"ends_at": at(1, 10) + dt.timedelta(days=800)}, "ends_at"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
])
def test_bad_blocks_are_refused_and_nothing_is_written(user, kwargs, field):
    args = {"state": "busy", "starts_at": at(1, 10), "ends_at": at(1, 12)} | kwargs
    with pytest.raises(Invalid) as exc:
        availability.availability_block_create(actor=user, **args)
    assert field in exc.value.errors
    assert not AvailabilityBlock.objects.filter(user=user).exists()


def test_a_block_is_only_its_owners(user):
    block = availability.availability_block_create(actor=user, state="busy", starts_at=at(1, 10), ends_at=at(1, 12))
    with pytest.raises(NotFound):
        availability.availability_block_delete(actor=UserFactory(), block_id=block.pk)


# --- patterns -------------------------------------------------------------------------------------

def rule(user, **kw):
    args = {"state": "free", "starts_on": dt.date(2027, 3, 1), "start_time": dt.time(18), "end_time": dt.time(23),
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"} | kw
    return availability.availability_rule_create(actor=user, **args)


@pytest.mark.parametrize("text", ["FREQ=SOMETIMES", "FREQ=HOURLY", "BYDAY=MO", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                                  "RRULE:FREQ=DAILY\nEXRULE:FREQ=DAILY"])
def test_invalid_or_pathological_rules_are_refused(user, text):
    with pytest.raises(Invalid) as exc:
        rule(user, rrule=text)
    assert "rrule" in exc.value.errors
    assert not AvailabilityRule.objects.filter(user=user).exists()


def test_changing_a_pattern_from_a_date_keeps_its_past(user):
    weekday_evenings = rule(user)
    future = availability.availability_rule_update(actor=user, rule_id=weekday_evenings.pk, from_date=dt.date(2027, 4, 1),
                                                   start_time=dt.time(19))
    weekday_evenings.refresh_from_db()
    assert weekday_evenings.ends_on == dt.date(2027, 3, 31) and weekday_evenings.start_time == dt.time(18)
    assert future.starts_on == dt.date(2027, 4, 1) and future.start_time == dt.time(19)
    assert AuditEntry.objects.filter(action="availability_rule.split").count() == 1


def test_free_time_follows_the_precedence_of_default_patterns_blocks_and_commitments(user, band):
    workspace, people = band
    availability.schedule_set_default(actor=user, default_state="busy")
    rule(user)  # free weekday evenings 18-23
    availability.availability_block_create(actor=user, state="busy", starts_at=at(3, 20), ends_at=at(3, 21))  # a Wednesday
    data = selectors.people_data([user.pk], int(at(3, 0).timestamp()), int(at(4, 0).timestamp()))[user.pk]
    spans = selectors.free_time(data, int(at(3, 0).timestamp()), int(at(4, 0).timestamp()))
    assert spans == [(int(at(3, 18).timestamp()), int(at(3, 20).timestamp())),
                     (int(at(3, 21).timestamp()), int(at(3, 23).timestamp()))]


# --- act events and commitments -------------------------------------------------------------------

def test_an_event_makes_every_participant_busy_and_cancelling_releases_them(band, django_capture_on_commit_callbacks):
    workspace, people = band
    event = act_events.act_event_create(actor=people[Role.OWNER], workspace_id=workspace.pk, title="Rehearsal",
                                        starts_at=at(5, 18), ends_at=at(5, 21))
    users = {c.user_id for c in Commitment.objects.filter(source_type="act_event", source_id=event.pk)}
    assert users == {p.pk for r, p in people.items() if r != Role.VIEWER}  # viewers are not in the line-up
    moved = act_events.act_event_update(actor=people[Role.COORDINATOR], event_id=event.pk, starts_at=at(5, 19))
    assert moved.sequence == 1
    assert set(Commitment.objects.filter(source_id=event.pk).values_list("sequence", flat=True)) == {1}
    act_events.act_event_cancel(actor=people[Role.ADMIN], event_id=event.pk, reason="Drummer ill")
    assert set(Commitment.objects.filter(source_id=event.pk).values_list("status", flat=True)) == {"cancelled"}
    with pytest.raises(InvalidTransition):
        act_events.act_event_cancel(actor=people[Role.ADMIN], event_id=event.pk, reason="again")


def test_members_and_viewers_cannot_plan_events(band):
    workspace, people = band
    for role in (Role.MEMBER, Role.VIEWER):
        with pytest.raises(Forbidden):
            act_events.act_event_create(actor=people[role], workspace_id=workspace.pk, title="x", starts_at=at(5, 18),
                                        ends_at=at(5, 21))
    with pytest.raises(NotFound):
        act_events.act_event_create(actor=UserFactory(), workspace_id=workspace.pk, title="x", starts_at=at(5, 18),
                                    ends_at=at(5, 21))


def test_conflicts_name_the_other_acts_commitment_and_hide_private_blocks(band, make_team,
                                                                          django_capture_on_commit_callbacks):
    workspace, people = band
    drummer = people[Role.MEMBER]
    other, other_people = make_team(WorkspaceKind.ACT, name="Side Project")
    from backline.accounts import services as accounts

    inv = accounts.invitation_create(actor=other_people[Role.OWNER], workspace_id=other.pk, email=drummer.email,
                                     role=Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):  # joining puts them in the line-up (an event)
        accounts.invitation_accept(user=drummer, token=inv.token)
    gig = act_events.act_event_create(actor=other_people[Role.OWNER], workspace_id=other.pk, title="Club show",
                                      kind="show", starts_at=at(6, 20), ends_at=at(6, 23))
    availability.availability_block_create(actor=drummer, state="busy", starts_at=at(6, 10), ends_at=at(6, 12),
                                           label="Dentist")
    found = selectors.conflicts_for(user_ids=[drummer.pk], starts_at=at(6, 9), ends_at=at(6, 22))
    assert [(c.kind, c.title, c.source_id) for c in found] == [("busy_block", "Busy", None),
                                                              ("commitment", "Club show · Side Project", gig.pk)]
    # The other act's show is busy time in the green zone of the first act.
    view = selectors.green_zone_for_act(workspace.act, start=dt.date(2027, 3, 6), end=dt.date(2027, 3, 6))
    assert view.all_free == []  # nobody set availability: unknown is never free


def test_green_zone_needs_everyone_and_names_who_is_missing(band):
    workspace, people = band
    for person in people.values():
        rule(person)  # weekday evenings
    availability.availability_block_create(actor=people[Role.MEMBER], state="busy", starts_at=at(10, 17),
                                           ends_at=at(10, 23, 30))
    view = selectors.green_zone_for_act(workspace.act, start=dt.date(2027, 3, 10), end=dt.date(2027, 3, 11),
                                        window=(dt.time(18), dt.time(2)), min_hours=3)
    assert [(s.starts_at, s.ends_at) for s in view.all_free] == [(at(11, 18), at(11, 23))]
    assert [(s.starts_at, s.ends_at, s.missing.user_id) for s in view.all_but_one] == [
        (at(10, 18), at(10, 23), people[Role.MEMBER].pk)]


def test_the_green_zone_reads_a_constant_number_of_queries(band, django_assert_max_num_queries):
    workspace, people = band
    for person in people.values():
        rule(person)
        availability.availability_block_create(actor=person, state="busy", starts_at=at(12, 9), ends_at=at(12, 12))
    with django_assert_max_num_queries(5):
        selectors.green_zone_for_act(workspace.act, start=dt.date(2027, 3, 1), end=dt.date(2027, 5, 31))


def test_a_green_zone_range_over_two_years_is_refused(band):
    workspace, _ = band
    with pytest.raises(Invalid):
        selectors.green_zone_for_act(workspace.act, start=dt.date(2027, 1, 1), end=dt.date(2029, 6, 1))


# --- polls ----------------------------------------------------------------------------------------

def test_a_poll_is_answered_with_suggestions_and_decided_into_an_event(band):
    workspace, people = band
    owner, member = people[Role.OWNER], people[Role.MEMBER]
    rule(member, starts_on=dt.date.today())  # free on weekday evenings
    start = dt.datetime.now(BERLIN).replace(hour=19, minute=0, second=0, microsecond=0) + dt.timedelta(days=14)
    while start.weekday() != 2:  # a Wednesday
        start += dt.timedelta(days=1)
    rule(owner, state="busy", starts_on=start.date() - dt.timedelta(days=1), rrule="FREQ=DAILY")
    poll = polls.poll_create(actor=owner, workspace_id=workspace.pk, title="Next rehearsal",
                             options=[(start, start + dt.timedelta(hours=2))])
    option = poll.options.get()
    assert selectors.poll_results(poll, viewer=member).options[0].suggestion == "yes"
    assert selectors.poll_results(poll, viewer=owner).options[0].suggestion == "no"
    assert selectors.poll_results(poll, viewer=people[Role.COORDINATOR]).options[0].suggestion == "maybe"
    assert selectors.poll_results(poll, viewer=people[Role.VIEWER]).viewer_member is None  # not in the line-up
    with pytest.raises(Forbidden):
        polls.poll_answer(actor=people[Role.VIEWER], poll_id=poll.pk, answers={poll.options.get().pk: "yes"})
    polls.poll_answer(actor=member, poll_id=poll.pk, answers={option.pk: "yes"})
    results = selectors.poll_results(poll, viewer=owner)
    assert results.options[0].count("yes") == 1
    assert owner.pk in {m.user_id for m in results.not_answered}
    with pytest.raises(Forbidden):
        polls.poll_decide(actor=member, poll_id=poll.pk, option_id=option.pk)
    decided = polls.poll_decide(actor=owner, poll_id=poll.pk, option_id=option.pk)
    assert decided.status == PollStatus.DECIDED and decided.event.starts_at == start
    assert Commitment.objects.filter(source_type="act_event", source_id=decided.event_id).count() == len(people) - 1
    with pytest.raises(InvalidTransition):
        polls.poll_answer(actor=member, poll_id=poll.pk, answers={option.pk: "no"})


def test_a_poll_refuses_past_or_empty_slots(band):
    workspace, people = band
    past = dt.datetime(2020, 1, 1, 19, tzinfo=BERLIN)
    with pytest.raises(Invalid):
        polls.poll_create(actor=people[Role.OWNER], workspace_id=workspace.pk, title="x",
                          options=[(past, past + dt.timedelta(hours=1))])
    with pytest.raises(Invalid):
        polls.poll_create(actor=people[Role.OWNER], workspace_id=workspace.pk, title="x", options=[])


def test_share_links_are_revocable(band):
    workspace, people = band
    link = share_links.share_link_create(actor=people[Role.OWNER], workspace_id=workspace.pk,
                                         starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 3, 31))
    assert share_links.share_link_by_token(link.token) == link
    share_links.share_link_revoke(actor=people[Role.ADMIN], link_id=link.pk)
    with pytest.raises(NotFound):
        share_links.share_link_by_token(link.token)
    with pytest.raises(Invalid):
        share_links.share_link_create(actor=people[Role.OWNER], workspace_id=workspace.pk,
                                      starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2030, 3, 31))
