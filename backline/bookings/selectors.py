"""Reads for bookings, already scoped to what the person may see."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, prefetch_related_objects

from backline.accounts.models import Membership
from backline.accounts.permissions import BOOKINGS_VIEW, capabilities_of
from backline.core.audit import history_for
from backline.core.timeutil import check_query

from .models import Booking, Status
from .permissions import act_sees_q


def visible_workspaces(user, *, memberships=None) -> list[tuple[int, int | None]]:
    """(workspace id, its act's id or None) for each workspace whose bookings the person may see
    (their role holds ``bookings.view``): one query, or none from ``memberships``, the person's own
    loaded with their workspaces and those workspaces' acts (``select_related("workspace__act")``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if memberships is None:
        rows = Membership.objects.filter(user=user).values_list("workspace_id", "role", "workspace__act__id")
    else:
        rows = [(m.workspace_id, m.role, _act_id(m.workspace)) for m in memberships]
    return [(ws, act) for ws, role, act in rows if BOOKINGS_VIEW in capabilities_of(role)]


def _act_id(workspace) -> int | None:
    try:  # selected with the workspace: no query
        return workspace.act.pk
    except ObjectDoesNotExist:
        return None


def _checked(access) -> list[tuple[int, int | None]]:
    from backline.artists.models import Act

    ws = access.workspace
    act = Act.objects.filter(workspace=ws).values_list("pk", flat=True).first() if ws.kind == "act" else None
    return [(ws.pk, act)]


def bookings_for(user, *, workspace_id: int | None = None, checked_access=None, memberships=None,
                 status: list[str] | None = None, start: dt.datetime | None = None, end: dt.datetime | None = None,
                 act_id: int | None = None, venue_id: int | None = None, client_id: int | None = None,
                 source: str | None = None):
    """Bookings the person sees: their buyer workspaces' own, and their acts' from the hold on (or from the
    start, for the inquiries the act sent).
    With ``checked_access`` (a ``WorkspaceAccess`` already holding ``bookings.view``), just that workspace's;
    with ``memberships`` (as ``visible_workspaces`` takes them), no query before the bookings'."""
    check_query(start=start, end=end)
    pairs = _checked(checked_access) if checked_access is not None else visible_workspaces(user, memberships=memberships)
    if workspace_id is not None:
        pairs = [p for p in pairs if p[0] == workspace_id]
    # The booking's own columns, so the workspace and act indexes serve together (a condition on the
    # joined act's workspace inside the OR makes PostgreSQL read every booking; see docs/benchmarks.md).
    scope = Q(workspace_id__in=[w for w, _ in pairs])
    act_ids = [a for _, a in pairs if a]
    if act_ids:
        scope |= Q(act_id__in=act_ids) & act_sees_q()
    qs = Booking.objects.filter(scope).select_related("workspace", "act__workspace", "venue", "client")
    if status:
        qs = qs.filter(status__in=status)
    if start is not None:
        qs = qs.filter(Q(ends_at__gt=start) | Q(ends_at__isnull=True, date_to__gte=start.date()))
    if end is not None:
        # An undated inquiry's days overlap [start, end) when its first day is on or before end's last instant.
        last_day = (end - dt.timedelta(microseconds=1)).date()
        qs = qs.filter(Q(starts_at__lt=end) | Q(starts_at__isnull=True, date_from__lte=last_day))
    for field, value in (("act_id", act_id), ("venue_id", venue_id), ("client_id", client_id), ("source", source)):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs.order_by("starts_at", "date_from", "id")


def booking_detail(booking: Booking) -> Booking:
    """The booking (as loaded by the access check) with its offers, assignments and performers: two queries."""
    prefetch_related_objects([booking], "offers", "assignments__performer")
    return booking


def timeline(booking: Booking):
    """Every change to the booking, oldest first, once (the act's copy of an entry is not repeated)."""
    seen, out = set(), []
    for entry in reversed(list(history_for(booking))):
        key = (entry.action, entry.at.replace(microsecond=0), str(entry.after))
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def assignments_for_performer_user(user):
    """The person's own gigs as an agency performer, as rows for ``MyGigOut`` (one query)."""
    from .models import Assignment

    rows = (Assignment.objects.filter(performer__user=user, booking__status__in=(Status.OFFER, Status.CONFIRMED,
                                                                                  Status.COMPLETED, Status.CANCELLED))
            .select_related("booking__workspace", "booking__venue").order_by("booking__starts_at"))
    return [{"booking_id": a.booking_id, "reference": a.booking.reference, "title": a.booking.title,
             "status": a.booking.status, "starts_at": a.booking.starts_at, "ends_at": a.booking.ends_at,
             "time_zone": a.booking.time_zone, "location": a.booking.venue.name if a.booking.venue_id else a.booking.location,
             "agency": a.booking.workspace.name, "role": a.role, "payout": a.payout, "currency": a.currency} for a in rows]


ASK_CHOICES_LIMIT = 1000


def askable(*, only_workspace_ids=None) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Whom an act may ask for a date: venues run by venue or promoter workspaces ("Name, City"), and
    promoters ("Name, City"), by name; ``only_workspace_ids`` narrows both to those workspaces (the
    other side of a conversation). Two queries."""
    from backline.accounts.models import Workspace, WorkspaceKind
    from backline.venues.models import Venue

    kinds = (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER)
    venues = Venue.objects.filter(workspace__kind__in=kinds)
    promoters = Workspace.objects.filter(kind=WorkspaceKind.PROMOTER)
    if only_workspace_ids is not None:
        venues = venues.filter(workspace_id__in=only_workspace_ids)
        promoters = promoters.filter(pk__in=only_workspace_ids)
    label = lambda name, city: f"{name}, {city}" if city else name  # noqa: E731
    return ([(pk, label(name, city)) for pk, name, city in
             venues.order_by("name", "pk").values_list("pk", "name", "city_name")[:ASK_CHOICES_LIMIT]],
            [(pk, label(name, city)) for pk, name, city in
             promoters.order_by("name", "pk").values_list("pk", "name", "city_name")[:ASK_CHOICES_LIMIT]])


def time_zone_of(*, venue_id: int | None = None, buyer_workspace_id: int | None = None) -> str | None:
    """The time zone a show at that venue (or with that buyer) is planned in; None for an unknown one."""
    from backline.accounts.models import Workspace
    from backline.venues.models import Venue

    if venue_id is not None:
        return Venue.objects.filter(pk=venue_id).values_list("time_zone", flat=True).first()
    if buyer_workspace_id is not None:
        return Workspace.objects.filter(pk=buyer_workspace_id).values_list("time_zone", flat=True).first()
    return None
