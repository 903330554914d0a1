"""Authorisation table entries for verification (trust) of venues and acts (merged into table.WEB and
table.API). Vouching is for those who manage the workspace's bookings (owners, admins, coordinators);
the matrix's bookings are not past shows, so the allowed answer is a refusal with a reason (409, or a
message on the page), never 403/404."""

from __future__ import annotations

from .table import *  # noqa: F403  (the rule types, kinds and helpers)

WEB: dict = {
    "venue_verification_overview": Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),  # noqa: F405
    "venue_verification": Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),  # noqa: F405
    # an empty form answers the page with "Add some evidence"
    "venue_verification_request": Member(ROSTER_MANAGE, POST, kinds=VENUE_KEEPERS, body={}),  # noqa: F405
    "booking_vouch": Member(BOOKINGS_MANAGE, POST, fresh=("booking_id",)),  # noqa: F405
    "booking_vouch_withdraw": Member(BOOKINGS_MANAGE, POST, fresh=("booking_id",)),  # noqa: F405
}
API: dict = {
    ("GET", "/api/v1/venues/{venue_id}/verification"): Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),  # noqa: F405
    ("POST", "/api/v1/venues/{venue_id}/verification-requests"):
        Member(ROSTER_MANAGE, kinds=VENUE_KEEPERS, body={"website": "https://matrix.example.org"}),  # noqa: F405
    ("GET", "/api/v1/acts/{workspace_id}/verification"): Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    ("POST", "/api/v1/bookings/{booking_id}/vouch"): Member(BOOKINGS_MANAGE, fresh=("booking_id",)),  # noqa: F405
    ("DELETE", "/api/v1/bookings/{booking_id}/vouch"): Member(BOOKINGS_MANAGE, fresh=("booking_id",)),  # noqa: F405
}
