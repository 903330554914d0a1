"""Authorisation table entries for outreach's (merged into table.WEB and table.API).

Reading and sending need outreach.send (owner, admin, coordinator); templates and the sender identity
need outreach.manage (owner, admin). A send in the matrix really queues an email (to a new address each
time, well within the hourly limit)."""

from __future__ import annotations

from backline.accounts.permissions import OUTREACH_MANAGE, OUTREACH_SEND

from .table import *  # noqa: F403  (the rule types, kinds and helpers)
from .table import GET_POST, POST, LoggedIn, Member, unique, unique_email


class _NewName:
    """A template name that is new each time a request is encoded: the matrix builds a route's form body
    once per kind and posts it as every role, and template names are unique within a workspace."""

    def __str__(self) -> str:
        return unique("Template")


SEND_FORM = lambda: {"to": unique_email(), "subject": "Hello", "body": "Hi {{ workspace }}"}  # noqa: E731
SEND_JSON = lambda: {"recipients": [{"email": unique_email(), "name": "Matrix Person"}], "subject": "Hello",  # noqa: E731
                     "body": "Hi {{ contact_first_name }}"}
TEMPLATE_FORM = lambda: {"name": _NewName(), "kind": "custom", "subject": "Hi {{ act }}",  # noqa: E731
                         "body": "Hello {{ contact_first_name }}", "follow_up_days": "", "follow_up_template": ""}
TEMPLATE_JSON = lambda: {"name": unique("Template"), "subject": "Hi {{ act }}", "body": "Hello {{ contact_name }}"}  # noqa: E731
SENDER_FORM = {"from_name": "Matrix sender", "from_email": "matrix@example.org", "signature": "Matrix", "hourly_limit": ""}
SENDER_JSON = {"from_name": "Matrix sender", "from_email": "matrix@example.org", "signature": "Matrix"}

WEB: dict = {
    "outreach_email_list": Member(OUTREACH_SEND),
    "outreach_email_detail": Member(OUTREACH_SEND),
    # The matrix's email is queued, not a draft: allowed callers are sent back with "only a draft…".
    "outreach_draft_discard": Member(OUTREACH_SEND, POST),
    "outreach_compose": Member(OUTREACH_SEND, GET_POST, body=SEND_FORM),
    "outreach_preview": Member(OUTREACH_SEND, POST, body=SEND_FORM),
    "outreach_template_list": Member(OUTREACH_SEND),
    "outreach_template_new": Member(OUTREACH_MANAGE, GET_POST, body=TEMPLATE_FORM),
    "outreach_template_preview": Member(OUTREACH_MANAGE, POST, body=TEMPLATE_FORM),
    "outreach_template_edit": Member(OUTREACH_MANAGE, GET_POST, body=TEMPLATE_FORM),
    "outreach_template_archive": Member(OUTREACH_MANAGE, POST),
    "outreach_template_duplicate": Member(OUTREACH_MANAGE, POST),
    "outreach_sender": Member(OUTREACH_MANAGE, GET_POST, body=SENDER_FORM),
}

API: dict = {
    ("GET", "/api/v1/email-templates/fields"): LoggedIn(),  # the merge field list, nobody's data
    ("GET", "/api/v1/workspaces/{workspace_id}/email-templates"): Member(OUTREACH_SEND, query={"archived": "false"}),
    ("POST", "/api/v1/workspaces/{workspace_id}/email-templates"): Member(OUTREACH_MANAGE, POST, body=TEMPLATE_JSON),
    ("GET", "/api/v1/email-templates/{template_id}"): Member(OUTREACH_SEND),
    ("PATCH", "/api/v1/email-templates/{template_id}"): Member(OUTREACH_MANAGE, ("PATCH",),
                                                              body={"subject": "New {{ act }}"}),
    ("POST", "/api/v1/email-templates/{template_id}/archive"): Member(OUTREACH_MANAGE, POST, body={"archived": True}),
    ("POST", "/api/v1/workspaces/{workspace_id}/outreach/preview"): Member(OUTREACH_SEND, POST, body=SEND_JSON),
    ("POST", "/api/v1/workspaces/{workspace_id}/outreach/send"): Member(OUTREACH_SEND, POST, body=SEND_JSON),
    ("GET", "/api/v1/workspaces/{workspace_id}/emails"): Member(OUTREACH_SEND, query={"status": "queued"}),
    ("GET", "/api/v1/emails/{email_id}"): Member(OUTREACH_SEND),
    # Not a draft: 409 for allowed callers.
    ("POST", "/api/v1/emails/{email_id}/discard"): Member(OUTREACH_SEND, POST, body={}),
    ("GET", "/api/v1/workspaces/{workspace_id}/follow-ups"): Member(OUTREACH_SEND),
    ("GET", "/api/v1/workspaces/{workspace_id}/sender-identity"): Member(OUTREACH_SEND),
    ("PUT", "/api/v1/workspaces/{workspace_id}/sender-identity"): Member(OUTREACH_MANAGE, ("PUT",), body=SENDER_JSON),
}
