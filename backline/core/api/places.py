"""The places API: search the offline city gazetteer (``core.places``); every city field of the web forms
(``core.forms.CityField``) completes through it."""

from typing import Annotated

from ninja import Router, Schema
from pydantic import Field

from backline.core.openapi import keep_operation_ids

from ..places import search_cities
from .types import INT32_MAX

# Operation ids are built from this name (BacklineAPI): the router was first published from it.

router = Router(tags=["places"])


class CityOut(Schema):
    geoname_id: int
    name: str
    country_code: str
    country: str
    label: str
    latitude: float
    longitude: float
    time_zone: str
    population: int


@router.get("/places/cities", response=list[CityOut])
def city_search(request, q: str = "", limit: Annotated[int, Field(ge=1, le=INT32_MAX)] = 10):
    """Search the offline gazetteer (cities of 15,000+ people). ``"Berlin, DE"`` narrows by country."""
    return search_cities(q, limit=max(1, min(limit, 25)))


keep_operation_ids(router, "backline.core.places_api")  # where these operations were first published (ADR 0009)
