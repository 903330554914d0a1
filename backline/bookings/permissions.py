"""Who sees and changes a booking. The buyer's workspace (venue, promoter or agency) sees its own
bookings from the first inquiry on; the act's workspace sees them from the hold on (an inquiry is
the buyer's own business), or from the start when the act itself asked for the date (``act_asked``).
Anyone else gets 404, exactly as for a missing booking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from backline.accounts.models import Membership
from backline.accounts.permissions import BOOKINGS_VIEW, WorkspaceAccess, access_workspace
from backline.core.errors import Forbidden, NotFound

from .models import Booking, Side, Status

ACT_HIDDEN = (Status.INQUIRY, Status.LOST)


def act_sees(booking: Booking) -> bool:
    """The booking's act sees it: from the hold on, or from the start when the act asked for the date."""
    return bool(booking.act_id) and (booking.status not in ACT_HIDDEN or booking.act_asked)


def act_sees_q(prefix: str = "") -> Q:
    """``act_sees`` as a query condition on a booking reached through ``prefix`` ("" or "booking__");
    the caller adds which act."""
    return ~Q(**{f"{prefix}status__in": ACT_HIDDEN}) | Q(**{f"{prefix}act_asked": True})


@dataclass(frozen=True)
class BookingAccess:
    booking: Booking
    access: WorkspaceAccess
    side: str  # Side.BUYER or Side.ACT

    def can(self, capability: str) -> bool:
        return self.access.can(capability)


def access_booking(*, user, booking_id: int, capability: str = BOOKINGS_VIEW, lock: bool = False) -> BookingAccess:
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such booking.")
    qs = Booking.objects.select_for_update(of=("self",)) if lock else Booking.objects
    booking = qs.select_related("act__workspace", "venue", "workspace", "client", "room", "package").filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("No such booking.")
    workspace_ids = {booking.workspace_id: Side.BUYER}
    if act_sees(booking):
        workspace_ids.setdefault(booking.act.workspace_id, Side.ACT)
    memberships = list(Membership.objects.select_related("workspace").filter(user=user, workspace_id__in=workspace_ids))
    if not memberships:
        raise NotFound("No such booking.")
    # A person in both workspaces acts for the buyer (who owns the record).
    membership = sorted(memberships, key=lambda m: workspace_ids[m.workspace_id] != Side.BUYER)[0]
    access = access_workspace(user=user, workspace_id=membership.workspace_id, capability=BOOKINGS_VIEW,
                              memberships=[membership])
    if not access.can(capability):
        raise Forbidden(f"Your role ({membership.get_role_display()}) does not allow this.")
    return BookingAccess(booking=booking, access=access, side=workspace_ids[membership.workspace_id])
