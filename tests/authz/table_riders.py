"""Authorisation table entries for an act's riders and the riders on a booking (merged into table.WEB and
table.API). Everyone in the act reads its riders; coordinators and up write them; both sides of a
booking read the act's riders in force on it."""

from __future__ import annotations

from .table import *  # noqa: F403  (the rule types, kinds and helpers)

RIDERS = "/api/v1/acts/{workspace_id}/riders"

WEB: dict = {
    "rider_list": Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    "rider_new": Member(ROSTER_MANAGE, POST, kinds=ACTS, body={"kind": "technical"}),  # noqa: F405
    "rider_detail": Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    # a POST without the input rows answers the editor with its errors
    "rider_edit": Member(ROSTER_MANAGE, GET_POST, kinds=ACTS, body={}),  # noqa: F405
    "rider_publish": Member(ROSTER_MANAGE, POST, kinds=ACTS, fresh=("rider_id",)),  # noqa: F405
    "rider_discard": Member(ROSTER_MANAGE, POST, kinds=ACTS, fresh=("rider_id",)),  # noqa: F405
    "rider_pdf": Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    "booking_rider_pdf": Member(BOOKINGS_VIEW),  # noqa: F405
}
API: dict = {
    ("GET", RIDERS): Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    ("POST", RIDERS): Member(ROSTER_MANAGE, kinds=ACTS, body={"kind": "hospitality"}),  # noqa: F405
    ("GET", RIDERS + "/{rider_id}"): Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    ("PATCH", RIDERS + "/{rider_id}"): Member(ROSTER_MANAGE, kinds=ACTS, body={"notes": "Two vocal mics"}),  # noqa: F405
    ("POST", RIDERS + "/{rider_id}/publish"): Member(ROSTER_MANAGE, kinds=ACTS, fresh=("rider_id",), body={}),  # noqa: F405
    ("GET", RIDERS + "/{rider_id}/pdf"): Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    ("DELETE", RIDERS + "/{rider_id}"): Member(ROSTER_MANAGE, kinds=ACTS, fresh=("rider_id",)),  # noqa: F405
}
