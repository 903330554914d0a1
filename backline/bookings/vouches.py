"""Vouching after a show: the act vouches for the venue it played, the buyer (venue, promoter, agency)
for the act it booked. The rule "played a confirmed show there on Backline" needs the booking, so it
lives here, in the bookings layer; the vouch itself is recorded by the venues and artists services.

Who may vouch: in the workspace that played or booked the show, those who may manage its bookings
(owners, admins, coordinators: ``BOOKINGS_MANAGE``); an agency that only asked on an act's behalf may
not. One vouch per act and venue (and per buyer and act); withdrawing it is allowed and audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW
from backline.artists.models import ActVouch
from backline.artists.verification import act_vouch_record, act_vouch_withdraw
from backline.core.errors import Conflict, Forbidden
from backline.venues.models import VenueVouch
from backline.venues.verification import venue_vouch_record, venue_vouch_withdraw

from .models import Booking, Side, Status
from .permissions import BookingAccess, access_booking
from .services.common import _record as record_on_booking

PLAYED_STATUSES = (Status.CONFIRMED, Status.COMPLETED)
MEANING = {
    Side.ACT: "A vouch tells other acts that {name} is a real venue that looks after the acts it books: "
              "you played a confirmed show there on Backline.",
    Side.BUYER: "A vouch tells venues and promoters that {name} is a real act that turns up and plays: "
                "you booked them for a show that happened.",
}


def show_played(booking: Booking, now=None) -> bool:
    """A confirmed show (or one marked played) whose time has passed."""
    end = booking.ends_at or booking.starts_at
    return booking.status in PLAYED_STATUSES and end is not None and end <= (now or timezone.now())


@dataclass(frozen=True)
class VouchState:
    side: str
    target: str  # who the vouch is for
    played: bool
    vouched: bool
    can_vouch: bool  # the viewer's role allows it

    @property
    def meaning(self) -> str:
        return MEANING[self.side].format(name=self.target)


def _target(ba: BookingAccess) -> str | None:
    booking = ba.booking
    if ba.side == Side.ACT:
        return booking.venue.name if booking.venue_id else None
    return booking.act.workspace.name if booking.act_id else None


def _vouched(ba: BookingAccess) -> bool:
    booking, ws = ba.booking, ba.access.workspace
    if ba.side == Side.ACT:
        return VenueVouch.objects.filter(venue_id=booking.venue_id, act_workspace_id=ws.pk).exists()
    return ActVouch.objects.filter(act_id=booking.act_id, workspace_id=ws.pk).exists()


def vouch_state(ba: BookingAccess) -> VouchState | None:
    """What the booking page offers the viewer: None where there is nobody to vouch for."""
    target = _target(ba)
    if target is None or ba.on_behalf:
        return None
    return VouchState(side=ba.side, target=target, played=show_played(ba.booking), vouched=_vouched(ba),
                      can_vouch=ba.can(BOOKINGS_MANAGE))


def _checked(actor, booking_id: int) -> BookingAccess:
    ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
    if ba.on_behalf:
        raise Forbidden(f"{ba.booking.act.workspace.name} vouches for the venue itself; you asked on their behalf.")
    if _target(ba) is None:
        raise Conflict("There is nobody to vouch for on this booking.", code="nobody_to_vouch_for")
    return ba


def booking_vouch(*, actor, booking_id: int) -> VouchState:
    """Vouch for the other side of a show that happened: 409 before the show, or if it was not confirmed."""
    with transaction.atomic():
        ba = _checked(actor, booking_id)
        booking = ba.booking
        if not show_played(booking):
            raise Conflict(f"You can vouch for {_target(ba)} after a confirmed show there has happened.",
                           code="show_not_played")
        if ba.side == Side.ACT:
            venue_vouch_record(actor=actor, venue_id=booking.venue_id, act_workspace_id=ba.access.workspace.pk,
                               booking_id=booking.pk, booking_reference=booking.reference)
        else:
            act_vouch_record(actor=actor, act_id=booking.act_id, workspace_id=ba.access.workspace.pk,
                             booking_id=booking.pk, booking_reference=booking.reference)
        # both sides read it on the booking's timeline
        record_on_booking(actor, "booking.vouched", booking, after={"vouched_for": _target(ba)})
        return vouch_state(ba)


def booking_vouch_withdraw(*, actor, booking_id: int) -> VouchState:
    with transaction.atomic():
        ba = _checked(actor, booking_id)
        if ba.side == Side.ACT:
            venue_vouch_withdraw(actor=actor, venue_id=ba.booking.venue_id, act_workspace_id=ba.access.workspace.pk)
        else:
            act_vouch_withdraw(actor=actor, act_id=ba.booking.act_id, workspace_id=ba.access.workspace.pk)
        record_on_booking(actor, "booking.vouch_withdrawn", ba.booking, before={"vouched_for": _target(ba)})
        return vouch_state(ba)


def booking_vouch_state(*, user, booking_id: int) -> VouchState | None:
    return vouch_state(access_booking(user=user, booking_id=booking_id, capability=BOOKINGS_VIEW))
