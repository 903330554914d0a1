"""Authorisation table entries for conversations' (merged into table.WEB and table.API).

Thread routes without a workspace in the path (``/threads/{thread_id}...``) are declared as Member
rules: the matrix makes a thread whose party is the world's workspace (tests/authz/makers_threads.py),
checks every role of that workspace, the outsider (404), and another world's thread (404)."""

from __future__ import annotations

from backline.accounts.permissions import BOOKINGS_MANAGE, MESSAGES_SEND, MESSAGES_VIEW

from .table import *  # noqa: F403  (the rule types, kinds and helpers)
from .table import ACTS, GET, GET_POST, POST, LoggedIn, Member, unique


def _recipient() -> dict:
    from .makers_threads import other_workspace

    return {"to": other_workspace().pk, "subject": unique("Matrix hello"), "body": "Shall we talk about March?"}


def _support_form() -> dict:
    from .makers_threads import new_act

    return {"to": new_act().pk, "subject": unique("Matrix support"), "body": "Shared backline: our drum kit?"}


def _direct_json() -> dict:
    from .makers_threads import other_workspace

    return {"to": [other_workspace().pk], "subject": unique("Matrix hello"), "body": "Shall we talk about March?"}


def _support_json() -> dict:
    from .makers_threads import new_act

    return {"to": [new_act().pk], "subject": unique("Matrix support"), "body": "Shared backline: our drum kit?"}


def _party_json() -> dict:
    from .makers_threads import other_workspace

    return {"workspace_id": other_workspace().pk}


def _internal() -> dict:
    return {"subject": unique("Matrix team"), "body": "Who brings the merch table?", "everyone": "on"}


def _party_form() -> dict:
    from .makers_threads import other_workspace

    return {"workspace": other_workspace().pk}


WEB: dict = {
    "thread_inbox": Member(MESSAGES_VIEW),
    "thread_inbox_badge": Member(MESSAGES_VIEW),
    "thread_new": Member(MESSAGES_SEND, GET_POST, body=_recipient),
    "thread_recipients": Member(MESSAGES_SEND, query={"q": "Matrix"}),
    "thread_detail": Member(MESSAGES_VIEW),
    "thread_post": Member(MESSAGES_SEND, POST, body={"body": "A message from the matrix"}),
    "thread_messages": Member(MESSAGES_VIEW, query={"after": 0}),
    "thread_unread": Member(MESSAGES_VIEW, POST),
    "thread_party_add": Member(MESSAGES_SEND, POST, body=_party_form),
    # an act turns a direct conversation into an inquiry (the world's thread is with a promoter); a fresh
    # conversation each time, since one linked to a booking is linked for good
    "thread_inquiry": Member(BOOKINGS_MANAGE, GET_POST, kinds=ACTS, fresh=("thread_id",),
                             body={"message": "Matrix", "currency": "EUR"}),
    "thread_attachment": Member(MESSAGES_VIEW),
    # A booking's conversation: opened (made) by its parties; support conversations need a headliner,
    # which only the act world's booking has.
    "booking_thread_open": Member(MESSAGES_VIEW, POST),
    "internal_channel": Member(MESSAGES_VIEW),
    "internal_thread_new": Member(MESSAGES_SEND, GET_POST, body=_internal),
    "support_thread_new": Member(MESSAGES_SEND, GET_POST, kinds=ACTS, body=_support_form),
}

API: dict = {
    ("GET", "/api/v1/workspaces/{workspace_id}/threads"): Member(MESSAGES_VIEW, query={"kind": "direct"}),
    ("POST", "/api/v1/workspaces/{workspace_id}/threads"): Member(MESSAGES_SEND, POST, body=_direct_json),
    ("GET", "/api/v1/threads/{thread_id}"): Member(MESSAGES_VIEW),
    ("GET", "/api/v1/threads/{thread_id}/messages"): Member(MESSAGES_VIEW, query={"after": 0}),
    ("POST", "/api/v1/threads/{thread_id}/messages"): Member(MESSAGES_SEND, POST, body={"body": "From the matrix"}),
    # multipart; a JSON call reaches the access check and is refused (422: no message) only if allowed
    ("POST", "/api/v1/threads/{thread_id}/messages/upload"): Member(MESSAGES_SEND, POST, body={}),
    ("POST", "/api/v1/threads/{thread_id}/read"): Member(MESSAGES_VIEW, POST),
    ("POST", "/api/v1/threads/{thread_id}/parties"): Member(MESSAGES_SEND, POST, body=_party_json),
    ("GET", "/api/v1/threads/{thread_id}/attachments/{attachment_id}"): Member(MESSAGES_VIEW),
    ("GET", "/api/v1/bookings/{booking_id}/thread"): Member(MESSAGES_VIEW),
    ("POST", "/api/v1/bookings/{booking_id}/support-threads"): Member(MESSAGES_SEND, POST, kinds=ACTS, body=_support_json),
    ("GET", "/api/v1/me/threads/unread"): LoggedIn(GET),
    ("GET", "/api/v1/workspaces/{workspace_id}/internal-channel"): Member(MESSAGES_VIEW),
    ("GET", "/api/v1/workspaces/{workspace_id}/internal-threads"): Member(MESSAGES_VIEW),
    ("POST", "/api/v1/workspaces/{workspace_id}/internal-threads"): Member(MESSAGES_SEND, POST, body=_internal),
}
