"""Venues and stages."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id, LocalTime
from backline.core.errors import Invalid, NotFound
from backline.core.stagefit import BacklineItem

from . import selectors, services
from .models import Stage, Venue
from .specs import stage_headline

router = Router(tags=["venues"])


class StageOut(Schema):
    id: int
    name: str
    capacity: int


class StageSpecOut(Schema):
    """A stage with its whole tech spec; null means "not stated"."""

    id: int
    venue_id: int
    name: str
    capacity: int
    summary: str = Field(description='The spec in one line of words, e.g. "6 × 4 m stage, 4 monitor mixes, 16 inputs"')
    width_m: Decimal | None
    depth_m: Decimal | None
    height_m: Decimal | None
    pa_make: str
    pa_power_w: int | None
    console: str
    inputs: int | None
    monitor_mixes: int | None
    backline_available: list[str] = Field(description="Shared backline vocabulary (core.stagefit.BacklineItem)")
    backline_notes: str
    power_outlets: int | None
    three_phase: bool | None
    lighting: str
    load_in_distance_m: int | None
    load_in_steps: int | None
    load_in_lift: bool | None
    load_in_notes: str
    curfew: str | None = Field(description="Local time at the venue, HH:MM")
    capacity_standing: int | None
    capacity_seated: int | None
    step_free: bool | None
    accessible_toilet: bool | None
    hearing_loop: bool | None
    accessibility_notes: str
    photo_ids: list[int]
    document_ids: list[int]

    @staticmethod
    def resolve_summary(obj):
        return stage_headline(obj)

    @staticmethod
    def resolve_curfew(obj):
        return obj.curfew.strftime("%H:%M") if obj.curfew else None

    @staticmethod
    def resolve_photo_ids(obj):
        return [a.pk for a in obj.photos.all()]

    @staticmethod
    def resolve_document_ids(obj):
        return [a.pk for a in obj.documents.all()]


Metres = Annotated[Decimal, Field(ge=Decimal("0.5"), le=Decimal("60"), max_digits=5, decimal_places=2)]
AssetIds = Annotated[list[Annotated[int, Field(ge=1, le=2**63 - 1)]], Field(max_length=20)]
Notes = Annotated[str, Field(max_length=1000)]


class StageSpecPatchIn(Schema):
    """Send only what changes; null clears a number or a yes/no back to "not stated"."""

    name: str | None = Field(None, min_length=1, max_length=80)
    capacity: int | None = Field(None, ge=1, le=200_000)
    width_m: Metres | None = None
    depth_m: Metres | None = None
    height_m: Annotated[Decimal, Field(ge=1, le=40, max_digits=5, decimal_places=2)] | None = None
    pa_make: str | None = Field(None, max_length=120)
    pa_power_w: int | None = Field(None, ge=1, le=500_000)
    console: str | None = Field(None, max_length=120)
    inputs: int | None = Field(None, ge=1, le=256)
    monitor_mixes: int | None = Field(None, ge=0, le=64)
    backline_available: list[BacklineItem] | None = Field(None, max_length=len(BacklineItem.values))
    backline_notes: Notes | None = None
    power_outlets: int | None = Field(None, ge=0, le=200)
    three_phase: bool | None = None
    lighting: Notes | None = None
    load_in_distance_m: int | None = Field(None, ge=0, le=1000)
    load_in_steps: int | None = Field(None, ge=0, le=500)
    load_in_lift: bool | None = None
    load_in_notes: Notes | None = None
    curfew: LocalTime | None = None
    capacity_standing: int | None = Field(None, ge=1, le=200_000)
    capacity_seated: int | None = Field(None, ge=1, le=200_000)
    step_free: bool | None = None
    accessible_toilet: bool | None = None
    hearing_loop: bool | None = None
    accessibility_notes: Notes | None = None
    photo_ids: AssetIds | None = None
    document_ids: AssetIds | None = None


# Text fields and required numbers: null is refused (send "" to clear a text).
_NOT_NULL = ("name", "capacity", "pa_make", "console", "backline_notes", "lighting", "load_in_notes",
             "accessibility_notes", "backline_available", "photo_ids", "document_ids")


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
    slug: str | None = Field(description="The public page's address: /v/<slug>/")
    visibility: Literal["public", "unlisted", "private"]
    genres: list[str]
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
    slug: str | None = Field(None, max_length=80, description="Empty: made again from name and city")
    visibility: Literal["public", "unlisted", "private"] | None = None
    genres: list[Annotated[str, Field(max_length=40)]] | None = Field(None, max_length=12)


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


def _stages(venue_id: int):
    return Stage.objects.filter(venue_id=venue_id).prefetch_related("photos", "documents").order_by("-capacity", "name", "pk")


@router.get("/venues/{venue_id}/stages", response={200: list[StageSpecOut], **ERROR_RESPONSES})
def stage_list(request, venue_id: int):
    """The venue's stages with their tech specs (at most a handful per venue: not paged)."""
    _venue(request, venue_id)
    return list(_stages(venue_id))


def _stage(venue_id: int, stage_id: int) -> Stage:
    stage = _stages(venue_id).filter(pk=stage_id).first()
    if stage is None:
        raise NotFound("No such stage.")
    return stage


@router.get("/venues/{venue_id}/stages/{stage_id}", response={200: StageSpecOut, **ERROR_RESPONSES})
def stage_detail(request, venue_id: int, stage_id: int):
    _venue(request, venue_id)
    return _stage(venue_id, stage_id)


@router.patch("/venues/{venue_id}/stages/{stage_id}", response={200: StageSpecOut, **ERROR_RESPONSES})
def stage_update(request, venue_id: int, stage_id: int, payload: StageSpecPatchIn):
    """Edit a stage's name, capacity and tech spec. Photos and documents are ids from the venue's media library."""
    _venue(request, venue_id, ROSTER_MANAGE)
    _stage(venue_id, stage_id)
    changes = payload.dict(exclude_unset=True)
    nulls = [f for f in _NOT_NULL if f in changes and changes[f] is None]
    if nulls:
        raise Invalid("Not stated.", errors={f: ["This field cannot be empty (null)."] for f in nulls})
    if "backline_available" in changes:
        changes["backline_available"] = [str(getattr(v, "value", v)) for v in changes["backline_available"]]
    services.stage_spec_update(actor=request.auth, stage_id=stage_id, **changes)
    return _stage(venue_id, stage_id)
