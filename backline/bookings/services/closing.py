"""Ending a booking: cancelling, declining, releasing, losing, expiring, and marking a show played."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.core.errors import Forbidden, Invalid
from backline.core.events import emit

from .. import events
from ..models import Booking, OfferStatus, Side, Status
from ..permissions import access_booking
from ..workflow import move, move_offer
from .commitments import sync_commitments
from .common import _record
from .ranks import _actor_pk, _lock_venues, _renumber


def booking_cancel(*, actor, booking_id: int, reason: str) -> Booking:
    """Cancel the show, or withdraw the inquiry: an agency that asked on the act's behalf may withdraw
    what it sent while it is an inquiry, as the act may; after that the act and the buyer answer."""
    return _close(actor, booking_id, Status.CANCELLED, reason, "booking.cancelled", asker_may=True,
                  check=_asker_withdraws_only)


def _asker_withdraws_only(ba) -> None:
    if ba.on_behalf and ba.booking.status != Status.INQUIRY:
        raise Forbidden(f"{ba.booking.act.workspace.name} answers this booking now; you asked on their behalf.")


def booking_complete(*, actor, booking_id: int) -> Booking:
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if booking.ends_at and booking.ends_at > timezone.now():
            raise Invalid("The show has not happened yet.", errors={"ends_at": ["Mark it played after the show."]})
        move(booking, Status.COMPLETED)
        booking.save()
        _record(actor, "booking.completed", booking, before={"status": Status.CONFIRMED}, after={"status": booking.status})
    return booking


def _close(actor, booking_id: int, to: str, reason: str, action: str, *, buyer_only: bool = False,
           system: bool = False, check=None, asker_may: bool = False) -> Booking:
    """End a booking early with a reason: commitments are released, the holds behind move up, and the
    other side is told. ``check(access)`` refuses what this ending does not allow, before anything changes."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why.", errors={"reason": ["Give a reason."]})
    with transaction.atomic():
        _lock_venues(booking_id=booking_id)  # the holds behind it move up
        if system:
            booking = Booking.objects.select_for_update(of=("self",)).select_related("act__workspace").get(pk=booking_id)
        else:
            ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True,
                                asker_may=asker_may)
            booking = ba.booking
            if buyer_only and ba.side != Side.BUYER:
                raise Forbidden("Only the buyer's side can do this.")
            if check is not None:
                check(ba)
        before = {"status": booking.status}
        was_confirmed = booking.status == Status.CONFIRMED
        move(booking, to)
        for offer in booking.offers.select_for_update().filter(status=OfferStatus.PROPOSED):
            move_offer(offer, OfferStatus.EXPIRED if to == Status.EXPIRED else OfferStatus.DECLINED)
            offer.save(update_fields=["status", "updated_at"])
        booking.close_reason = reason[:300]
        rank = booking.hold_rank
        booking.hold_rank = None
        booking.save()
        if was_confirmed:
            sync_commitments(booking, actor=actor)
        if rank and booking.venue_id:
            _renumber(booking.venue_id, booking.starts_at, booking.time_zone, actor=actor)
        _record(actor, action, booking, before=before, after={"status": booking.status, "reason": booking.close_reason})
        emit(events.booking_closed, booking_id=booking.pk, status=to, reason=booking.close_reason,
             workspace_id=booking.workspace_id, act_workspace_id=booking.act.workspace_id if booking.act_id else None,
             actor_id=_actor_pk(actor))
    return booking
