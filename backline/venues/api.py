"""Venues and stages."""

from __future__ import annotations

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id
from backline.core.errors import NotFound

from . import selectors, services
from .models import Stage, Venue

router = Router(tags=["venues"])


class StageOut(Schema):
    id: int
    name: str
    capacity: int


class VenueOut(Schema):
    id: int
    workspace_id: int
    name: str
    address: str
    postal_code: str
    capacity: int
    website: str
    phone: str
    description: str
    city_name: str
    country_code: str
    geoname_id: int | None
    latitude: float | None
    longitude: float | None
    time_zone: str
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj):
        return list(obj.stages.all())


class VenueIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    capacity: int = Field(ge=1, le=200_000)
    geoname_id: Id
    address: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=20)
    website: str = ""
    phone: str = Field("", max_length=40)
    description: str = Field("", max_length=5000)


class VenuePatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    capacity: int | None = Field(None, ge=1, le=200_000)
    geoname_id: Id | None = None
    address: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=20)
    website: str | None = None
    phone: str | None = Field(None, max_length=40)
    description: str | None = Field(None, max_length=5000)


class StageIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    capacity: int = Field(ge=1, le=200_000)


@router.post("/venues", response={201: VenueOut, **ERROR_RESPONSES})
def venue_workspace_create(request, payload: VenueIn):
    """Create a venue workspace with its first venue; the caller becomes owner."""
    return 201, services.venue_workspace_create(actor=request.auth, **payload.dict())


@router.get("/workspaces/{workspace_id}/venues", response={200: list[VenueOut], **ERROR_RESPONSES})
@paginate
def venue_list(request, workspace_id: int):
    return selectors.venues_for(access_workspace(user=request.auth, workspace_id=workspace_id, capability=WORKSPACE_VIEW))


@router.post("/workspaces/{workspace_id}/venues", response={201: VenueOut, **ERROR_RESPONSES})
def venue_create(request, workspace_id: int, payload: VenueIn):
    return 201, services.venue_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())


def _venue(request, venue_id: int, capability=WORKSPACE_VIEW) -> Venue:
    venue = Venue.objects.filter(pk=venue_id).only("workspace_id").first()
    if venue is None:
        raise NotFound("No such venue.")
    access = access_workspace(user=request.auth, workspace_id=venue.workspace_id, capability=capability)
    return selectors.venues_for(access).get(pk=venue_id)


@router.get("/venues/{venue_id}", response={200: VenueOut, **ERROR_RESPONSES})
def venue_detail(request, venue_id: int):
    return _venue(request, venue_id)


@router.patch("/venues/{venue_id}", response={200: VenueOut, **ERROR_RESPONSES})
def venue_update(request, venue_id: int, payload: VenuePatchIn):
    services.venue_update(actor=request.auth, venue_id=venue_id, **payload.dict(exclude_unset=True))
    return _venue(request, venue_id)


@router.post("/venues/{venue_id}/stages", response={201: StageOut, **ERROR_RESPONSES})
def stage_add(request, venue_id: int, payload: StageIn):
    return 201, services.stage_add(actor=request.auth, venue_id=venue_id, **payload.dict())


@router.delete("/venues/{venue_id}/stages/{stage_id}", response={204: None, **ERROR_RESPONSES})
def stage_remove(request, venue_id: int, stage_id: int):
    _venue(request, venue_id, ROSTER_MANAGE)
    if not Stage.objects.filter(pk=stage_id, venue_id=venue_id).exists():
        raise NotFound("No such stage.")
    services.stage_remove(actor=request.auth, stage_id=stage_id)
    return 204, None
