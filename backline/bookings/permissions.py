"""Who sees and changes a booking. The buyer's workspace (venue, promoter or agency) sees its own
bookings from the first inquiry on; the act's workspace sees them from the hold on (an inquiry is
the buyer's own business), or from the start when the act itself asked for the date (``act_asked``) or
the buyer asked the act through its press kit (``Source.PRESS_KIT``: the request is addressed to the act).
An agency that asked for the date on the act's behalf (``asked_by_workspace``) sees the booking while it
represents the act (``agency_sees``), read-only: the act answers holds and offers. Anyone else gets
404, exactly as for a missing booking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from backline.accounts.models import Membership
from backline.accounts.permissions import BOOKINGS_VIEW, WorkspaceAccess, access_workspace
from backline.artists.models import Representation, RepresentationStatus
from backline.core.errors import Forbidden, NotFound

from .models import Booking, Side, Source, Status

ACT_HIDDEN = (Status.INQUIRY, Status.LOST)


def act_sees(booking: Booking) -> bool:
    """The booking's act sees it: from the hold on, or from the start when the act asked for the date or
    was asked through its press kit."""
    return bool(booking.act_id) and (booking.status not in ACT_HIDDEN or booking.act_asked
                                     or booking.source == Source.PRESS_KIT)


def act_sees_q(prefix: str = "") -> Q:
    """``act_sees`` as a query condition on a booking reached through ``prefix`` ("" or "booking__");
    the caller adds which act."""
    return (~Q(**{f"{prefix}status__in": ACT_HIDDEN}) | Q(**{f"{prefix}act_asked": True})
            | Q(**{f"{prefix}source": Source.PRESS_KIT}))


def agency_sees(booking: Booking, workspace_id: int) -> bool:
    """The agency ``workspace_id`` asked for this date for the act and represents the act now."""
    return (bool(booking.act_id) and booking.asked_by_workspace_id == workspace_id
            and Representation.objects.filter(agency_id=workspace_id, act_id=booking.act_id,
                                              status=RepresentationStatus.ACTIVE).exists())


def agency_sees_q(workspace_ids, prefix: str = "") -> Q:
    """``agency_sees`` as a query condition for the agencies ``workspace_ids`` on a booking reached
    through ``prefix`` ("" or "booking__")."""
    live = Representation.objects.filter(agency_id=OuterRef(f"{prefix}asked_by_workspace_id"),
                                         act_id=OuterRef(f"{prefix}act_id"), status=RepresentationStatus.ACTIVE)
    return Q(**{f"{prefix}asked_by_workspace_id__in": list(workspace_ids)}) & Q(Exists(live))


def representative(booking: Booking, workspace_id: int) -> bool:
    """``workspace_id`` sees the booking only as the agency that asked for the act (neither buyer nor act):
    it reads, the act answers."""
    return (booking.asked_by_workspace_id == workspace_id and booking.workspace_id != workspace_id
            and not (booking.act_id and booking.act.workspace_id == workspace_id))


@dataclass(frozen=True)
class BookingAccess:
    booking: Booking
    access: WorkspaceAccess
    side: str  # Side.BUYER or Side.ACT
    on_behalf: bool = False  # the agency that asked for the act (``representative``), not the act itself

    def can(self, capability: str) -> bool:
        return self.access.can(capability)


def access_booking(*, user, booking_id: int, capability: str = BOOKINGS_VIEW, lock: bool = False,
                   asker_may: bool = False) -> BookingAccess:
    """``asker_may``: the agency that asked on the act's behalf may do this too (withdrawing what it sent,
    as the act may); the caller checks the stage (``BookingAccess.on_behalf``)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such booking.")
    qs = Booking.objects.select_for_update(of=("self",)) if lock else Booking.objects
    booking = qs.select_related("act__workspace", "venue", "workspace", "client", "room", "package").filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("No such booking.")
    workspace_ids = {booking.workspace_id: Side.BUYER}
    if act_sees(booking):
        workspace_ids.setdefault(booking.act.workspace_id, Side.ACT)
    if booking.asked_by_workspace_id and agency_sees(booking, booking.asked_by_workspace_id):
        workspace_ids.setdefault(booking.asked_by_workspace_id, Side.ACT)  # on the act's side, reading
    memberships = list(Membership.objects.select_related("workspace").filter(user=user, workspace_id__in=workspace_ids))
    if not memberships:
        raise NotFound("No such booking.")
    # A person in both workspaces acts for the buyer (who owns the record).
    membership = sorted(memberships, key=lambda m: workspace_ids[m.workspace_id] != Side.BUYER)[0]
    access = access_workspace(user=user, workspace_id=membership.workspace_id, capability=BOOKINGS_VIEW,
                              memberships=[membership])
    on_behalf = representative(booking, membership.workspace_id)
    if capability != BOOKINGS_VIEW and on_behalf and not asker_may:
        raise Forbidden(f"{booking.act.workspace.name} answers this booking; you asked on their behalf.")
    if not access.can(capability):
        raise Forbidden(f"Your role ({membership.get_role_display()}) does not allow this.")
    return BookingAccess(booking=booking, access=access, side=workspace_ids[membership.workspace_id], on_behalf=on_behalf)
