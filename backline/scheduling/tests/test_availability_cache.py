"""Each member's free time is expanded once per window and kept in the cache, and every change to what
decides it (a rule, a block, a commitment, the default, an imported calendar) changes the next answer."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.artists import services as artists
from backline.scheduling import selectors
from backline.scheduling.services import act_events, availability, external_calendars

BERLIN = ZoneInfo("Europe/Berlin")
START, END = dt.date(2027, 3, 1), dt.date(2027, 3, 31)
PEOPLE_TABLES = ("scheduling_availabilityrule", "scheduling_availabilityblock", "scheduling_commitment")


def at(day, hour):
    return dt.datetime(2027, 3, day, hour, tzinfo=BERLIN)


@pytest.fixture
def band(make_team, django_capture_on_commit_callbacks):
    """An act of five whose members are all free on weekday evenings in March 2027 (committed, as a
    request would have left it)."""
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    with django_capture_on_commit_callbacks(execute=True):
        for person in people.values():
            availability.availability_rule_create(actor=person, state="free", starts_on=START, start_time=dt.time(18),
                                                  end_time=dt.time(23), rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    return workspace, people


def assert_changed_there(workspace, before, day: int) -> None:
    """The evening of ``day`` was green before the change and is not now, as the database says."""
    after = zone(workspace)
    assert (at(day, 18), at(day, 23)) in before[0] and (at(day, 18), at(day, 23)) not in after[0]
    assert after == fresh(workspace)


def zone(workspace):
    view = selectors.green_zone_for_act(workspace.act, start=START, end=END)
    return [(s.starts_at, s.ends_at) for s in view.all_free], [(s.starts_at, s.missing.pk) for s in view.all_but_one]


def fresh(workspace):
    """The same answer worked out from the database alone."""
    cache.clear()
    return zone(workspace)


def people_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if any(table in q["sql"] for table in PEOPLE_TABLES)]


def test_a_second_reading_expands_nobody_again(band):
    workspace, _ = band
    with CaptureQueriesContext(connection) as first:
        answer = zone(workspace)
    assert len(people_queries(first)) == 3  # patterns, blocks and commitments of the five, once
    assert answer[0]  # weekday evenings are green
    with CaptureQueriesContext(connection) as second:
        assert zone(workspace) == answer
    assert people_queries(second) == []  # every member's free time came from the cache
    assert len(second) < len(first)


def test_the_cache_is_per_window(band):
    workspace, _ = band
    zone(workspace)
    with CaptureQueriesContext(connection) as other_window:
        selectors.green_zone_for_act(workspace.act, start=START, end=END + dt.timedelta(days=1))
    assert len(people_queries(other_window)) == 3


def test_changing_a_rule_changes_the_next_answer(band):
    workspace, people = band
    before = zone(workspace)
    rule = people[Role.MEMBER].availability_rules.get()
    availability.availability_rule_update(actor=people[Role.MEMBER], rule_id=rule.pk, rrule="FREQ=WEEKLY;BYDAY=MO")
    after = zone(workspace)
    assert after != before
    assert after == fresh(workspace)
    assert {day.weekday() for day, _ in after[0]} == {0}  # only Mondays are green now


def test_deleting_a_rule_changes_the_next_answer(band):
    workspace, people = band
    zone(workspace)
    rule = people[Role.ADMIN].availability_rules.get()
    availability.availability_rule_delete(actor=people[Role.ADMIN], rule_id=rule.pk)
    after = zone(workspace)
    assert after[0] == [] and after == fresh(workspace)


def test_a_busy_block_changes_the_next_answer(band):
    workspace, people = band
    before = zone(workspace)
    availability.availability_block_create(actor=people[Role.ADMIN], state="busy", starts_at=at(3, 0), ends_at=at(6, 0))
    after = zone(workspace)
    assert (at(3, 18), at(3, 23)) in before[0] and (at(3, 18), at(3, 23)) not in after[0]
    assert (at(3, 18), people[Role.ADMIN].act_memberships.get().pk) in after[1]
    assert after == fresh(workspace)


def test_a_commitment_in_another_act_changes_the_next_answer(band, make_team, django_capture_on_commit_callbacks):
    workspace, people = band
    before = zone(workspace)
    other, other_people = make_team(WorkspaceKind.ACT, name="The Larks")
    drummer = people[Role.MEMBER]
    invitation = accounts.invitation_create(actor=other_people[Role.OWNER], workspace_id=other.pk, email=drummer.email,
                                            role=Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):  # the line-up entry is made on commit
        accounts.invitation_accept(user=drummer, token=invitation.token)
    member = other.act.members.get(user=drummer)
    act_events.act_event_create(actor=other_people[Role.OWNER], workspace_id=other.pk, title="Larks rehearsal",
                                starts_at=at(4, 19), ends_at=at(4, 22), participant_ids=[member.pk])
    assert_changed_there(workspace, before, 4)


def test_a_new_default_changes_the_next_answer(band):
    workspace, people = band
    before = zone(workspace)
    for person in people.values():
        availability.schedule_set_default(actor=person, default_state="free")
    after = zone(workspace)
    assert len(after[0]) < len(before[0])  # free all day: whole days run together into fewer, longer spans
    assert after == fresh(workspace)


def test_an_imported_calendar_changes_the_next_answer(band):
    workspace, people = band
    before = zone(workspace)
    external_calendars.demo_import(user=people[Role.OWNER], name="Personal", events=[(at(5, 18), 4, "Dinner")])
    assert_changed_there(workspace, before, 5)


def test_a_change_that_rolls_back_leaves_no_answer_behind(band):
    workspace, people = band
    before = zone(workspace)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        availability.availability_block_create(actor=people[Role.OWNER], state="busy", starts_at=at(1, 0),
                                               ends_at=dt.datetime(2027, 4, 1, tzinfo=BERLIN))
        assert zone(workspace)[0] == []  # inside the transaction the block counts…
        raise Undo
    assert zone(workspace) == before  # …and after the rollback it never did


def test_a_change_in_the_line_up_changes_the_next_answer(band):
    """The kept answer names the line-up it was worked out for: a member marked optional no longer counts."""
    workspace, people = band
    availability.availability_block_create(actor=people[Role.MEMBER], state="busy", starts_at=at(8, 0), ends_at=at(9, 0))
    before = zone(workspace)
    assert (at(8, 18), at(8, 23)) not in before[0]
    member = people[Role.MEMBER].act_memberships.get()
    artists.act_member_update(actor=people[Role.OWNER], member_id=member.pk, is_optional=True)
    after = zone(workspace)
    assert (at(8, 18), at(8, 23)) in after[0] and after == fresh(workspace)
