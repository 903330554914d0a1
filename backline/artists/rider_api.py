"""An act's riders through the API: versions, drafts, publishing, and the printable PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema

from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id

from . import riders
from .models import RiderKind
from .rider_views import pdf_response

router = Router(tags=["riders"])

Count = Field(None, ge=0, le=600)


class InputChannelIO(Schema):
    channel: int = Field(ge=1, le=96)
    source: str = Field(min_length=1, max_length=80)
    mic: str = Field("", max_length=80)
    stand: str = Field("", max_length=40)
    notes: str = Field("", max_length=200)


class RiderSummaryOut(Schema):
    id: int
    kind: str
    kind_label: str
    version: int
    status: str
    status_label: str
    published_at: dt.datetime | None
    published_by: str | None
    channels: int

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_published_by(obj):
        return obj.published_by.display_name if obj.published_by_id else None

    @staticmethod
    def resolve_channels(obj):
        return obj.channel_count


class RiderOut(RiderSummaryOut):
    inputs: list[InputChannelIO]
    monitor_mixes: list[str]
    backline_brings: list[str]
    backline_needs: list[str]
    power_outlets: int | None
    three_phase: bool
    stage_width_m: Decimal | None
    stage_depth_m: Decimal | None
    stage_plot_id: int | None
    changeover_minutes: int | None
    guest_list: int | None
    meals: int | None
    meal_notes: str
    drinks: str
    rooms: int | None
    room_type: str
    parking: int | None
    dressing_room: str
    notes: str

    @staticmethod
    def resolve_channels(obj):
        return len(obj.inputs.all())

    @staticmethod
    def resolve_inputs(obj):
        return list(obj.inputs.all())


class RidersOut(Schema):
    current: list[RiderOut]  # the technical and the hospitality rider in force, where there is one
    versions: list[RiderSummaryOut]  # every version, newest first per kind, drafts included


class RiderDraftIn(Schema):
    kind: RiderKind


class RiderPatchIn(Schema):
    """Only what is sent changes; ``inputs`` replaces the whole input list (at most 96 channels)."""

    inputs: list[InputChannelIO] | None = Field(None, max_length=1000)
    monitor_mixes: list[str] | None = Field(None, max_length=100)
    backline_brings: list[str] | None = Field(None, max_length=50)
    backline_needs: list[str] | None = Field(None, max_length=50)
    power_outlets: int | None = Count
    three_phase: bool | None = None
    stage_width_m: Decimal | None = Field(None, ge=0, le=1000, max_digits=6, decimal_places=2)
    stage_depth_m: Decimal | None = Field(None, ge=0, le=1000, max_digits=6, decimal_places=2)
    stage_plot_id: Id | None = None
    changeover_minutes: int | None = Count
    guest_list: int | None = Count
    meals: int | None = Count
    meal_notes: str | None = Field(None, max_length=300)
    drinks: str | None = Field(None, max_length=500)
    rooms: int | None = Count
    room_type: str | None = Field(None, max_length=120)
    parking: int | None = Count
    dressing_room: str | None = Field(None, max_length=300)
    notes: str | None = Field(None, max_length=4000)


@router.get("/acts/{workspace_id}/riders", response={200: RidersOut, **ERROR_RESPONSES})
def rider_list(request, workspace_id: int):
    """The act's riders in force and every version (drafts included), newest first per kind."""
    _access, act = riders.rider_view_access(actor=request.auth, workspace_id=workspace_id)
    current = sorted(riders.current_riders([act.pk]).values(), key=lambda r: r.kind != RiderKind.TECHNICAL)
    return {"current": current, "versions": list(riders.riders_for(act))}


@router.post("/acts/{workspace_id}/riders", response={201: RiderOut, **ERROR_RESPONSES})
def rider_draft(request, workspace_id: int, payload: RiderDraftIn):
    """The draft of a rider: a new version copied from the one in force, or the draft already open."""
    rider = riders.rider_draft(actor=request.auth, workspace_id=workspace_id, kind=payload.kind)
    return 201, _full(request, workspace_id, rider.pk)


def _full(request, workspace_id: int, rider_id: int):
    _access, act = riders.rider_view_access(actor=request.auth, workspace_id=workspace_id)
    return riders.rider_get(act, rider_id)


@router.get("/acts/{workspace_id}/riders/{rider_id}", response={200: RiderOut, **ERROR_RESPONSES})
def rider_detail(request, workspace_id: int, rider_id: int):
    return _full(request, workspace_id, rider_id)


@router.patch("/acts/{workspace_id}/riders/{rider_id}", response={200: RiderOut, **ERROR_RESPONSES})
def rider_patch(request, workspace_id: int, rider_id: int, payload: RiderPatchIn):
    """Change a draft; a published version answers 409 (start a new draft instead)."""
    fields = payload.dict(exclude_unset=True)
    riders.rider_update(actor=request.auth, workspace_id=workspace_id, rider_id=rider_id, **fields)
    return _full(request, workspace_id, rider_id)


@router.post("/acts/{workspace_id}/riders/{rider_id}/publish", response={200: RiderOut, **ERROR_RESPONSES})
def rider_publish(request, workspace_id: int, rider_id: int):
    """Put a draft in force; the version in force until now is replaced. A published one answers 409."""
    riders.rider_publish(actor=request.auth, workspace_id=workspace_id, rider_id=rider_id)
    return _full(request, workspace_id, rider_id)


@router.delete("/acts/{workspace_id}/riders/{rider_id}", response={204: None, **ERROR_RESPONSES})
def rider_discard(request, workspace_id: int, rider_id: int):
    """Throw a draft away; a version that was in force answers 409 (it stays in the history)."""
    riders.rider_discard(actor=request.auth, workspace_id=workspace_id, rider_id=rider_id)
    return 204, None


@router.get("/acts/{workspace_id}/riders/{rider_id}/pdf", response={200: None, **ERROR_RESPONSES},
            openapi_extra={"responses": {200: {"description": "The rider as a printable PDF",
                                               "content": {"application/pdf": {"schema": {"type": "string"}}}}}})
def rider_pdf(request, workspace_id: int, rider_id: int):
    rider = _full(request, workspace_id, rider_id)
    return pdf_response(rider)

