"""Holds: placing the next-ranked hold, releasing it, challenging the first hold."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.core import audit
from backline.core.errors import Conflict, Forbidden, Invalid
from backline.core.events import emit
from backline.core.timeutil import check_planned, check_span

from .. import events, indexing
from ..models import Booking, OfferStatus, Side, Status
from ..permissions import access_booking
from ..workflow import move
from .closing import _close
from .common import SHOW_FIELDS, _act, _record, _venue_of
from .ranks import _holds_on, _lock_venues, _rank


def hold_place(*, actor, booking_id: int, starts_at: dt.datetime, ends_at: dt.datetime, venue_id: int | None = None,
               act_id: int | None = None, expires_at: dt.datetime | None = None) -> Booking:
    """Put the act on a date at a venue as the next-ranked hold (1st, 2nd, 3rd…). A booking with an open
    offer is refused (409 ``offer_open``): the offer is withdrawn or answered first, never left proposed
    under a hold."""
    check_span(starts_at, ends_at, max_days=2)
    check_planned(expires_at=expires_at)
    now = timezone.now()
    if starts_at <= now:
        raise Invalid("That date has passed.", errors={"starts_at": ["Hold a date in the future."]})
    expires_at = expires_at or min(starts_at, now + dt.timedelta(days=settings.HOLD_DAYS))
    if expires_at <= now or expires_at > starts_at:
        raise Invalid("Invalid expiry.", errors={"expires_at": ["A hold expires in the future, before the show."]})
    with transaction.atomic():
        _lock_venues(booking_id=booking_id, also=venue_id)
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if ba.side != Side.BUYER:
            raise Forbidden("The buyer places holds; the act answers them.")
        open_offer = booking.offers.filter(status=OfferStatus.PROPOSED).order_by("-version").first()
        if open_offer is not None:
            raise Conflict("Withdraw or answer the open offer first: a date is held before an offer, not under one.",
                           code="offer_open", conflicting={"type": "offer", "id": open_offer.pk,
                                                           "version": open_offer.version})
        # A ranked booking held again (an offer taken back to a hold with new times): it keeps its rank on
        # the same venue and local day; moved elsewhere, it leaves a gap that the holds behind it close.
        was = (booking.venue_id, booking.starts_at, booking.time_zone, booking.hold_rank) if booking.hold_rank else None
        if act_id is not None:
            booking.act = _act(act_id)
        if venue_id is not None:
            booking.venue = _venue_of(booking.workspace, venue_id)
        errors = {}
        if booking.act_id is None and booking.workspace.kind != WorkspaceKind.AGENCY:
            errors["act_id"] = ["Choose the act to hold."]
        if booking.venue_id is None:
            errors["venue_id"] = ["Choose the venue the date is held at."]
        if errors:
            raise Invalid("A hold needs an act and a venue.", errors=errors)
        before = audit.snapshot(booking, SHOW_FIELDS)
        move(booking, Status.HOLD)
        booking.time_zone = booking.venue.time_zone
        booking.starts_at, booking.ends_at, booking.hold_expires_at = starts_at, ends_at, expires_at
        booking.hold_warned_at = None
        _rank(booking, was, actor=actor)
        if act_id is not None or venue_id is not None:  # the act's or venue's name is searched
            booking.search_text = indexing.booking_text(booking)  # written by this save: no extra query
        booking.save()
        _record(actor, "booking.hold_placed", booking, before=before, after=audit.snapshot(booking, SHOW_FIELDS))
        emit(events.hold_placed, booking_id=booking.pk, workspace_id=booking.workspace_id, rank=booking.hold_rank,
             act_workspace_id=booking.act.workspace_id if booking.act_id else None, actor_id=actor.pk)
    return booking


def hold_release(*, actor, booking_id: int, reason: str) -> Booking:
    """Give the date up; the holds behind it move up."""
    return _close(actor, booking_id, Status.RELEASED, reason, "booking.hold_released")


def hold_challenge(*, actor, booking_id: int) -> Booking:
    """A lower hold with a firm offer asks the 1st hold to confirm or release within the deadline."""
    with transaction.atomic():
        _lock_venues(booking_id=booking_id)
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        challenger = ba.booking
        if ba.side != Side.BUYER:
            raise Forbidden("The buyer who holds the date challenges.")
        firm = challenger.offers.filter(status=OfferStatus.PROPOSED, side=Side.BUYER).exists()
        if challenger.status != Status.OFFER or not firm or not challenger.hold_rank or challenger.hold_rank < 2:
            raise Invalid("Only a lower hold with a firm offer out can challenge.",
                          errors={"booking": ["Make a firm offer on this hold first."]})
        first = next((h for h in _holds_on(challenger.venue_id, challenger.starts_at, challenger.time_zone)
                      if h.hold_rank == 1), None)
        if first is None or first.pk == challenger.pk:
            raise Invalid("There is no first hold to challenge.", errors={"booking": ["This hold is first already."]})
        if first.challenge_deadline:
            raise Invalid("The first hold is challenged already.", errors={"booking": ["Wait for its answer."]})
        first.challenge_deadline = timezone.now() + dt.timedelta(hours=settings.HOLD_CHALLENGE_HOURS)
        first.challenged_by = challenger
        first.save(update_fields=["challenge_deadline", "challenged_by", "updated_at"])
        _record(actor, "booking.hold_challenged", first, after={"challenge_deadline": first.challenge_deadline,
                                                                "challenged_by": challenger.reference})
        emit(events.hold_challenged, booking_id=first.pk, challenger_id=challenger.pk, workspace_id=first.workspace_id,
             deadline=first.challenge_deadline.isoformat(), actor_id=actor.pk)
    return first
