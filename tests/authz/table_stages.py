"""Authorisation table entries for stage tech specs and the public venue page (merged into table.WEB
and table.API)."""

from __future__ import annotations

from .table import *  # noqa: F403  (the rule types, kinds and helpers)

WEB: dict = {
    "stage_detail": Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),  # noqa: F405
    # an empty form answers the page with its errors (the name and capacity are required)
    "stage_edit": Member(ROSTER_MANAGE, GET_POST, kinds=VENUE_KEEPERS, body={}),  # noqa: F405
    "profiles:venue": PublicPage("venue"),  # noqa: F405
}
API: dict = {
    ("GET", "/api/v1/venues/{venue_id}/stages"): Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),  # noqa: F405
    ("GET", "/api/v1/venues/{venue_id}/stages/{stage_id}"): Member(WORKSPACE_VIEW, kinds=VENUE_KEEPERS),  # noqa: F405
    ("PATCH", "/api/v1/venues/{venue_id}/stages/{stage_id}"):
        Member(ROSTER_MANAGE, kinds=VENUE_KEEPERS, body={"monitor_mixes": 4}),  # noqa: F405
    ("GET", "/api/v1/public/venues/{slug}"): PublicPage("venue"),  # noqa: F405
}
