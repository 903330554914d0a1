"""Commitments: the one door every source of busy time (an act event, a booking) goes through, and
the double-booking guard for exclusive ones (shows)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from backline.accounts.models import User
from backline.core import audit
from backline.core.errors import Conflict
from backline.core.timeutil import check_span, zone

from .. import selectors
from ..models import DOUBLE_BOOKING_CONSTRAINT, Commitment, CommitmentStatus
from ..workflow import transition


def commitments_sync(*, source_type: str, source_id: int, workspace_id: int, user_ids, title: str, starts_at,
                     ends_at, time_zone: str, location: str = "", status: str = CommitmentStatus.CONFIRMED,
                     actor=None, exclusive: bool = False) -> list[Commitment]:
    """Make the commitments of one source (an act event, a booking) match: one per person in
    ``user_ids`` with these times and status; people no longer in it are cancelled. Changed ones get
    their ``sequence`` bumped so calendar subscribers update. Runs in the caller's transaction (inside
    a savepoint of its own, so a refusal leaves nothing half-written).

    ``exclusive`` sources (shows) may not overlap another confirmed exclusive commitment of the same
    person (rehearsals are not exclusive and may overlap anything). Confirming one that would raises
    ``Conflict`` with code ``double_booked`` naming the other. The people's rows are locked first, in
    id order, so two confirmations for one person serialise on PostgreSQL (SQLite serialises writers
    with IMMEDIATE transactions); the PostgreSQL exclusion constraint is the backstop behind the check.
    The times come from a source checked when it was written (a booking long past still cancels)."""
    check_span(starts_at, ends_at, planned=False)
    wanted = set(user_ids)
    guarded = bool(exclusive and status == CommitmentStatus.CONFIRMED and wanted)
    others = (source_type, source_id)
    try:
        with transaction.atomic():
            if guarded:
                _lock_people(wanted)
                clashes = selectors.exclusive_conflicts(user_ids=wanted, starts_at=starts_at, ends_at=ends_at,
                                                        exclude_source=others)
                if clashes:
                    raise _double_booked(clashes[0])
            return _commitments_write(source_type=source_type, source_id=source_id, workspace_id=workspace_id,
                                      wanted=wanted, status=status, actor=actor,
                                      fields={"title": title, "location": location, "starts_at": starts_at,
                                              "ends_at": ends_at, "time_zone": time_zone, "exclusive": exclusive})
    except IntegrityError as exc:
        if not _is_double_booking(exc):
            raise
        # The backstop fired: a writer that did not go through this service (or took no lock) got there
        # first. The savepoint is rolled back; name what it wrote if we can see it.
        clashes = selectors.exclusive_conflicts(user_ids=wanted, starts_at=starts_at, ends_at=ends_at,
                                                exclude_source=others)
        if clashes:
            raise _double_booked(clashes[0]) from exc
        raise Conflict("One of these people already has a confirmed show at this time.", code="double_booked") from exc


def _commitments_write(*, source_type: str, source_id: int, workspace_id: int, wanted: set[int], status: str, actor,
                       fields: dict) -> list[Commitment]:
    current = {c.user_id: c for c in Commitment.objects.select_for_update().filter(
        source_type=source_type, source_id=source_id)}
    out = []
    for user_id in sorted(wanted | set(current)):
        c = current.get(user_id)
        target = status if user_id in wanted else CommitmentStatus.CANCELLED
        if c is None:
            if target == CommitmentStatus.CANCELLED:
                continue
            c = Commitment.objects.create(user_id=user_id, workspace_id=workspace_id, source_type=source_type,
                                          source_id=source_id, status=target, **fields)
            audit.record(actor=actor, action="commitment.created", obj=c, workspace_id=workspace_id,
                         after={"user": user_id, "starts_at": c.starts_at, "ends_at": c.ends_at, "status": target,
                                "exclusive": c.exclusive})
        else:
            changed = {k: v for k, v in fields.items() if getattr(c, k) != v}
            if changed or c.status != target:
                before = {"status": c.status, **{k: getattr(c, k) for k in changed}}
                for k, v in changed.items():
                    setattr(c, k, v)
                if c.status != target:
                    transition("commitment", c, target)
                c.sequence += 1
                c.save()
                audit.record(actor=actor, action="commitment.updated", obj=c, workspace_id=workspace_id,
                             before=before, after={"status": c.status, **changed})
        out.append(c)
    return out


def _lock_people(user_ids) -> None:
    """Lock the people's rows in id order (a consistent order cannot deadlock). ``FOR NO KEY UPDATE``
    excludes another confirmation of the same person but not the key-share locks that inserting a
    row pointing at the person takes, so unrelated writes (audit entries, memberships) are not held up."""
    list(User.objects.select_for_update(no_key=True).filter(pk__in=user_ids).order_by("pk").values_list("pk", flat=True))


def _is_double_booking(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    return name == DOUBLE_BOOKING_CONSTRAINT or (name is None and DOUBLE_BOOKING_CONSTRAINT in str(exc))


def _double_booked(clash: Commitment) -> Conflict:
    """409 naming the person and the show they already have (in the show's own zone, named)."""
    local = zone(clash.time_zone)
    start, end = clash.starts_at.astimezone(local), clash.ends_at.astimezone(local)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %Y %H:%M}"
    return Conflict(
        f"{clash.user.display_name} is already booked for “{clash.title}” on {start:%a %d %b %Y %H:%M}–{until} "
        f"({clash.time_zone}).",
        code="double_booked",
        conflicting={"type": clash.source_type, "id": clash.source_id, "user_id": clash.user_id, "title": clash.title,
                     "starts_at": clash.starts_at.isoformat(), "ends_at": clash.ends_at.isoformat()},
    )
