"""The email API (mounted in backline/config/api.py): a workspace's held incoming mail, released into
its conversation or discarded. (The provider's webhooks are plain web routes: /webhooks/email/...)"""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from backline.accounts.permissions import OUTREACH_MANAGE, access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.openapi import keep_operation_ids

from . import selectors
from .models import QuarantineReason, QuarantineStatus
from .services import held

router = Router(tags=["email"])


class QuarantineOut(Schema):
    id: int
    reason: QuarantineReason = Field(description="no_token, unknown_token or stranger (the sender is not part of the thread)")
    status: QuarantineStatus
    received_at: dt.datetime
    from_email: str
    from_name: str
    to: str
    subject: str
    text: str = Field(description="the email's text as received (plain text; HTML mail reduced to text)")
    thread_id: int | None = Field(description="the conversation whose reply address it was sent to")
    thread_subject: str | None = None
    decided_by_id: int | None = None
    decided_at: dt.datetime | None = None

    @staticmethod
    def resolve_thread_subject(obj):
        return obj.thread.subject if obj.thread_id and obj.thread else None


class QuarantineFilters(Schema):
    status: QuarantineStatus | None = Field(QuarantineStatus.PENDING, description="pending (the default), released or discarded")


class ReleaseIn(Schema):
    add_contact: bool = Field(False, description="also add the sender to the workspace's contacts and to the "
                                                 "conversation, so their next replies arrive directly")


class ReleaseOut(Schema):
    held: QuarantineOut
    message_id: int = Field(description="the message posted to the conversation")
    thread_id: int


@router.get("/workspaces/{workspace_id}/quarantine", response={200: list[QuarantineOut], **ERROR_RESPONSES})
@paginate
def quarantine_list(request, workspace_id: int, filters: Query[QuarantineFilters]):
    """Email held for the workspace's review (outreach.manage): replies to its conversations from
    people who are not part of them. Newest first; pending ones unless ``status`` says otherwise."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=OUTREACH_MANAGE)
    return selectors.quarantine_list_for(access.workspace, status=filters.status)


@router.post("/quarantine/{quarantine_id}/release", response={200: ReleaseOut, **ERROR_RESPONSES})
def quarantine_release(request, quarantine_id: int, payload: ReleaseIn | None = None):
    """Post the held email to its conversation as received from its sender. 409 when it was already
    released or discarded."""
    item, message = held.quarantine_release(actor=request.auth, quarantine_id=quarantine_id,
                                                  add_contact=bool(payload and payload.add_contact))
    return {"held": item, "message_id": message.pk, "thread_id": message.thread_id}


@router.post("/quarantine/{quarantine_id}/discard", response={200: QuarantineOut, **ERROR_RESPONSES})
def quarantine_discard(request, quarantine_id: int):
    """Discard the held email (it stays listed as discarded). 409 when it was already decided."""
    return held.quarantine_discard(actor=request.auth, quarantine_id=quarantine_id)


keep_operation_ids(router, "backline.messaging.api_email")  # where these operations were first published (ADR 0009)
