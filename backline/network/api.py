"""The venue network API (mounted in backline/config/api.py). Every operation acts as one workspace
(``workspace_id`` in the path); a network the workspace is not in is 404."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema

from backline.accounts.permissions import access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id

from . import selectors, services
from .models import MemberStatus, PostKind, PostStatus, RequestStatus, Resource, Terms
from .permissions import NETWORK_VIEW, access_network
from .services import LIMITS

router = Router(tags=["network"])
BASE = "/workspaces/{workspace_id}/networks"


class NetworkOut(Schema):
    id: int
    name: str
    description: str
    region: str
    status: MemberStatus = Field(description="this workspace's place in the network: invited or active")
    is_admin: bool
    shares_shows: bool


class NetworkIn(Schema):
    name: str = Field(max_length=LIMITS["name"])
    description: str = Field("", max_length=LIMITS["description"])
    region: str = Field("", max_length=LIMITS["region"])


class NetworkMemberOut(Schema):
    id: int
    workspace_id: int
    workspace_name: str
    kind: str
    status: MemberStatus
    is_admin: bool


class NetworkInviteIn(Schema):
    invitee_id: Id = Field(description="the workspace invited")


class NetworkAnswerIn(Schema):
    accept: bool
    share_shows: bool = True


class NetworkShowOut(Schema):
    booking_id: int
    act: str
    venue: str
    city: str
    starts_at: dt.datetime
    time_zone: str
    presenters: list[str] = Field(description="co-presenting workspaces, if any")


class NetworkShowFilters(Schema):
    in_town: bool = Field(False, description="only the next seven days in ``city``")
    city: str = Field("", max_length=120, description="default: the workspace's city")


class BoardPostOut(Schema):
    id: int
    workspace_id: int
    workspace_name: str
    kind: PostKind
    resource: Resource
    title: str
    description: str
    city: str
    available_from: dt.date | None
    available_to: dt.date | None
    terms: Terms
    fee: Decimal | None
    currency: str
    status: PostStatus


class BoardPostIn(Schema):
    kind: PostKind
    resource: Resource
    title: str = Field(max_length=LIMITS["title"])
    description: str = Field("", max_length=LIMITS["description"])
    city: str = Field("", max_length=LIMITS["city"])
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    terms: Terms = Terms.FREE
    fee: Decimal | None = Field(None, ge=0, lt=1000000, max_digits=12, decimal_places=2)
    currency: str = Field("", max_length=3)


class ResourceAskIn(Schema):
    message: str = Field(max_length=LIMITS["message"])


class ResourceRequestOut(Schema):
    id: int
    post_id: int
    post_title: str
    workspace_id: int = Field(description="the asking workspace")
    workspace_name: str
    message: str
    status: RequestStatus
    thread_id: int | None


class ResourceRequestAnswerIn(Schema):
    decision: Literal["accept", "decline", "withdraw"]


def _network_out(m) -> dict:
    n = m.network
    return {"id": n.pk, "name": n.name, "description": n.description, "region": n.region, "status": m.status,
            "is_admin": m.is_admin, "shares_shows": m.shares_shows}


def _member_out(m) -> dict:
    return {"id": m.pk, "workspace_id": m.workspace_id, "workspace_name": m.workspace.name, "kind": m.workspace.kind,
            "status": m.status, "is_admin": m.is_admin}


def _post_out(p) -> dict:
    return {**{f: getattr(p, f) for f in ("id", "workspace_id", "kind", "resource", "title", "description", "city",
                                          "available_from", "available_to", "terms", "fee", "currency", "status")},
            "workspace_name": p.workspace.name}


def _request_out(r) -> dict:
    return {"id": r.pk, "post_id": r.post_id, "post_title": r.post.title, "workspace_id": r.workspace_id,
            "workspace_name": r.workspace.name, "message": r.message, "status": r.status, "thread_id": r.thread_id}


def _show_out(s) -> dict:
    return {"booking_id": s.booking_id, "act": s.act, "venue": s.venue, "city": s.city, "starts_at": s.starts_at,
            "time_zone": s.time_zone, "presenters": list(s.presenters)}


@router.get(BASE, response={200: list[NetworkOut], **ERROR_RESPONSES})
def network_list(request, workspace_id: int):
    """The workspace's networks and pending invitations."""
    ws = access_workspace(user=request.auth, workspace_id=workspace_id, capability=NETWORK_VIEW).workspace
    return [_network_out(m) for m in selectors.networks_for(ws.pk)]


@router.post(BASE, response={201: NetworkOut, **ERROR_RESPONSES})
def network_create(request, workspace_id: int, payload: NetworkIn):
    """Start a network; the workspace is its first member and admin."""
    network = services.network_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())
    return 201, _network_out(network.members.get())


@router.get(BASE + "/{network_id}/members", response={200: list[NetworkMemberOut], **ERROR_RESPONSES})
def network_members(request, workspace_id: int, network_id: int):
    """The members and pending invitations."""
    na = access_network(user=request.auth, workspace_id=workspace_id, network_id=network_id)
    return [_member_out(m) for m in selectors.members_of(na.network.pk)]


@router.post(BASE + "/{network_id}/members", response={201: NetworkMemberOut, **ERROR_RESPONSES})
def network_invite(request, workspace_id: int, network_id: int, payload: NetworkInviteIn):
    """Invite another workspace (network admins). A current member or pending invitation is 409."""
    m = services.network_invite(actor=request.auth, workspace_id=workspace_id, network_id=network_id,
                                invitee_id=payload.invitee_id)
    return 201, _member_out(m)


@router.post(BASE + "/{network_id}/answer", response={200: NetworkOut, **ERROR_RESPONSES})
def network_answer(request, workspace_id: int, network_id: int, payload: NetworkAnswerIn):
    """Accept or decline the workspace's invitation (409 when there is none pending)."""
    m = services.network_invite_answer(actor=request.auth, workspace_id=workspace_id, network_id=network_id,
                                       accept=payload.accept, share_shows=payload.share_shows)
    return _network_out(m)


@router.post(BASE + "/{network_id}/leave", response={200: NetworkOut, **ERROR_RESPONSES})
def network_leave(request, workspace_id: int, network_id: int):
    """Leave the network."""
    return _network_out(services.network_leave(actor=request.auth, workspace_id=workspace_id, network_id=network_id))


@router.get(BASE + "/{network_id}/shows", response={200: list[NetworkShowOut], **ERROR_RESPONSES})
def network_shows(request, workspace_id: int, network_id: int, filters: Query[NetworkShowFilters]):
    """The members' shared confirmed upcoming shows (public facts only). ``in_town``: the next seven
    days in ``city`` (default: the workspace's city)."""
    na = access_network(user=request.auth, workspace_id=workspace_id, network_id=network_id)
    if filters.in_town:
        rows = selectors.also_in_town(na.network.pk, city=filters.city or na.workspace.city_name or na.network.region)
    else:
        rows = selectors.network_shows(na.network.pk)
    return [_show_out(s) for s in rows]


@router.get(BASE + "/{network_id}/posts", response={200: list[BoardPostOut], **ERROR_RESPONSES})
def post_list(request, workspace_id: int, network_id: int):
    """The sharing board: open posts whose dates have not passed (at most 200, newest first)."""
    na = access_network(user=request.auth, workspace_id=workspace_id, network_id=network_id)
    return [_post_out(p) for p in selectors.board_for(na.network.pk)[:200]]


@router.post(BASE + "/{network_id}/posts", response={201: BoardPostOut, **ERROR_RESPONSES})
def post_create(request, workspace_id: int, network_id: int, payload: BoardPostIn):
    """Post an offer or a request on the board."""
    post = services.post_create(actor=request.auth, workspace_id=workspace_id, network_id=network_id, **payload.dict())
    return 201, _post_out(post)


@router.get(BASE + "/{network_id}/requests", response={200: list[ResourceRequestOut], **ERROR_RESPONSES})
def request_list(request, workspace_id: int, network_id: int):
    """Requests the workspace sent, and those for its posts (at most 200, newest first)."""
    na = access_network(user=request.auth, workspace_id=workspace_id, network_id=network_id)
    return [_request_out(r) for r in selectors.requests_for(na.network.pk, na.workspace.pk)[:200]]


@router.post("/workspaces/{workspace_id}/network-posts/{post_id}/requests", response={201: ResourceRequestOut, **ERROR_RESPONSES})
def request_create(request, workspace_id: int, post_id: int, payload: ResourceAskIn):
    """Ask for a post: a request, and a conversation between the two workspaces."""
    req = services.request_create(actor=request.auth, workspace_id=workspace_id, post_id=post_id, message=payload.message)
    return 201, _request_out(req)


@router.post("/workspaces/{workspace_id}/network-requests/{request_id}/answer",
             response={200: ResourceRequestOut, **ERROR_RESPONSES})
def request_answer(request, workspace_id: int, request_id: int, payload: ResourceRequestAnswerIn):
    """The poster accepts or declines; the asker withdraws. An illegal move is 409."""
    req = services.request_answer(actor=request.auth, workspace_id=workspace_id, request_id=request_id,
                                  decision=payload.decision)
    return _request_out(req)



