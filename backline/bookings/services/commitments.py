"""A confirmed show engages its act and performers and makes its people busy; anything else frees them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from backline.artists.models import Act, ActMember, Performer
from backline.core.errors import Conflict
from backline.core.timeutil import zone
from backline.scheduling.services.commitments import commitments_sync

from ..models import ACT_OVERLAP_CONSTRAINT, PERFORMER_OVERLAP_CONSTRAINT, Booking, Engagement, Status


def _performing_users(booking: Booking) -> list[int]:
    if booking.act_id:
        return list(ActMember.objects.filter(act_id=booking.act_id, is_optional=False, user__isnull=False)
                .values_list("user_id", flat=True))
    return list(booking.assignments.filter(performer__user__isnull=False, override_reason="")
            .values_list("performer__user_id", flat=True))


def commitment_title(booking: Booking) -> str:
    """What a performer's calendar says about the show: the act (or the agency that booked them) and the
    venue. Never the booking's own title, notes or client: those belong to the buyer's workspace, and the
    people playing (an act's members, an agency's performers) may not be able to open the booking. The
    commitment is what every person feed, ``/me/calendar`` and a double-booking 409 show."""
    who = f"Booked: {booking.act.workspace.name}" if booking.act_id else f"Booked via {booking.workspace.name}"
    return f"{who} at {booking.venue.name}"[:160] if booking.venue_id else who[:160]


def sync_commitments(booking: Booking, *, actor) -> None:
    """The booking's act and performers are engaged and its people busy (confirmed), or free again
    (anything else). Refuses (409 ``double_booked``) to engage an act, a performer or a person who is
    in another confirmed show at an overlapping time, whoever has an account."""
    live = booking.status == Status.CONFIRMED
    _engagements_sync(booking, live=live)
    commitments_sync(source_type="booking", source_id=booking.pk, workspace_id=booking.workspace_id,
                     user_ids=_performing_users(booking) if live else [], title=commitment_title(booking),
                     starts_at=booking.starts_at, ends_at=booking.ends_at, time_zone=booking.time_zone,
                     location=booking.venue.name if booking.venue_id else booking.location,
                     exclusive=True, actor=actor)


def _engagements_sync(booking: Booking, *, live: bool) -> None:
    """Make the booking's engagements (ADR 0008) match: while ``live``, one for its act and one for each
    assigned performer (non-exclusive where an admin overrode a conflict with a reason); otherwise none.
    The act's and performers' rows are locked first (act, then performers in id order) so that two
    confirmations of one act or performer queue on PostgreSQL; a new engagement that overlaps any
    other of the same act or performer is refused. The exclusion constraints are the backstop."""
    wanted: dict[tuple[str, int], bool] = {}
    if live:
        if booking.act_id:
            wanted[("act", booking.act_id)] = True
        for performer_id, reason in booking.assignments.values_list("performer_id", "override_reason"):
            wanted[("performer", performer_id)] = not reason
    current = {("act", e.act_id) if e.act_id else ("performer", e.performer_id): e.pk for e in booking.engagements.all()}
    gone = [pk for key, pk in current.items() if key not in wanted]
    if gone:
        Engagement.objects.filter(pk__in=gone).delete()
    new = {key: exclusive for key, exclusive in wanted.items() if key not in current}
    if not new:
        return
    act_ids = [k for kind, k in new if kind == "act"]
    performer_ids = sorted(k for kind, k in new if kind == "performer")
    list(Act.objects.select_for_update(no_key=True).filter(pk__in=act_ids).values_list("pk", flat=True))
    list(Performer.objects.select_for_update(no_key=True).filter(pk__in=performer_ids).order_by("pk")
         .values_list("pk", flat=True))
    guarded = [key for key, exclusive in new.items() if exclusive]
    clash = _engagement_clash(booking, guarded)
    if clash:
        raise clash
    rows = [Engagement(booking=booking, starts_at=booking.starts_at, ends_at=booking.ends_at, exclusive=exclusive,
                       **{f"{kind}_id": key}) for (kind, key), exclusive in new.items()]
    try:
        with transaction.atomic():
            Engagement.objects.bulk_create(rows)
    except IntegrityError as exc:
        # The backstop fired: another writer got there without the lock. Name what it wrote.
        if not any(name in str(exc) for name in (PERFORMER_OVERLAP_CONSTRAINT, ACT_OVERLAP_CONSTRAINT)):
            raise
        raise (_engagement_clash(booking, guarded)
               or Conflict("The act or a performer already has a confirmed show at this time.", code="double_booked")
               ) from exc


def _engagement_clash(booking: Booking, keys: list[tuple[str, int]]) -> Conflict | None:
    """409 ``double_booked`` naming the first other confirmed show that engages one of these acts or
    performers at an overlapping time (half-open: a show ending when this one starts is no clash).
    Another workspace's show is named by its reference and times only: its title is its own business."""
    if not keys:
        return None
    who = Q()
    for kind, key in keys:
        who |= Q(**{f"{kind}_id": key})
    other = (Engagement.objects.filter(who, starts_at__lt=booking.ends_at, ends_at__gt=booking.starts_at)
             .exclude(booking=booking).select_related("booking", "act__workspace", "performer")
             .order_by("starts_at", "id").first())
    if other is None:
        return None
    shown = other.booking
    name = str(other.act) if other.act_id else other.performer.name
    local = zone(shown.time_zone)
    start, end = shown.starts_at.astimezone(local), shown.ends_at.astimezone(local)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %Y %H:%M}"
    what = f"{shown.reference} “{shown.title}”" if shown.workspace_id == booking.workspace_id else shown.reference
    conflicting = {"type": "booking", "id": shown.pk, "reference": shown.reference,
                   "starts_at": shown.starts_at.isoformat(), "ends_at": shown.ends_at.isoformat()}
    conflicting["act_id" if other.act_id else "performer_id"] = other.act_id or other.performer_id
    return Conflict(f"{name} is already booked for {what} on {start:%a %d %b %Y %H:%M}–{until} ({shown.time_zone}).",
                    code="double_booked", conflicting=conflicting)
