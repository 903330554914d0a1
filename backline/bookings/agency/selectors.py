"""Reads of an agency's books: its clients, its packages, its performers' other bookings at a time, and
who is free on a date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist

from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.artists.models import Performer
from backline.core.errors import NotFound
from backline.core.timeutil import check_query, local_midnight, zone

from ..models import CLAIMING_STAGES, Advance, Assignment, Booking, Client, Package, Status
from ..selectors import with_current_offer


def clients_for(workspace, *, archived: bool = False):
    return Client.objects.filter(workspace=workspace, archived_at__isnull=not archived)


def packages_for(workspace, *, active: bool | None = None):
    qs = Package.objects.filter(workspace=workspace)
    return qs if active is None else qs.filter(is_active=active)


def performers_availability(workspace, day: dt.date):
    """Each active performer of an agency and the bookings that keep them busy on ``day``."""
    check_query(date=day)  # the day after 9999-12-31 does not exist: 422, not 500
    tz = zone(workspace.time_zone)
    start, end = local_midnight(day, tz), local_midnight(day + dt.timedelta(days=1), tz)
    performers = list(Performer.objects.filter(workspace=workspace, is_active=True))
    busy: dict[int, list[Booking]] = {p.pk: [] for p in performers}
    booked = Booking.objects.filter(workspace=workspace, status__in=CLAIMING_STAGES,
                                    starts_at__lt=end, ends_at__gt=start).prefetch_related("assignments")
    for booking in booked:
        for a in booking.assignments.all():
            if a.performer_id in busy:
                busy[a.performer_id].append(booking)
    return [(p, busy[p.pk]) for p in performers]


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
