"""Authorisation table entries for the venue network (merged into table.WEB and table.API).

Reading is ``bookings.view``; posting, asking, answering requests and co-presenting are
``bookings.manage``; the workspace's place in networks (start, invite, answer, leave, share its shows,
remove members, choose the network's admins) is ``workspace.edit``. A network the workspace is not in is 404 for everyone
(another world's network, post or request). Refusals of the state (answering an invitation the
world's workspace no longer has, the only admin leaving, asking for one's own post) are 409 in the
API and a message on the page: the matrix sees the allowed callers pass the permission check."""

from __future__ import annotations

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW, WORKSPACE_EDIT

from .table import *  # noqa: F403  (the rule types, kinds and helpers)
from .table import GET_POST, POST, Member, unique


def _invitee_form() -> dict:
    from .makers_threads import other_workspace

    return {"invitee": other_workspace().pk}


def _invitee_json() -> dict:
    from .makers_threads import other_workspace

    return {"invitee_id": other_workspace().pk}


POST_FORM = lambda: {"kind": "offer", "resource": "pa", "title": unique("PA to lend"), "terms": "free"}  # noqa: E731
POST_JSON = lambda: {"kind": "request", "resource": "crew", "title": unique("Lighting tech"), "terms": "free"}  # noqa: E731

WEB: dict = {
    "network:network_list": Member(BOOKINGS_VIEW),
    "network:network_new": Member(WORKSPACE_EDIT, GET_POST, body=lambda: {"name": unique("Matrix circuit")}),
    "network:network_detail": Member(BOOKINGS_VIEW),
    "network:network_invite": Member(WORKSPACE_EDIT, GET_POST, body=_invitee_form),
    "network:network_answer": Member(WORKSPACE_EDIT, POST, body={"decision": "accept"}),
    "network:network_leave": Member(WORKSPACE_EDIT, POST, fresh=("network_id",)),
    "network:network_sharing": Member(WORKSPACE_EDIT, POST, body={"shares_shows": "on"}),
    "network:network_member_remove": Member(WORKSPACE_EDIT, POST, fresh=("network_member_id",)),
    "network:network_member_admin": Member(WORKSPACE_EDIT, POST, fresh=("network_member_id",), body={"is_admin": "on"}),
    "network:network_co_present": Member(BOOKINGS_MANAGE, GET_POST, body={"booking": "0", "partner": "0"}),
    "network:network_co_present_answer": Member(BOOKINGS_MANAGE, POST, fresh=("copresent_id",),
                                                body={"decision": "accept"}),
    "network:network_post_new": Member(BOOKINGS_MANAGE, GET_POST, body=POST_FORM),
    "network:network_post_detail": Member(BOOKINGS_VIEW),
    "network:network_post_ask": Member(BOOKINGS_MANAGE, POST, body={"message": "May we borrow it?"}),
    "network:network_post_close": Member(BOOKINGS_MANAGE, POST, fresh=("post_id",)),
    "network:network_request_answer": Member(BOOKINGS_MANAGE, POST, fresh=("request_id",), body={"decision": "accept"}),
}

_N = "/api/v1/workspaces/{workspace_id}/networks"
API: dict = {
    ("GET", _N): Member(BOOKINGS_VIEW),
    ("POST", _N): Member(WORKSPACE_EDIT, POST, body=lambda: {"name": unique("Matrix circuit")}),
    ("GET", _N + "/{network_id}/members"): Member(BOOKINGS_VIEW),
    ("POST", _N + "/{network_id}/members"): Member(WORKSPACE_EDIT, POST, body=_invitee_json),
    ("POST", _N + "/{network_id}/answer"): Member(WORKSPACE_EDIT, POST, body={"accept": True}),
    ("POST", _N + "/{network_id}/leave"): Member(WORKSPACE_EDIT, POST, fresh=("network_id",)),
    ("GET", _N + "/{network_id}/shows"): Member(BOOKINGS_VIEW, query={"in_town": "true"}),
    ("GET", _N + "/{network_id}/posts"): Member(BOOKINGS_VIEW),
    ("POST", _N + "/{network_id}/posts"): Member(BOOKINGS_MANAGE, POST, body=POST_JSON),
    ("GET", _N + "/{network_id}/requests"): Member(BOOKINGS_VIEW),
    ("POST", "/api/v1/workspaces/{workspace_id}/network-posts/{post_id}/requests"):
        Member(BOOKINGS_MANAGE, POST, body={"message": "May we borrow it?"}),
    ("POST", "/api/v1/workspaces/{workspace_id}/network-requests/{request_id}/answer"):
        Member(BOOKINGS_MANAGE, POST, fresh=("request_id",), body={"decision": "accept"}),
    # what the browser also does (backline/network/manage_api.py)
    ("GET", _N + "/{network_id}/co-presentations"): Member(BOOKINGS_VIEW),
    ("POST", _N + "/{network_id}/co-presentations"): Member(BOOKINGS_MANAGE, POST, body={"booking_id": 0, "partner_id": 0}),
    ("POST", "/api/v1/workspaces/{workspace_id}/network-co-presentations/{copresent_id}/answer"):
        Member(BOOKINGS_MANAGE, POST, fresh=("copresent_id",), body={"decision": "accept"}),
    ("POST", "/api/v1/workspaces/{workspace_id}/network-posts/{post_id}/close"):
        Member(BOOKINGS_MANAGE, POST, fresh=("post_id",)),
    ("DELETE", _N + "/{network_id}/members/{network_member_id}"): Member(WORKSPACE_EDIT, ("DELETE",),
                                                                         fresh=("network_member_id",)),
    ("PATCH", _N + "/{network_id}/members/{network_member_id}"): Member(WORKSPACE_EDIT, ("PATCH",),
                                                                        fresh=("network_member_id",), body={"is_admin": True}),
}
