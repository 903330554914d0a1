"""How the History page and a booking's timeline word the pipeline's audit entries (see
``backline.core.history``)."""

import re

from backline.core import history

from .models import Booking, OfferStatus, Side, Source, Status

_REFERENCE = re.compile(r"^\s*BL-[0-9A-F]{8}\b\s*(?:·\s*)?")


def without_reference(text: str) -> str:
    """"BL-2D1DAE48 The Velvet Owls: album release" → "The Velvet Owls: album release" (the reference is
    for finding a booking, not for reading about it)."""
    return _REFERENCE.sub("", text or "") or text


def _hold(rank) -> str:
    return {1: "1st hold", 2: "2nd hold", 3: "3rd hold"}.get(rank, f"{rank}th hold") if rank else ""


def register() -> None:
    history.register_actions({
        "booking.inquiry_logged": "{actor} logged the inquiry {object}",
        "booking.inquiry_sent": "{actor} asked for a date: {object}",
        "booking.hold_placed": "{actor} placed a hold: {object}",
        "booking.hold_promoted": "The hold on {object} moved up",
        "booking.hold_challenged": "{actor} challenged the hold on {object}",
        "booking.hold_released": "{actor} released the hold on {object}",
        "booking.hold_expired": "The hold on {object} ran out",
        "booking.offer_made": "{actor} sent an offer for {object}",
        "booking.counter_offer_made": "{actor} sent a counter-offer for {object}",
        "booking.offer_withdrawn": "{actor} withdrew an offer for {object}",
        "booking.offer_expired": "The offer for {object} ran out",
        "booking.confirmed": "{actor} confirmed {object}",
        "booking.declined": "{actor} declined {object}",
        "booking.cancelled": "{actor} cancelled {object}",
        "booking.lost": "{actor} marked the inquiry {object} as lost",
        "booking.completed": "{object} was played",
        "booking.advanced": "{actor} updated the advance of {object}",
        "booking.updated": "{actor} edited {object}",
        "assignment.created": "{actor} assigned a performer to {object}",
        "assignment.removed": "{actor} took a performer off {object}",
        "client.created": "{actor} added the client {object}",
        "client.updated": "{actor} edited the client {object}",
        "client.archived": "{actor} archived the client {object}",
        "package.created": "{actor} added the package {object}",
        "package.updated": "{actor} edited the package {object}",
        "booking.vouched": "{actor} vouched for the other side of {object}",
        "booking.vouch_withdrawn": "{actor} withdrew their vouch after {object}",
    }, obj=without_reference)
    history.register_variant("booking.vouched", when="vouched_for", sentence="{actor} vouched for {value} after {object}")
    # An agency's quote goes to its client (not on Backline), and the client's yes is recorded by the agency.
    history.register_variant("booking.offer_made", when="quoted_to", sentence="{actor} sent a quote to {value} for {object}")
    history.register_variant("booking.counter_offer_made", when="quoted_to",
                             sentence="{actor} sent a revised quote to {value} for {object}")
    history.register_variant("booking.confirmed", when="quoted_to",
                             sentence="{actor} confirmed {object}: {value} accepted the quote")
    history.hide_fields("quoted_to")  # said in the sentence
    history.register_fields({
        "hold_rank": "Hold", "hold_expires_at": "Hold runs out", "challenge_deadline": "Answer the challenge by",
        "date_from": "Earliest date", "date_to": "Latest date", "budget": "Budget", "currency": "Currency",
        "contact_name": "Contact", "contact_email": "Contact email", "contact_phone": "Contact phone",
        "source": "Came in by", "version": "Offer version", "side": "From", "deal": "Deal", "reason": "Reason",
        "offer": "Accepted offer version", "payout": "Payout", "override_reason": "Booked anyway because",
        "conflicting": "Clashes with", "duration_minutes": "Length (minutes)", "performer_count": "Performers",
        "price": "Price", "company": "Company", "booking": "Booking", "stage_id": "Stage or room",
        "quoted_by": "From", "quote_version": "Quote version", "accepted_quote": "Accepted quote version",
        "vouched_for": "Vouched for",
    })
    history.register_values("status", dict(Status.choices))
    history.register_values("status", {k: v for k, v in OfferStatus.choices if k not in dict(Status.choices)})
    history.register_values("side", {Side.BUYER: "The buyer", Side.ACT: "The act"})
    history.register_values("source", dict(Source.choices))
    history.register_formatter("hold_rank", _hold)
    history.register_reference("booking", Booking, fields=("booking",), name="title")
