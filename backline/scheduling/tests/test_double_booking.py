"""The double-booking rule: confirmed exclusive commitments (shows) of one person never overlap.

The service check runs on every database; on PostgreSQL the exclusion constraint is the backstop and
the row lock makes concurrent confirmations for one person queue instead of racing."""

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.core.errors import Conflict
from backline.core.models import AuditEntry
from backline.scheduling import selectors
from backline.scheduling.models import Commitment, CommitmentStatus
from backline.scheduling.services import act_events, commitments
from tests.factories import UserFactory

BERLIN = ZoneInfo("Europe/Berlin")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the exclusion constraint and row locks exist on PostgreSQL only")


def at(day, hour, minute=0):
    return dt.datetime(2027, 5, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def promoter(db):
    owner = UserFactory(name="Pat Promoter")
    return accounts.workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name="Night Owl Promotions",
                                     time_zone="Europe/Berlin")


@pytest.fixture
def singer(db):
    return UserFactory(name="Sam Singer")


def show(workspace, source_id, user_ids, starts_at, ends_at, *, title=None, status=CommitmentStatus.CONFIRMED,
         exclusive=True):
    """A booking's commitments, as the bookings app will sync them."""
    return commitments.commitments_sync(source_type="booking", source_id=source_id, workspace_id=workspace.pk,
                                        user_ids=user_ids, title=title or f"Show {source_id}", starts_at=starts_at,
                                        ends_at=ends_at, time_zone="Europe/Berlin", status=status, exclusive=exclusive)


def rows(source_id):
    return list(Commitment.objects.filter(source_type="booking", source_id=source_id)
                .values_list("user_id", "starts_at", "ends_at", "status", "sequence"))


# --- the service check (every database) -----------------------------------------------------------

def test_an_overlapping_show_is_refused_with_409_naming_the_other(promoter, singer):
    bassist = UserFactory(name="Bo Bass")
    show(promoter, 1, [singer.pk], at(6, 20), at(6, 23), title="Club show · Night Owl")
    with pytest.raises(Conflict) as refused:
        show(promoter, 2, [bassist.pk, singer.pk], at(6, 22), at(7, 1))
    err = refused.value
    assert (err.status, err.code) == (409, "double_booked")
    conflicting = dict(err.extra["conflicting"])
    assert [dt.datetime.fromisoformat(conflicting.pop(k)) for k in ("starts_at", "ends_at")] == [at(6, 20), at(6, 23)]
    assert conflicting == {"type": "booking", "id": 1, "user_id": singer.pk, "title": "Club show · Night Owl"}
    assert "Sam Singer" in err.detail and "Club show · Night Owl" in err.detail
    assert "20:00–23:00 (Europe/Berlin)" in err.detail
    assert rows(2) == []  # not even the bassist, who was free


def test_back_to_back_shows_are_allowed_because_spans_are_half_open(promoter, singer):
    show(promoter, 1, [singer.pk], at(6, 20), at(6, 22))
    show(promoter, 2, [singer.pk], at(6, 22), at(6, 23, 30))
    show(promoter, 3, [singer.pk], at(6, 18), at(6, 20))
    assert Commitment.objects.filter(user=singer, status="confirmed", exclusive=True).count() == 3
    assert selectors.exclusive_conflicts(user_ids=[singer.pk], starts_at=at(6, 22), ends_at=at(6, 23, 30),
                                         exclude_source=("booking", 2)) == []
    assert [c.source_id for c in selectors.exclusive_conflicts(user_ids=[singer.pk], starts_at=at(6, 19),
                                                               ends_at=at(6, 21))] == [3, 1]


def test_rehearsals_are_not_exclusive_and_may_overlap_shows(make_team, promoter):
    band, people = make_team(WorkspaceKind.ACT, name="The Owls")
    drummer = people[Role.MEMBER]
    act_events.act_event_create(actor=people[Role.OWNER], workspace_id=band.pk, title="Rehearsal",
                                starts_at=at(6, 18), ends_at=at(6, 21))
    show(promoter, 1, [drummer.pk], at(6, 20), at(6, 23))  # over the rehearsal
    act_events.act_event_create(actor=people[Role.OWNER], workspace_id=band.pk, title="Late jam",
                                starts_at=at(6, 22), ends_at=at(7, 1))  # a rehearsal over the show
    assert Commitment.objects.filter(user=drummer, status="confirmed").count() == 3
    # A non-exclusive source of another kind overlapping is fine too, and so is a second one over it.
    show(promoter, 2, [drummer.pk], at(6, 20), at(6, 23), exclusive=False)
    with pytest.raises(Conflict):
        show(promoter, 3, [drummer.pk], at(6, 21), at(6, 22))


def test_cancelled_and_tentative_shows_do_not_block_but_confirming_them_is_checked(promoter, singer):
    show(promoter, 1, [singer.pk], at(6, 20), at(6, 23))
    show(promoter, 1, [singer.pk], at(6, 20), at(6, 23), status=CommitmentStatus.CANCELLED)
    show(promoter, 2, [singer.pk], at(6, 21), at(6, 23))  # the cancelled one does not block
    show(promoter, 3, [singer.pk], at(6, 21), at(6, 22), status=CommitmentStatus.TENTATIVE)  # a hold may overlap
    with pytest.raises(Conflict) as refused:  # but confirming the cancelled one again is a double booking
        show(promoter, 1, [singer.pk], at(6, 20), at(6, 23))
    assert refused.value.extra["conflicting"]["id"] == 2
    with pytest.raises(Conflict):
        show(promoter, 3, [singer.pk], at(6, 21), at(6, 22))
    assert [r[3] for r in rows(1)] == ["cancelled"]
    assert [r[3] for r in rows(3)] == ["tentative"]


def test_moving_a_show_onto_another_is_refused_and_changes_nothing(promoter, singer):
    guitarist = UserFactory()
    show(promoter, 1, [singer.pk], at(6, 18), at(6, 20))
    show(promoter, 2, [guitarist.pk, singer.pk], at(6, 21), at(6, 23))
    before, audits = rows(2), AuditEntry.objects.count()
    # The caller catches the refusal inside its own transaction and commits: nothing half-written remains.
    with transaction.atomic(), pytest.raises(Conflict) as refused:
        show(promoter, 2, [guitarist.pk, singer.pk], at(6, 19), at(6, 21), title="Moved")
    assert refused.value.extra["conflicting"]["id"] == 1
    assert rows(2) == before
    assert AuditEntry.objects.count() == audits
    # Changing the show in place (same times, new title) does not clash with itself.
    show(promoter, 2, [guitarist.pk, singer.pk], at(6, 21), at(6, 23), title="Renamed")
    assert {r[4] for r in rows(2)} == {1}


# --- the PostgreSQL backstop ----------------------------------------------------------------------

@postgres_only
def test_the_exclusion_constraint_refuses_an_overlap_written_past_the_service(promoter, singer):
    def create(source_id, starts_at, ends_at, **kw):
        values = {"user": singer, "exclusive": True, **kw}
        return Commitment.objects.create(workspace=promoter, source_type="booking", source_id=source_id, title="x",
                                         starts_at=starts_at, ends_at=ends_at, **values)

    create(1, at(6, 20), at(6, 23))
    with pytest.raises(IntegrityError, match="commitment_no_double_booking"), transaction.atomic():
        create(2, at(6, 22), at(7, 1))
    create(3, at(6, 23), at(7, 1))  # adjacent
    create(4, at(6, 21), at(6, 22), exclusive=False)
    create(5, at(6, 21), at(6, 22), status=CommitmentStatus.CANCELLED)
    create(6, at(6, 21), at(6, 22), status=CommitmentStatus.TENTATIVE)
    create(7, at(6, 21), at(6, 22), user=UserFactory())  # another person


def _workspace_and_person():
    owner = UserFactory()
    workspace = accounts.workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name="Race Promotions",
                                          time_zone="Europe/Berlin")
    return workspace, UserFactory(name="Raced Singer")


def _race(workspace, person, n, *, wait_when_locked=False):
    """``n`` threads, each on its own connection and in its own transaction, confirm a different show
    for the same person at overlapping times, all released at once. Returns each thread's outcome."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def confirm(i):
        with transaction.atomic():
            show(workspace, 1000 + i, [person.pk], at(6, 20, i % 60), at(6, 23, i % 60))

    def attempt(i):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            for _ in range(2000):
                try:
                    confirm(i)
                    break
                except OperationalError as exc:
                    if not (wait_when_locked and "locked" in str(exc)):
                        raise
                    time.sleep(0.005)  # what SQLite's busy timeout does on a file database
            else:
                raise AssertionError("still locked")
            results[i] = "ok"
        except BaseException as exc:  # noqa: BLE001 - every outcome is gathered and asserted on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_confirmations_for_one_person_give_exactly_one_show():
    workspace, person = _workspace_and_person()
    results = _race(workspace, person, 50)
    _assert_one_winner(results, person)
    # The row lock made them queue, so the service's own check refused them all: the constraint
    # (whose refusals arrive as the cause of the Conflict) never had to step in.
    assert [r for r in results if isinstance(r, Conflict) and isinstance(r.__cause__, IntegrityError)] == []


def _assert_one_winner(results, person):
    ok = [r for r in results if r == "ok"]
    refused = [r for r in results if isinstance(r, Conflict)]
    other = [r for r in results if r != "ok" and not isinstance(r, Conflict)]
    assert other == []
    assert (len(ok), len(refused)) == (1, len(results) - 1)
    assert {(e.status, e.code) for e in refused} == {(409, "double_booked")}
    assert Commitment.objects.filter(user=person, status="confirmed", exclusive=True).count() == 1


# The same race on SQLite, where IMMEDIATE transactions serialise the writers and the service check
# alone keeps the rule. The test database is an in-memory database in shared-cache mode (the only way
# the threads can all see it); there a writer that finds the write lock taken fails at once with
# "database table is locked" instead of waiting out the busy timeout as on the file database we run
# with (transaction_mode="IMMEDIATE", timeout=20). The threads therefore wait and retry on that error
# themselves, which is what the busy timeout does; every other outcome is asserted as on PostgreSQL.
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the race")
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_on_sqlite_give_exactly_one_show():
    workspace, person = _workspace_and_person()
    results = _race(workspace, person, 50, wait_when_locked=True)
    _assert_one_winner(results, person)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_skips_the_service_is_stopped_by_the_constraint_and_named():
    """A transaction writes an overlapping show straight to the table and has not committed yet: the
    service's check cannot see it, so its insert waits on the constraint; when the writer commits,
    the constraint refuses the insert and the service answers with the same 409 as its own check."""
    workspace, person = _workspace_and_person()
    inserted, outcome = threading.Event(), {}

    def own_pid():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    service_pid = own_pid()

    def direct_writer():
        try:
            with transaction.atomic():
                Commitment.objects.create(user=person, workspace=workspace, source_type="booking", source_id=1,
                                          title="Imported show", starts_at=at(6, 20), ends_at=at(6, 23), exclusive=True)
                inserted.set()
                with connection.cursor() as cursor:  # commit only once the service is waiting on us
                    for _ in range(600):
                        cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [own_pid(), service_pid])
                        if cursor.fetchone()[0]:
                            outcome["waited"] = True
                            break
                        time.sleep(0.05)
        finally:
            connection.close()

    writer = threading.Thread(target=direct_writer)
    writer.start()
    assert inserted.wait(timeout=30)
    with pytest.raises(Conflict) as refused, transaction.atomic():
        show(workspace, 2, [person.pk], at(6, 22), at(7, 1))
    writer.join(timeout=60)
    assert outcome.get("waited")
    assert refused.value.code == "double_booked"
    assert isinstance(refused.value.__cause__, IntegrityError)  # the constraint refused it, not the check
    assert refused.value.extra["conflicting"]["title"] == "Imported show"
    assert rows(2) == []
