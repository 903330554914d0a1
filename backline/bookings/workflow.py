"""A booking's stages: the whole transition graph in one table (the shared domain glossary,
``shared/DOMAIN.md`` beside the repository: "The life of a show")."""

from __future__ import annotations

from backline.core.errors import InvalidTransition

from .models import Booking, Offer, OfferStatus, Status

S = Status
TRANSITIONS: dict[str, set[str]] = {
    S.INQUIRY: {S.HOLD, S.OFFER, S.LOST, S.CANCELLED},
    S.HOLD: {S.OFFER, S.RELEASED, S.EXPIRED, S.CANCELLED},
    S.OFFER: {S.HOLD, S.CONFIRMED, S.DECLINED, S.EXPIRED, S.CANCELLED},
    S.CONFIRMED: {S.COMPLETED, S.CANCELLED},
    S.COMPLETED: set(),
    S.LOST: set(),
    S.RELEASED: set(),
    S.DECLINED: set(),
    S.EXPIRED: set(),
    S.CANCELLED: set(),
}

OS = OfferStatus
OFFER_TRANSITIONS: dict[str, set[str]] = {
    OS.PROPOSED: {OS.ACCEPTED, OS.SUPERSEDED, OS.DECLINED, OS.WITHDRAWN, OS.EXPIRED},
    OS.ACCEPTED: set(),
    OS.SUPERSEDED: set(),
    OS.DECLINED: set(),
    OS.WITHDRAWN: set(),
    OS.EXPIRED: set(),
}


def allowed_next(status: str) -> list[str]:
    return sorted(TRANSITIONS[status])


def move(booking: Booking, to: str) -> None:
    """Move ``booking`` to ``to`` (the caller saves), or 409 naming the stages allowed next."""
    if to not in TRANSITIONS[booking.status]:
        nxt = allowed_next(booking.status)
        raise InvalidTransition(
            f"This booking is {booking.get_status_display().lower()}; it cannot become {Status(to).label.lower()}"
            f" (allowed next: {', '.join(nxt) or 'none'}).",
            code=f"booking_{booking.status}", allowed=nxt)
    booking.status = to


def move_offer(offer: Offer, to: str) -> None:
    if to not in OFFER_TRANSITIONS[offer.status]:
        raise InvalidTransition(f"Offer version {offer.version} is {offer.status}; it cannot become {to}.",
                                code=f"offer_{offer.status}")
    offer.status = to
