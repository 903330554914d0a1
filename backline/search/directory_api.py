"""The directory over the API: the same filters and the same selectors as the pages. For logged-in
callers only; "free on a day" answers only whether an act matches, never when or why."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema

from backline.core.api import ERROR_RESPONSES
from backline.core.errors import Invalid
from backline.core.places import resolve_city

from . import directory
from .links import public_page_url

router = Router(tags=["directory"])

GenreSlug = Annotated[str, Field(min_length=1, max_length=40)]
CityRef = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[-a-z0-9]+$",
                               description='A city by its gazetteer id ("2950159", GET /places/cities) or its '
                                           'readable key ("berlin-de", as the directory pages show it)')]
Radius = Annotated[int, Field(ge=1, le=directory.MAX_RADIUS_KM, description="Distance from the city in km")]
Page = Annotated[int, Field(ge=1, le=2_147_483_647, description="1-based page number (24 results a page)")]


class ActDirectoryIn(Schema):
    genres: list[GenreSlug] = Field([], max_length=directory.MAX_GENRES, description="Genre slugs; any of them")
    city: CityRef | None = None
    radius_km: Radius = directory.DEFAULT_RADIUS_KM
    members_min: Annotated[int, Field(ge=0, le=directory.MAX_MEMBERS)] | None = None
    members_max: Annotated[int, Field(ge=0, le=directory.MAX_MEMBERS)] | None = None
    press_kit: bool | None = Field(None, description="Only acts with (true) or without (false) a press kit")
    verified: bool = False
    fee_band: str = Field("", max_length=40)
    free_on: dt.date | None = Field(None, description="Only acts whose whole line-up is free that day")
    page: Page = 1


class VenueDirectoryIn(Schema):
    kind: Literal["", "venue", "promoter"] = ""
    city: CityRef | None = None
    radius_km: Radius = directory.DEFAULT_RADIUS_KM
    capacity_min: Annotated[int, Field(ge=0, le=directory.MAX_CAPACITY)] | None = None
    capacity_max: Annotated[int, Field(ge=0, le=directory.MAX_CAPACITY)] | None = None
    genres: list[GenreSlug] = Field([], max_length=directory.MAX_GENRES)
    verified: bool = False
    has_backline: bool = False
    page: Page = 1


class DirectoryCardOut(Schema):
    id: int
    kind: str  # act | venue | promoter
    name: str
    city: str
    lat: float | None
    lng: float | None
    genres: list[str]
    line_up_size: int | None = None
    capacity: int | None = None
    distance_km: float | None
    badges: list[str]
    page_url: str | None  # the public page, where there is one


class DirectoryPageOut(Schema):
    count: int = Field(description="How many match; with `at_least`, how many were found before the search stopped")
    at_least: bool = Field(False, description="`free_on` checks only the first 72 matches in order: more may match")
    page: int
    pages: int
    page_size: int
    results: list[DirectoryCardOut]


def _filters(filters) -> tuple[dict, int]:
    data = filters.dict()
    if data["city"] is not None:
        city = resolve_city(data["city"])
        if city is None:
            raise Invalid("Check the filters.", errors={"city": ["Choose a city from the list."]})
        data["city"] = city.geoname_id
    return data, data.pop("page")


def _out(result: directory.DirectoryPage) -> dict:
    return {"count": result.count, "at_least": result.at_least, "page": result.page, "pages": result.pages,
            "page_size": result.page_size,
            "results": [{"id": c.id, "kind": c.kind, "name": c.name, "city": c.city, "lat": c.latitude,
                         "lng": c.longitude, "genres": list(c.genres),
                         "line_up_size": c.size if c.kind == "act" else None,
                         "capacity": c.size if c.kind != "act" else None,
                         "distance_km": round(c.distance_km, 1) if c.distance_km is not None else None,
                         "badges": list(c.badges), "page_url": public_page_url(c.kind, c.slug)}
                        for c in result.cards]}


@router.get("/directory/acts", response={200: DirectoryPageOut, **ERROR_RESPONSES})
def directory_acts(request, filters: Query[ActDirectoryIn]):
    """Acts listed in the directory, nearest first when a city is given. `free_on` keeps the acts whose
    whole line-up is free for an evening that day; nothing else about their availability is shown.
    A radius over 1,000 km, an unknown city or genre list too long is 422."""
    data, page = _filters(filters)
    return _out(directory.directory_acts(directory.ActFilters(**data), page))


@router.get("/directory/venues", response={200: DirectoryPageOut, **ERROR_RESPONSES})
def directory_venues(request, filters: Query[VenueDirectoryIn]):
    """Venues and promoters' venues, nearest first when a city is given, by capacity and kind."""
    data, page = _filters(filters)
    return _out(directory.directory_venues(directory.VenueFilters(**data), page))
