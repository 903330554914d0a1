"""Writes for the deal pipeline: inquiries, holds, offers and counter-offers, confirmation, closing,
editing, the clock and the advance. Every one is keyword-only, runs in a transaction, locks what it
changes, moves statuses only through ``workflow`` and writes an audit entry; commitments go through
the scheduling app's one door. One module per stage; import from ``backline.bookings.services``."""

from .advance import ADVANCE_FIELDS, advance_update
from .clock import expire_due, warn_expiring_holds
from .closing import booking_cancel, booking_complete
from .commitments import commitment_title, sync_commitments
from .common import BUYER_KINDS, INQUIRY_FIELDS, SHOW_FIELDS, _currency, _money
from .editing import EDIT_FIELDS, booking_update
from .holds import hold_challenge, hold_place, hold_release
from .inquiries import ASKABLE_KINDS, ASKS_PER_DAY, MAX_ASK_DAYS, inquiry_create, inquiry_mark_lost, inquiry_request
from .offer_files import ATTACHMENTS_MAX, attachable_assets, download_name, offer_file
from .offers import OFFER_TERMS, client_name, deal_of, is_agency_quote, offer_accept, offer_decline, offer_make, offer_withdraw

__all__ = [
    "ATTACHMENTS_MAX",
    "attachable_assets",
    "download_name",
    "offer_file",
    "ADVANCE_FIELDS",
    "advance_update",
    "expire_due",
    "warn_expiring_holds",
    "booking_cancel",
    "booking_complete",
    "commitment_title",
    "sync_commitments",
    "BUYER_KINDS",
    "INQUIRY_FIELDS",
    "SHOW_FIELDS",
    "_currency",
    "_money",
    "EDIT_FIELDS",
    "booking_update",
    "hold_challenge",
    "hold_place",
    "hold_release",
    "ASKABLE_KINDS",
    "ASKS_PER_DAY",
    "MAX_ASK_DAYS",
    "inquiry_create",
    "inquiry_mark_lost",
    "inquiry_request",
    "OFFER_TERMS",
    "deal_of",
    "client_name",
    "is_agency_quote",
    "offer_accept",
    "offer_decline",
    "offer_make",
    "offer_withdraw",
]
