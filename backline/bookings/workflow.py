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


def _next_words(labels: list[str]) -> str:
    """"From here it can become confirmed or cancelled." in the words the pages use for each stage."""
    if not labels:
        return "Nothing can change its stage any more."
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return f"From here it can become {listed}."


def move(booking: Booking, to: str) -> None:
    """Move ``booking`` to ``to`` (the caller saves), or 409 naming the stages allowed next."""
    if to not in TRANSITIONS[booking.status]:
        nxt = allowed_next(booking.status)
        raise InvalidTransition(
            f"This booking is {booking.get_status_display().lower()}; it cannot become {Status(to).label.lower()}."
            f" {_next_words([Status(n).label.lower() for n in nxt])}",
            code=f"booking_{booking.status}", allowed=nxt)
    booking.status = to


def move_offer(offer: Offer, to: str) -> None:
    if to not in OFFER_TRANSITIONS[offer.status]:
        raise InvalidTransition(f"Version {offer.version} of the offer is {OS(offer.status).label.lower()}; "
                                f"it cannot become {OS(to).label.lower()}.", code=f"offer_{offer.status}")
    offer.status = to


# --- what may change at each stage (``services.booking_update``) -----------------------------------
# The buyer's side keeps the booking's details; the act answers offers. Before a hold everything may
# change, a date range included. A hold or an offer may move to another date or time (re-ranked at the
# venue when the local day changes; an agency's quote without times yet, to another date), a hold to
# another venue; its act stays (release it and hold the other act). A confirmed show may move in time
# (the act, its performers and its people are checked again for double bookings) and change its stage,
# never its act or venue (cancel and book again).
# A show played and every booking that ended early are read-only.
DETAILS = frozenset({"title", "notes", "source", "contact_name", "contact_email", "contact_phone", "location", "budget"})
EDITABLE: dict[str, frozenset[str]] = {
    S.INQUIRY: DETAILS | {"currency", "date_from", "date_to", "starts_at", "ends_at", "act_id", "venue_id", "stage_id",
                          "client_id", "package_id"},
    S.HOLD: DETAILS | {"starts_at", "ends_at", "venue_id", "stage_id", "client_id", "package_id"},
    S.OFFER: DETAILS | {"date_from", "date_to", "starts_at", "ends_at", "stage_id", "client_id", "package_id"},
    S.CONFIRMED: DETAILS | {"starts_at", "ends_at", "stage_id"},
}
FIELD_WORDS = {"act_id": "act", "venue_id": "venue", "stage_id": "stage", "client_id": "client", "package_id": "package",
               "date_from": "date", "date_to": "last date", "starts_at": "start", "ends_at": "end",
               "contact_name": "contact name", "contact_email": "contact email", "contact_phone": "contact phone"}


def editable(status: str) -> frozenset[str]:
    """The fields of a booking at ``status`` that may change; nothing once it has ended."""
    return EDITABLE.get(status, frozenset())


def check_editable(booking: Booking, fields) -> None:
    """409 naming each of ``fields`` (the ones that would really change) that this stage keeps as it is."""
    allowed = editable(booking.status)
    refused = sorted(set(fields) - allowed)
    if not refused:
        return
    stage = booking.get_status_display().lower()
    if not allowed:
        detail = f"This booking is {stage}; it can no longer change."
    else:
        words = ", ".join(FIELD_WORDS.get(f, f) for f in refused)
        detail = f"This booking is {stage}: its {words} can no longer change."
        if {"act_id", "venue_id"} & set(refused) and booking.status == S.CONFIRMED:
            detail += " Cancel it and book again to change the act or venue."
        elif "act_id" in refused:
            detail += " Release it and hold the other act instead."
    exc = InvalidTransition(detail, code="booking_field_locked")
    exc.errors = {f: [f"The {FIELD_WORDS.get(f, f)} of a booking that is {stage} can't change."] for f in refused}
    raise exc
