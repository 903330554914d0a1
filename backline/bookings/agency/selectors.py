"""Reads of an agency's books: its clients, its packages, its performers' other bookings at a time, and
who is free on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.artists.models import Performer
from backline.core.errors import NotFound
from backline.core.timeutil import check_query, from_epoch, local_midnight, to_epoch, zone
from backline.scheduling import intervals
from backline.scheduling.selectors import free_time, not_busy_time, people_data

from ..models import CLAIMING_STAGES, Advance, Assignment, Booking, Client, Package, Status
from ..selectors import with_current_offer


def clients_for(workspace, *, archived: bool = False):
    return Client.objects.filter(workspace=workspace, archived_at__isnull=not archived)


def packages_for(workspace, *, active: bool | None = None):
    qs = Package.objects.filter(workspace=workspace)
    return qs if active is None else qs.filter(is_active=active)


FREE, BUSY, UNKNOWN = "free", "busy", "unknown"


@dataclass
class Reason:
    """Why a performer is busy at some time in the window: a booking of this agency (named), a commitment
    elsewhere (not named: it is another workspace's business), or time they marked unavailable (their
    patterns, days off, a busy default or an imported calendar: private, so only "marked unavailable")."""

    kind: str  # booking | commitment | unavailable
    starts_at: dt.datetime
    ends_at: dt.datetime
    booking: Booking | None = None

    @property
    def label(self) -> str:
        if self.booking is not None:
            return f"Booked: {self.booking.title}"
        return "Committed elsewhere" if self.kind == "commitment" else "Marked unavailable"


@dataclass
class PerformerDay:
    """One performer in the window: free, busy (with the reasons) or unknown (nothing says either)."""

    performer: Performer
    status: str
    reasons: list[Reason] = field(default_factory=list)
    free: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)  # their free time in the window
    on_booking: bool = False  # already assigned to the booking being staffed

    @property
    def booked(self) -> list[Booking]:
        return [r.booking for r in self.reasons if r.booking is not None]

    @property
    def has_account(self) -> bool:
        return self.performer.user_id is not None

    @property
    def kind(self) -> str:
        """What the page says about them, in one word a badge shows: ``on_show`` (assigned to the show being
        staffed), ``free``, ``booked`` (a booking of this agency), ``elsewhere`` (committed in another act or
        agency), ``unavailable`` (time they marked), ``partly`` (free only some of the time asked about),
        ``no_calendar`` (no account, so no calendar: unknown) or ``not_said`` (their calendar says nothing)."""
        if self.on_booking:
            return "on_show"
        if self.status == FREE:
            return FREE
        if self.status == BUSY:
            kinds = {r.kind for r in self.reasons}
            return "booked" if "booking" in kinds else "elsewhere" if "commitment" in kinds else "unavailable"
        if not self.has_account:
            return "no_calendar"
        return "partly" if self.free else "not_said"


def availability_window(workspace, day: dt.date, start: dt.time | None = None,
                        end: dt.time | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The span asked about, in the agency's zone: the whole day, or from ``start`` to ``end`` that day (an
    end at or before the start is the next morning, so 20:00–02:00 crosses midnight)."""
    check_query(date=day)  # the day after 9999-12-31 does not exist: 422, not 500
    tz = zone(workspace.time_zone)
    first = dt.datetime.combine(day, start, tzinfo=tz) if start else local_midnight(day, tz)
    last = dt.datetime.combine(day, end, tzinfo=tz) if end else local_midnight(day + dt.timedelta(days=1), tz)
    if last <= first:
        last += dt.timedelta(days=1)
    return first, last


def performers_availability(workspace, day: dt.date, *, start: dt.time | None = None, end: dt.time | None = None,
                            booking: Booking | None = None) -> list[PerformerDay]:
    """Each active performer of the agency on ``day`` (or from ``start`` to ``end`` that day, or in the
    times of ``booking``, the show being staffed), free, busy (with the reasons) or unknown (no account,
    or they have not said). For a time: busy when a booking of this agency at a claiming stage, a
    commitment elsewhere or time they marked unavailable overlaps it, free when their own availability
    says they are free all of it. For a whole day: busy when a booking or a commitment falls on it, or
    when they marked all of it unavailable; free when they are free some of it (``free`` says when).
    Five queries whatever the number of performers."""
    if booking is not None and booking.starts_at and booking.ends_at:
        window = (booking.starts_at, booking.ends_at)
    else:
        window = availability_window(workspace, day, start, end)
    whole_day = booking is None and start is None and end is None
    span = (to_epoch(window[0]), to_epoch(window[1]))
    tz = zone(workspace.time_zone)
    performers = list(Performer.objects.filter(workspace=workspace, is_active=True).select_related("user__schedule"))
    claims: dict[int, list[Assignment]] = {p.pk: [] for p in performers}
    for a in (Assignment.objects.filter(performer__workspace=workspace, performer__is_active=True,
                                        booking__workspace=workspace, booking__status__in=CLAIMING_STAGES,
                                        booking__starts_at__lt=window[1], booking__ends_at__gt=window[0])
              .select_related("booking")):
        claims[a.performer_id].append(a)
    defaults = {p.user_id: _default_state(p.user) for p in performers if p.user_id}
    data = people_data(list(defaults), *span, defaults=defaults)
    out = []
    for p in performers:
        day_ = PerformerDay(performer=p, status=UNKNOWN)
        hard, marked, taken = [], [], []
        for a in claims[p.pk]:
            if booking is not None and a.booking_id == booking.pk:
                day_.on_booking = True
                continue
            hard.append(Reason("booking", a.booking.starts_at, a.booking.ends_at, a.booking))
            taken.append((to_epoch(a.booking.starts_at), to_epoch(a.booking.ends_at)))
        free: list[tuple[int, int]] = []
        person = data.get(p.user_id)
        if person is not None:
            hard += [Reason("commitment", c.starts_at, c.ends_at) for c in person.commitments
                     if c.workspace_id != workspace.pk]  # this agency's own are its bookings, named above
            committed = intervals.normalize((to_epoch(c.starts_at), to_epoch(c.ends_at)) for c in person.commitments)
            marked = [Reason("unavailable", from_epoch(s, tz), from_epoch(e, tz)) for s, e in intervals.subtract(
                intervals.subtract([span], not_busy_time(person, *span)), committed)]
            free = intervals.subtract(free_time(person, *span), intervals.normalize(taken))
            day_.free = [(from_epoch(s, tz), from_epoch(e, tz)) for s, e in free]
        if whole_day:  # a day: any booking or commitment makes them busy; time off only if they are free none of it
            day_.reasons = hard or ([] if free else marked)
            day_.status = BUSY if day_.reasons else FREE if free else UNKNOWN
        else:  # a time: anything in it makes them busy; free only when free all of it
            day_.reasons = hard + marked
            day_.status = BUSY if day_.reasons else FREE if free == [span] else UNKNOWN
        day_.reasons.sort(key=lambda r: r.starts_at)
        out.append(day_)
    return out


def _default_state(user) -> str:
    try:  # selected with the performer: no query
        return user.schedule.default_state
    except ObjectDoesNotExist:
        return UNKNOWN


def performer_conflicts(*, performer: Performer, booking: Booking):
    """The performer's other bookings at a claiming stage (``models.CLAIMING_STAGES``: an inquiry with
    its times set counts, a closed booking does not) whose times overlap this one (half-open: back to
    back is fine), earliest first. A booking without times yet has nothing to check."""
    if not booking.starts_at or not booking.ends_at:
        return []
    return list(Booking.objects.filter(
        assignments__performer=performer, status__in=CLAIMING_STAGES,
        starts_at__lt=booking.ends_at, ends_at__gt=booking.starts_at).exclude(pk=booking.pk).distinct()
        .order_by("starts_at", "id"))


# --- a performer's gig ------------------------------------------------------------------------------

# The stages at which an assigned performer sees the gig (as their list of gigs shows it): offered,
# confirmed, played, and cancelled (so a cancellation reads as one, not as a missing page).
GIG_STAGES = (Status.OFFER, Status.CONFIRMED, Status.COMPLETED, Status.CANCELLED)
_CALL_FIELDS = {"offer_load_in": "load_in", "offer_doors": "doors", "offer_curfew": "curfew",
                "offer_set_minutes": "set_minutes"}


def gig_for(*, access, booking_id: int) -> tuple[Booking, Advance | None, list[Assignment], Assignment | None]:
    """A gig of the agency as a performer needs it: the booking (venue, act, its advance and the call times
    of its current deal loaded with it), its line-up, and the viewer's own assignment. The performer
    assigned to it sees it; coordinators, admins and owners see any; anyone else gets 404. Two queries."""
    qs = Booking.objects.filter(pk=booking_id, workspace=access.workspace).select_related(
        "venue", "act__workspace", "advance")
    booking = with_current_offer(qs, _CALL_FIELDS).first()
    if booking is None:
        raise NotFound("No such gig.")
    line_up = list(Assignment.objects.filter(booking=booking).select_related("performer").order_by("performer__name"))
    mine = next((a for a in line_up if a.performer.user_id == access.membership.user_id), None)
    if not access.can(BOOKINGS_MANAGE) and (mine is None or booking.status not in GIG_STAGES):
        raise NotFound("No such gig.")
    try:
        advance = booking.advance
    except ObjectDoesNotExist:
        advance = None
    return booking, advance, line_up, mine
