"""The venue network API, part two (mounted beside ``api``): what the browser also does — co-present a
show and answer, close a board post, remove a member, and make a member a network admin or take it
back. Each operation acts as one workspace (``workspace_id`` in the path) and calls the same service as
the page; a network, post or co-presentation the workspace is not part of is 404."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Router, Schema

from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id

from . import selectors, services
from .api import BASE, BoardPostOut, NetworkMemberOut, _member_out, _post_out
from .models import CoPresentation, CoPresentStatus, NetworkMember
from .permissions import access_network

router = Router(tags=["network"])


class CoPresentationOut(Schema):
    id: int
    network_id: int
    booking_id: int
    show: str = Field(description="the show's title")
    starts_at: dt.datetime | None
    proposer_id: int
    proposer_name: str
    partner_id: int
    partner_name: str
    status: CoPresentStatus


class CoPresentationIn(Schema):
    booking_id: Id = Field(description="one of the workspace's confirmed upcoming shows")
    partner_id: Id = Field(description="the member workspace asked to co-present it")


class CoPresentationAnswerIn(Schema):
    decision: Literal["accept", "decline", "withdraw"]


class NetworkAdminIn(Schema):
    is_admin: bool = Field(description="true: make the member a network admin; false: take the role back")


def _co_out(co: CoPresentation) -> dict:
    return {"id": co.pk, "network_id": co.network_id, "booking_id": co.booking_id, "show": co.booking.title,
            "starts_at": co.booking.starts_at, "proposer_id": co.proposer_id, "proposer_name": co.proposer.name,
            "partner_id": co.partner_id, "partner_name": co.partner.name, "status": co.status}


def _co(pk: int) -> CoPresentation:
    return CoPresentation.objects.select_related("booking", "proposer", "partner").get(pk=pk)


@router.get(BASE + "/{network_id}/co-presentations", response={200: list[CoPresentationOut], **ERROR_RESPONSES})
def co_presentation_list(request, workspace_id: int, network_id: int):
    """Live co-presentations the workspace proposed or was asked for (at most 50, newest first)."""
    na = access_network(user=request.auth, workspace_id=workspace_id, network_id=network_id)
    return [_co_out(co) for co in selectors.co_presentations_for(na.network.pk, na.workspace.pk)]


@router.post(BASE + "/{network_id}/co-presentations", response={201: CoPresentationOut, **ERROR_RESPONSES})
def co_presentation_propose(request, workspace_id: int, network_id: int, payload: CoPresentationIn):
    """Ask another member to co-present one of the workspace's confirmed upcoming shows (422 for a show
    that is not one, or a partner who is not a member; 409 when that member is asked already)."""
    co = services.co_presentation_propose(actor=request.auth, workspace_id=workspace_id, network_id=network_id,
                                          booking_id=payload.booking_id, partner_id=payload.partner_id)
    return 201, _co_out(_co(co.pk))


@router.post("/workspaces/{workspace_id}/network-co-presentations/{copresent_id}/answer",
             response={200: CoPresentationOut, **ERROR_RESPONSES})
def co_presentation_answer(request, workspace_id: int, copresent_id: int, payload: CoPresentationAnswerIn):
    """The member asked accepts or declines; either side withdraws. An illegal move is 409."""
    co = services.co_presentation_answer(actor=request.auth, workspace_id=workspace_id, co_presentation_id=copresent_id,
                                         decision=payload.decision)
    return _co_out(_co(co.pk))


@router.post("/workspaces/{workspace_id}/network-posts/{post_id}/close", response={200: BoardPostOut, **ERROR_RESPONSES})
def post_close(request, workspace_id: int, post_id: int):
    """The poster takes its post off the board (kept, with its requests); closing it twice is 409."""
    post = services.post_close(actor=request.auth, workspace_id=workspace_id, post_id=post_id)
    return _post_out(post)


@router.delete(BASE + "/{network_id}/members/{network_member_id}", response={200: NetworkMemberOut, **ERROR_RESPONSES})
def network_member_remove(request, workspace_id: int, network_id: int, network_member_id: int):
    """A network admin removes a member or takes back an invitation (409 for oneself: leave instead)."""
    member = services.network_member_remove(actor=request.auth, workspace_id=workspace_id, network_id=network_id,
                                            member_id=network_member_id)
    return _member_out(member)


@router.patch(BASE + "/{network_id}/members/{network_member_id}", response={200: NetworkMemberOut, **ERROR_RESPONSES})
def network_member_admin(request, workspace_id: int, network_id: int, network_member_id: int, payload: NetworkAdminIn):
    """A network admin makes an active member an admin, or takes the role back; the last admin keeps it
    (409 ``last_network_admin``)."""
    member = services.network_member_admin_set(actor=request.auth, workspace_id=workspace_id, network_id=network_id,
                                               member_id=network_member_id, is_admin=payload.is_admin)
    return _member_out(NetworkMember.objects.select_related("workspace").get(pk=member.pk))
