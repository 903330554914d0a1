"""Hold ranks at a venue: 1st, 2nd, 3rd… on a local day, kept gap-free under the venue's lock."""

from __future__ import annotations

import datetime as dt

from backline.core.events import emit
from backline.core.timeutil import zone
from backline.venues.models import Venue

from .. import events
from ..models import Booking, Status
from .common import _record


def _local_day(booking_or_start, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    start = booking_or_start.astimezone(zone(tz_name))
    day = dt.datetime.combine(start.date(), dt.time(0), tzinfo=zone(tz_name))
    return day, day + dt.timedelta(days=1)


def _actor_pk(actor) -> int | None:
    """Who did it, for an event's ``actor_id``: nobody when the clock did."""
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _lock_venues(*, booking_id: int, also: int | None = None) -> None:
    """Lock the booking's venue (and ``also``, a venue it moves to) before the booking itself. Every
    service that ranks, re-ranks or reads the ranks of holds takes this lock first, so two of them at
    one venue queue instead of counting the same holds (two 1st holds), and always in the same order
    (venue, then booking) so they cannot deadlock. On SQLite IMMEDIATE transactions queue all writers."""
    current = Booking.objects.filter(pk=booking_id).values_list("venue_id", flat=True).first()
    ids = sorted({v for v in (current, also) if v})
    if ids:
        list(Venue.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _holds_on(venue_id: int, starts_at: dt.datetime, tz_name: str):
    """The live holds at a venue on the show's local date, locked, in rank order."""
    day_start, day_end = _local_day(starts_at, tz_name)
    return list(Booking.objects.select_for_update().filter(
        venue_id=venue_id, status__in=(Status.HOLD, Status.OFFER), hold_rank__isnull=False,
        starts_at__gte=day_start, starts_at__lt=day_end).order_by("hold_rank", "id"))


def _renumber(venue_id: int, starts_at: dt.datetime, tz_name: str, *, actor) -> None:
    """Close the gaps after a hold ends: 2nd becomes 1st and so on; whoever becomes 1st is told."""
    for rank, hold in enumerate(_holds_on(venue_id, starts_at, tz_name), start=1):
        if hold.hold_rank != rank:
            before = hold.hold_rank
            hold.hold_rank = rank
            hold.save(update_fields=["hold_rank", "updated_at"])
            _record(actor, "booking.hold_promoted", hold, before={"hold_rank": before}, after={"hold_rank": rank})
            if rank == 1:
                emit(events.hold_promoted, booking_id=hold.pk, workspace_id=hold.workspace_id, actor_id=_actor_pk(actor),
                     act_workspace_id=hold.act.workspace_id if hold.act_id else None)


def _rank(booking: Booking, was: tuple | None, *, actor) -> None:
    """Give a held booking (at its venue and times now) its rank. ``was`` is where it was ranked before
    (venue id, start, zone, rank) or None: on the same venue and local day it keeps its rank; anywhere
    else it becomes the next-ranked hold there and the holds behind it at the old place move up.
    The caller holds the venues' locks (``_lock_venues``), old and new."""
    same_day = bool(was) and was[0] == booking.venue_id and (
        _local_day(was[1], was[2]) == _local_day(booking.starts_at, booking.time_zone))
    if same_day:
        booking.hold_rank = was[3]
        return
    if was:
        Booking.objects.filter(pk=booking.pk).update(hold_rank=None)
        _renumber(was[0], was[1], was[2], actor=actor)
    holds = [h for h in _holds_on(booking.venue_id, booking.starts_at, booking.time_zone) if h.pk != booking.pk]
    booking.hold_rank = len(holds) + 1
