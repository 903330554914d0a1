"""Public venue pages for the matrix: one page per visibility, and a member of the private one's team."""

from __future__ import annotations

from tests.factories import UserFactory

from .table import berlin_id, unique


def venue_pages() -> dict:
    from backline.venues.services import venue_update, venue_workspace_create

    owner = UserFactory()
    pages = {}
    for visibility in ("public", "unlisted", "private"):
        venue = venue_workspace_create(actor=owner, name=unique(f"Matrix {visibility} hall"), capacity=300,
                                       geoname_id=berlin_id())
        pages[visibility] = venue_update(actor=owner, venue_id=venue.pk, visibility=visibility).slug
    return {**pages, "team": owner}


PAGE_MAKERS: dict = {"venue": venue_pages}
