"""Acts, line-ups, agency performers and the genre list."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from backline.accounts.permissions import (
    BOOKINGS_VIEW,
    MEMBERS_VIEW,
    ROSTER_MANAGE,
    WORKSPACE_EDIT,
    WORKSPACE_VIEW,
    access_workspace,
)
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id, SmallCount
from backline.core.errors import NotFound

from . import representations, selectors, services
from .models import ActMember, Performer

router = Router(tags=["acts"])


class GenreOut(Schema):
    slug: str
    name: str


class ActOut(Schema):
    workspace_id: int
    name: str = Field(alias="workspace.name")
    slug: str = Field(alias="workspace.slug")
    act_type: str
    formed_year: int | None
    genres: list[GenreOut]
    city_name: str = Field(alias="workspace.city_name")
    country_code: str = Field(alias="workspace.country_code")
    time_zone: str = Field(alias="workspace.time_zone")

    @staticmethod
    def resolve_genres(obj):
        return list(obj.genres.all())


class ActCreateIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    act_type: str = "band"
    genres: list[str] = []
    geoname_id: Id | None = None
    bio: str = Field("", max_length=5000)
    website: str = ""
    plays_in_act: bool = True
    instruments: str = Field("", max_length=200)


class ActPatchIn(Schema):
    act_type: str | None = None
    genres: list[str] | None = None
    formed_year: SmallCount | None = None


class ActMemberOut(Schema):
    id: int
    name: str
    email: str
    instruments: str
    is_optional: bool
    user_id: int | None


class ActMemberIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    email: str = ""
    instruments: str = Field("", max_length=200)
    is_optional: bool = False


class ActMemberPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    email: str | None = None
    instruments: str | None = Field(None, max_length=200)
    is_optional: bool | None = None


class PerformerOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    skills: str
    is_active: bool
    user_id: int | None


class PerformerIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    email: str = ""
    phone: str = Field("", max_length=40)
    skills: str = Field("", max_length=200)


class PerformerPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    email: str | None = None
    phone: str | None = Field(None, max_length=40)
    skills: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class PerformerLinkIn(Schema):
    user_id: Id | None


@router.get("/genres", response=list[GenreOut])
def genre_list(request, q: str = ""):
    """The fixed genre list; ``q`` filters by name."""
    return list(selectors.genres_search(q))


@router.post("/acts", response={201: ActOut, **ERROR_RESPONSES})
def act_create(request, payload: ActCreateIn):
    """Create an act (band or solo artist) workspace; the caller becomes its owner."""
    act = services.act_create(actor=request.auth, **payload.dict())
    return 201, act


def _act(request, workspace_id: int, capability=WORKSPACE_VIEW):
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=capability)
    act = selectors.act_for(access)
    if act is None:
        raise NotFound("This workspace is not an act.")
    return access, act


@router.get("/acts/{workspace_id}", response={200: ActOut, **ERROR_RESPONSES})
def act_detail(request, workspace_id: int):
    return _act(request, workspace_id)[1]


@router.patch("/acts/{workspace_id}", response={200: ActOut, **ERROR_RESPONSES})
def act_update(request, workspace_id: int, payload: ActPatchIn):
    data = payload.dict(exclude_unset=True)
    services.act_update(actor=request.auth, workspace_id=workspace_id, **data)
    return _act(request, workspace_id)[1]


@router.get("/acts/{workspace_id}/members", response={200: list[ActMemberOut], **ERROR_RESPONSES})
@paginate
def act_member_list(request, workspace_id: int):
    access, _ = _act(request, workspace_id, MEMBERS_VIEW)
    return selectors.line_up_for(access)


@router.post("/acts/{workspace_id}/members", response={201: ActMemberOut, **ERROR_RESPONSES})
def act_member_add(request, workspace_id: int, payload: ActMemberIn):
    return 201, services.act_member_add(actor=request.auth, workspace_id=workspace_id, **payload.dict())


def _member_in(workspace_id: int, member_id: int) -> None:
    if not ActMember.objects.filter(pk=member_id, act__workspace_id=workspace_id).exists():
        raise NotFound("No such member.")


@router.patch("/acts/{workspace_id}/members/{member_id}", response={200: ActMemberOut, **ERROR_RESPONSES})
def act_member_update(request, workspace_id: int, member_id: int, payload: ActMemberPatchIn):
    access_workspace(user=request.auth, workspace_id=workspace_id, capability=ROSTER_MANAGE)
    _member_in(workspace_id, member_id)
    return services.act_member_update(actor=request.auth, member_id=member_id, **payload.dict(exclude_unset=True))


@router.delete("/acts/{workspace_id}/members/{member_id}", response={204: None, **ERROR_RESPONSES})
def act_member_remove(request, workspace_id: int, member_id: int):
    access_workspace(user=request.auth, workspace_id=workspace_id, capability=ROSTER_MANAGE)
    _member_in(workspace_id, member_id)
    services.act_member_remove(actor=request.auth, member_id=member_id)
    return 204, None


# --- agency performers ----------------------------------------------------------------------------

@router.get("/agencies/{workspace_id}/performers", response={200: list[PerformerOut], **ERROR_RESPONSES})
@paginate
def performer_list(request, workspace_id: int, active: bool | None = None):
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=MEMBERS_VIEW)
    if access.workspace.kind != "agency":
        raise NotFound("Only agencies keep performers.")
    return selectors.performers_for(access, active=active)


@router.post("/agencies/{workspace_id}/performers", response={201: PerformerOut, **ERROR_RESPONSES})
def performer_create(request, workspace_id: int, payload: PerformerIn):
    return 201, services.performer_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())


def _performer_in(workspace_id: int, performer_id: int) -> None:
    if not Performer.objects.filter(pk=performer_id, workspace_id=workspace_id).exists():
        raise NotFound("No such performer.")


@router.patch("/agencies/{workspace_id}/performers/{performer_id}", response={200: PerformerOut, **ERROR_RESPONSES})
def performer_update(request, workspace_id: int, performer_id: int, payload: PerformerPatchIn):
    access_workspace(user=request.auth, workspace_id=workspace_id, capability=ROSTER_MANAGE)
    _performer_in(workspace_id, performer_id)
    return services.performer_update(actor=request.auth, performer_id=performer_id, **payload.dict(exclude_unset=True))


@router.put("/agencies/{workspace_id}/performers/{performer_id}/user", response={200: PerformerOut, **ERROR_RESPONSES})
def performer_link(request, workspace_id: int, performer_id: int, payload: PerformerLinkIn):
    """Link the performer record to a member's user account (``null`` unlinks)."""
    access_workspace(user=request.auth, workspace_id=workspace_id, capability=ROSTER_MANAGE)
    _performer_in(workspace_id, performer_id)
    return services.performer_link_user(actor=request.auth, performer_id=performer_id, user_id=payload.user_id)


# --- the represents relation: an agency represents an act (ADR 0006 addendum) -----------------------

class RepresentationOut(Schema):
    id: int
    agency_workspace_id: int = Field(alias="agency_id")
    agency_name: str = Field(alias="agency.name")
    act_workspace_id: int = Field(alias="act.workspace_id")
    act_name: str = Field(alias="act.workspace.name")
    status: str = Field(description="requested, active or ended")
    asked_by_agency: bool = Field(description="which side asked; the other side accepts or declines")
    end_reason: str = Field(description="declined or ended, once ended")
    created_at: dt.datetime
    granted_at: dt.datetime | None
    ended_at: dt.datetime | None


class RepresentationIn(Schema):
    partner_workspace_id: Id = Field(description="from an agency: the act's workspace it asks to represent; "
                                                 "from an act: the agency's workspace it invites")


def _representing_side(user, workspace_id: int, capability: str):
    from backline.accounts.models import WorkspaceKind

    access = access_workspace(user=user, workspace_id=workspace_id, capability=capability)
    if access.workspace.kind not in (WorkspaceKind.ACT, WorkspaceKind.AGENCY):
        raise NotFound("Only acts and agencies have representations.")
    return access.workspace


@router.get("/workspaces/{workspace_id}/representations", response={200: list[RepresentationOut], **ERROR_RESPONSES})
def representation_list(request, workspace_id: int):
    """An agency's acts, or an act's agencies: asked, active and ended, live ones first."""
    return list(representations.representations_for(_representing_side(request.auth, workspace_id, BOOKINGS_VIEW)))


@router.post("/workspaces/{workspace_id}/representations", response={201: RepresentationOut, **ERROR_RESPONSES})
def representation_create(request, workspace_id: int, payload: RepresentationIn):
    """An agency asks to represent an act, or an act invites an agency (owners and admins); the other side
    answers. 409 ``representation_exists`` while one is asked or active between them."""
    ws = _representing_side(request.auth, workspace_id, WORKSPACE_EDIT)
    if ws.kind == "agency":
        rep = representations.representation_request(actor=request.auth, agency_workspace_id=ws.pk,
                                                     act_workspace_id=payload.partner_workspace_id)
    else:
        rep = representations.representation_invite(actor=request.auth, act_workspace_id=ws.pk,
                                                    agency_workspace_id=payload.partner_workspace_id)
    return 201, rep


def _answered(request, workspace_id: int, representation_id: int, change):
    rep = change(actor=request.auth, workspace_id=workspace_id, representation_id=representation_id)
    return representations.representations_for(rep.agency).get(pk=rep.pk)


@router.post("/workspaces/{workspace_id}/representations/{representation_id}/accept",
             response={200: RepresentationOut, **ERROR_RESPONSES})
def representation_accept(request, workspace_id: int, representation_id: int):
    """The side that was asked accepts: the agency may ask for dates in the act's name."""
    return _answered(request, workspace_id, representation_id, representations.representation_accept)


@router.post("/workspaces/{workspace_id}/representations/{representation_id}/decline",
             response={200: RepresentationOut, **ERROR_RESPONSES})
def representation_decline(request, workspace_id: int, representation_id: int):
    return _answered(request, workspace_id, representation_id, representations.representation_decline)


@router.post("/workspaces/{workspace_id}/representations/{representation_id}/end",
             response={200: RepresentationOut, **ERROR_RESPONSES})
def representation_end(request, workspace_id: int, representation_id: int):
    """Either side ends it (or the side that asked withdraws): no new inquiries; those sent stay."""
    return _answered(request, workspace_id, representation_id, representations.representation_end)
