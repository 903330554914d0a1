"""Writes for a person's imported calendars (Google, Apple, Outlook secret iCal addresses).

Each calendar's events become the person's private busy blocks (``source=import``, ``calendar`` set,
``label`` = the event's title, shown to bandmates only as "busy"). A refresh downloads the file *outside*
any transaction (a slow server must not hold database locks), then swaps the calendar's blocks in one
transaction: readers see the old set or the new one, never a mix. A failed refresh keeps the old blocks,
records a readable error on the calendar and backs off. The address is a secret: it is never written to
the audit log or to log messages."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from backline.core import audit
from backline.core.errors import Conflict, NotFound
from backline.core.validation import validate_model

from .. import availability_cache, imports
from ..models import AvailabilityBlock, BlockSource, ExternalCalendar, ImportStatus, State
from ..workflow import transition

log = logging.getLogger(__name__)

MAX_CALENDARS_PER_PERSON = 5
BACKOFF_BASE = dt.timedelta(minutes=15)  # after the n-th failure in a row: 15 min × 2^(n-1) ...
BACKOFF_MAX = dt.timedelta(hours=24)  # ... at most a day
CLAIM_FOR = dt.timedelta(minutes=10)  # refresh_due_calendars: how long a picked calendar is reserved
AUDIT_FIELDS = ("name", "status", "failures", "event_count", "last_error")


def _interval() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "CALENDAR_IMPORT_INTERVAL_MINUTES", 60)))


def backoff(failures: int) -> dt.timedelta:
    """How long to wait after ``failures`` failed fetches in a row (``failures`` ≥ 1)."""
    return min(BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 10), BACKOFF_MAX)


def _own_calendar(*, user, calendar_id: int, lock: bool = False) -> ExternalCalendar:
    """The person's own calendar; anyone else's is as missing as a deleted one (404)."""
    qs = ExternalCalendar.objects.select_for_update() if lock else ExternalCalendar.objects
    calendar = qs.filter(pk=calendar_id, user=user).first() if getattr(user, "is_authenticated", False) else None
    if calendar is None:
        raise NotFound("No such calendar.")
    return calendar


def external_calendar_add(*, actor, name: str, url: str) -> ExternalCalendar:
    """Add one of the person's own calendars by its secret iCal address and import it right away.

    The first import runs as soon as the new row is committed (immediately when called outside a
    transaction, else when the caller's transaction commits) and updates the returned object; a failed
    import is recorded on the calendar (``status=error``, ``last_error``), not raised."""
    url = imports.normalize_url(url)
    with transaction.atomic():
        # Lock the person: two adds at once must not both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        urls = list(ExternalCalendar.objects.filter(user=actor).values_list("url", flat=True))
        if len(urls) >= MAX_CALENDARS_PER_PERSON:
            raise Conflict(f"You can import at most {MAX_CALENDARS_PER_PERSON} calendars; remove one first.",
                           code="calendar_limit")
        if url in urls:
            raise Conflict("This calendar is already imported.", code="calendar_exists")
        calendar = ExternalCalendar(user=actor, name=(name or "").strip(), url=url, next_fetch_at=timezone.now())
        validate_model(calendar, exclude=["user"])
        calendar.save()
        audit.record(actor=actor, action="external_calendar.added", obj=calendar,
                     after={"name": calendar.name, "host": imports.host_of(url)})

    def first_import():
        _refresh(calendar.pk, actor=actor)
        calendar.refresh_from_db()

    transaction.on_commit(first_import, robust=True)
    return calendar


def external_calendar_refresh(*, actor, calendar_id: int) -> ExternalCalendar:
    """Fetch the person's calendar now and replace its blocks. A failed fetch does not raise: it is
    recorded on the returned calendar (``status``, ``last_error``) and the previous blocks stay."""
    _own_calendar(user=actor, calendar_id=calendar_id)
    return _refresh(calendar_id, actor=actor)


def external_calendar_remove(*, actor, calendar_id: int) -> None:
    """Stop importing the calendar and delete the busy blocks it brought in."""
    with transaction.atomic():
        calendar = _own_calendar(user=actor, calendar_id=calendar_id, lock=True)
        audit.record(actor=actor, action="external_calendar.removed", obj=calendar,
                     before=audit.snapshot(calendar, AUDIT_FIELDS))
        AvailabilityBlock.objects.filter(calendar=calendar).delete()
        calendar.delete()


def refresh_due_calendars(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """The periodic job: refresh every calendar whose ``next_fetch_at`` has come (or was never set), the
    most overdue first, at most ``limit`` per run. Each one is first claimed (its ``next_fetch_at``
    pushed ahead by ``CLAIM_FOR`` with a compare-and-set) so that overlapping runs never fetch the same
    calendar twice. Returns the number of calendars refreshed (successfully or not)."""
    now = now or timezone.now()
    due = list(ExternalCalendar.objects.filter(Q(next_fetch_at__lte=now) | Q(next_fetch_at__isnull=True))
               .order_by(F("next_fetch_at").asc(nulls_first=True), "pk")
               .values_list("pk", "next_fetch_at")[:limit])
    done = 0
    for pk, next_fetch_at in due:
        claim = ExternalCalendar.objects.filter(pk=pk)
        claim = claim.filter(next_fetch_at__isnull=True) if next_fetch_at is None else claim.filter(next_fetch_at=next_fetch_at)
        if not claim.update(next_fetch_at=now + CLAIM_FOR):
            continue  # another run took it
        try:
            _refresh(pk, actor=None)
        except NotFound:
            continue  # removed meanwhile
        except Exception:  # one broken calendar must not stop the others
            log.exception("refreshing external calendar %s failed", pk)
            continue
        done += 1
    return done


def _refresh(calendar_id: int, *, actor) -> ExternalCalendar:
    """Fetch and parse outside any transaction, then write the outcome in one transaction."""
    calendar = ExternalCalendar.objects.select_related("user").filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound("No such calendar.")
    started = timezone.now()
    time_zone = calendar.user.time_zone or "UTC"
    horizon_start, horizon_end = imports.default_horizon(started)
    parsed, failure = None, None
    try:
        data = imports.fetch_ics(calendar.url)
        parsed = imports.parse_busy(data, horizon_start=horizon_start, horizon_end=horizon_end, time_zone=time_zone)
    except imports.CalendarFetchError as exc:
        failure = exc
    return _store(calendar_id, started=started, time_zone=time_zone, parsed=parsed, failure=failure, actor=actor)


def _store(calendar_id: int, *, started, time_zone: str, parsed, failure, actor) -> ExternalCalendar:
    """Write one fetch's outcome: on success the calendar's blocks are replaced at once; on failure
    the previous blocks stay and the next attempt backs off."""
    with transaction.atomic():
        calendar = ExternalCalendar.objects.select_for_update().filter(pk=calendar_id).first()
        if calendar is None:
            raise NotFound("No such calendar.")  # removed while we were fetching
        if calendar.last_attempt_at and calendar.last_attempt_at > started:
            return calendar  # a refresh that started after this one has already written a newer result
        before = audit.snapshot(calendar, AUDIT_FIELDS)
        now = timezone.now()
        calendar.last_attempt_at = started
        if failure is None:
            AvailabilityBlock.objects.filter(calendar=calendar).delete()
            AvailabilityBlock.objects.bulk_create(
                [AvailabilityBlock(user_id=calendar.user_id, calendar=calendar, state=State.BUSY,
                                   source=BlockSource.IMPORT, starts_at=event.starts_at, ends_at=event.ends_at,
                                   all_day=event.all_day, time_zone=time_zone, label=event.title)
                 for event in parsed],
                batch_size=500,
            )
            availability_cache.changed([calendar.user_id])  # bulk_create sends no signal
            transition("import", calendar, ImportStatus.OK)
            calendar.last_success_at = started
            calendar.failures = 0
            calendar.event_count = len(parsed)
            calendar.last_error = (f"Only the first {len(parsed)} events were imported; the calendar has more."
                                   if parsed.truncated else "")
            calendar.next_fetch_at = now + _interval()
        else:
            transition("import", calendar, ImportStatus.ERROR)
            calendar.failures += 1
            calendar.last_error = failure.detail[:500]
            calendar.next_fetch_at = now + backoff(calendar.failures)
        calendar.save()
        after = audit.snapshot(calendar, AUDIT_FIELDS)
        # A person's own "refresh now" is always recorded; the periodic job only when the outcome changes
        # (every hourly success would otherwise add an entry per calendar per hour).
        if getattr(actor, "is_authenticated", False) or before["status"] != after["status"]:
            action = "external_calendar.refreshed" if failure is None else "external_calendar.refresh_failed"
            audit.record(actor=actor, action=action, obj=calendar, before=before, after=after)
    return calendar


def demo_import(*, user, name: str, events: list[tuple[dt.datetime, float, str]]) -> ExternalCalendar:
    """The demo world's stand-in for a personal calendar (there is no network to fetch one from): a
    saved import whose events were read already, stored exactly as a successful fetch stores them."""
    parsed = imports.ParsedEvents(
        imports.ParsedEvent(start.astimezone(dt.UTC), (start + dt.timedelta(hours=hours)).astimezone(dt.UTC), False, title)
        for start, hours, title in events)
    with transaction.atomic():
        calendar = ExternalCalendar.objects.create(user=user, name=name,
                                                   url=f"https://calendar.example.org/private/{user.pk}/basic.ics")
        audit.record(actor=user, action="external_calendar.added", obj=calendar, after=audit.snapshot(calendar, AUDIT_FIELDS))
    return _store(calendar.pk, started=timezone.now(), time_zone=user.time_zone, parsed=parsed, failure=None, actor=user)
