"""Authorisation table entries for the press kit: the act's editor and API, and its public page, PDF,
press pack and public API (merged into table.WEB and table.API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .table import *  # noqa: F403  (the rule types, kinds and helpers)


@dataclass(frozen=True)
class PublishedPage:
    """A public page of an act's press kit, by the workspace slug: public and unlisted kits answer
    anyone (``ok`` statuses); a private kit is 404 for everyone but the act's members (on the web;
    the public API is 404 for members too: ``members_see=False``)."""

    methods: tuple[str, ...] = ("GET",)
    ok: tuple[int, ...] = (200,)
    body: dict | None = None
    members_see: bool = True


def _epk_json() -> dict:
    return {"visibility": "unlisted", "short_bio": "Dream pop.", "media_links": ["https://youtu.be/dQw4w9WgXcQ"],
            "quotes": [{"quote": "Lovely", "source": "A paper"}]}


REQUEST = {"name": "Kim", "email": "kim@example.org", "date": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
           "where": "Berlin", "message": "", "website": ""}

WEB: dict = {
    "press_kit": Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    "press_kit_save": Member(WORKSPACE_EDIT, POST, kinds=ACTS, body={"visibility": "private",  # noqa: F405
                                                                     "quotes-TOTAL_FORMS": "0",
                                                                     "quotes-INITIAL_FORMS": "0"}),
    "profiles:act": PublishedPage(),
    "profiles:act_one_sheet": PublishedPage(),
    "profiles:act_press_pack": PublishedPage(),
    # a request from anyone: sent (302), a form error (422) or too many from one address (429)
    "profiles:act_request": PublishedPage(("POST",), ok=(302, 422, 429), body=REQUEST),
}
API: dict = {
    ("GET", "/api/v1/acts/{workspace_id}/epk"): Member(WORKSPACE_VIEW, kinds=ACTS),  # noqa: F405
    ("PUT", "/api/v1/acts/{workspace_id}/epk"): Member(WORKSPACE_EDIT, kinds=ACTS, body=_epk_json),  # noqa: F405
    ("GET", "/api/v1/public/acts/{slug}"): PublishedPage(members_see=False),
}
