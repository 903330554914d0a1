"""Vouching after a show, through the API: the act for the venue it played, the buyer for the act."""

from __future__ import annotations

from ninja import Router, Schema

from backline.core.api import ERROR_RESPONSES

from . import vouches

router = Router(tags=["bookings"])


class VouchOut(Schema):
    for_name: str  # the venue (the act's side) or the act (the buyer's side)
    vouched: bool
    show_played: bool
    meaning: str


def _out(state) -> dict:
    return {"for_name": state.target, "vouched": state.vouched, "show_played": state.played, "meaning": state.meaning}


@router.post("/bookings/{booking_id}/vouch", response={201: VouchOut, **ERROR_RESPONSES})
def booking_vouch(request, booking_id: int):
    """Vouch for the venue (the act's side) or the act (the buyer's side) of a confirmed show that has
    happened. 409 before the show, for a show that was not confirmed, or a second time."""
    return 201, _out(vouches.booking_vouch(actor=request.auth, booking_id=booking_id))


@router.delete("/bookings/{booking_id}/vouch", response={204: None, **ERROR_RESPONSES})
def booking_vouch_withdraw(request, booking_id: int):
    """Withdraw your workspace's vouch (recorded in the history)."""
    vouches.booking_vouch_withdraw(actor=request.auth, booking_id=booking_id)
    return 204, None
