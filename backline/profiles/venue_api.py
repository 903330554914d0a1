"""The public venue page as JSON: GET /api/v1/public/venues/{slug}, anonymous, with the page's rules
(private: 404 except for the venue's own team, by browser session; unlisted: by address)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema

from backline.accounts.auth import BearerAuth
from backline.core.api import ERROR_RESPONSES
from backline.core.errors import Unauthenticated

from . import venue_views

router = Router(tags=["public pages"])


class SpecLineOut(Schema):
    topic: str
    words: str


class PublicStageOut(Schema):
    name: str
    capacity: int
    summary: str
    spec: list[SpecLineOut] = Field(description="The stated parts of the spec in words, in reading order")
    width_m: Decimal | None
    depth_m: Decimal | None
    inputs: int | None
    monitor_mixes: int | None
    backline_available: list[str]


class PublicVenuePhotoOut(Schema):
    url: str
    title: str
    credit: str


class PublicVenueShowOut(Schema):
    act: str
    starts_at: dt.datetime


class PublicVenueOut(Schema):
    name: str
    slug: str
    visibility: str
    description: str
    address: str
    postal_code: str
    city_name: str
    country_code: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    capacity: int
    website: str
    genres: list[str]
    stages: list[PublicStageOut]
    photos: list[PublicVenuePhotoOut]
    upcoming_shows: list[PublicVenueShowOut]


def _caller(request):
    """The browser session's user or a bearer token's (so a team previews its private page); a bad token
    is read as an anonymous visit, since the page needs none."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        try:
            return BearerAuth()(request)
        except Unauthenticated:
            return None
    return request.user


@router.get("/public/venues/{slug}", auth=None, response={200: PublicVenueOut, 404: ERROR_RESPONSES[404]})
def public_venue(request, slug: str):
    """A venue's public page: its stages and specs, photos, genres and confirmed upcoming shows."""
    venue = venue_views.public_venue(slug[:80], _caller(request))
    stages = [{"name": s.name, "capacity": s.capacity, "summary": venue_views.stage_headline(s),
               "spec": [{"topic": t, "words": w} for t, w in venue_views.stage_words(s)],
               "width_m": s.width_m, "depth_m": s.depth_m, "inputs": s.inputs, "monitor_mixes": s.monitor_mixes,
               "backline_available": list(s.backline_available or [])} for s in venue.stages.all()]
    photos = [{"url": request.build_absolute_uri((p.web or p.thumb).url), "title": p.title, "credit": p.credit}
              for p in venue_views.venue_photos(venue)]
    shows = [{"act": b.act.workspace.name, "starts_at": b.starts_at} for b in venue_views.upcoming_public_shows(venue)]
    return {**{f: getattr(venue, f) for f in ("name", "slug", "visibility", "description", "address", "postal_code",
                                              "city_name", "country_code", "latitude", "longitude", "time_zone",
                                              "capacity", "website", "genres")},
            "stages": stages, "photos": photos, "upcoming_shows": shows}
