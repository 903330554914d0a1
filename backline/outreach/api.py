"""The outreach API (mounted in backline/config/api.py): templates, merge fields, preview and send,
sent emails with their tracking events, the sender identity, and the follow-up drafts waiting."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from backline.accounts.permissions import OUTREACH_MANAGE, OUTREACH_SEND, access_workspace
from backline.core.api import ERROR_RESPONSES, LIMITED_RESPONSES
from backline.core.api.types import Id, PositiveInt32
from backline.core.openapi import keep_operation_ids
from backline.mail.models import EmailStatus
from backline.mail.services import outbox, senders

from . import merge_fields, selectors
from .models import TemplateKind
from .permissions import access_email, access_template
from .services import email_templates, sending

router = Router(tags=["outreach"])


# --- schemas -------------------------------------------------------------------------------------------

class TemplateOut(Schema):
    id: int
    workspace_id: int
    name: str
    kind: TemplateKind
    subject: str
    body: str
    follow_up_days: int | None
    follow_up_template_id: int | None
    is_archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class TemplateIn(Schema):
    name: str = Field(max_length=100)
    subject: str = Field(max_length=200, description="Merge fields allowed, e.g. {{ act }} at {{ venue }}")
    body: str = Field(max_length=10000, description="Plain text or Markdown with merge fields")
    kind: TemplateKind = TemplateKind.CUSTOM
    follow_up_days: PositiveInt32 | None = Field(None, description="No reply after this many days: a follow-up draft")
    follow_up_template_id: Id | None = Field(None, description="The template the follow-up draft is written from")


class TemplatePatch(Schema):
    name: str | None = Field(None, max_length=100)
    subject: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=10000)
    kind: TemplateKind | None = None
    follow_up_days: PositiveInt32 | None = None
    follow_up_template_id: Id | None = None


class ArchiveIn(Schema):
    archived: bool = Field(True, description="false restores an archived template")


class TemplateFilters(Schema):
    archived: bool | None = Field(False, description="true: only archived; leave out for active ones")


class FieldOut(Schema):
    name: str
    label: str
    help: str
    example: str


class RecipientIn(Schema):
    contact_id: Id | None = Field(None, description="One of the workspace's contacts (with an email address)")
    email: str | None = Field(None, max_length=254, description="Or an address")
    name: str = Field("", max_length=200)


class ComposeIn(Schema):
    recipients: list[RecipientIn] = Field(description="Contacts and/or addresses; one email each")
    booking_id: Id | None = Field(None, description="The booking (or inquiry) the email is about")
    template_id: Id | None = None
    draft_id: Id | None = Field(None, description="A follow-up draft to send (it is used up)")
    subject: str | None = Field(None, max_length=200, description="Instead of the template's (or the draft's)")
    body: str | None = Field(None, max_length=10000, description="Instead of the template's (or the draft's)")


class SendIn(ComposeIn):
    skip_refused: bool = Field(False, description="Send to the others when some addresses bounced or opted out")


class MissingOut(Schema):
    field: str
    reason: str


class PreviewEmailOut(Schema):
    to_email: str
    to_name: str
    contact_id: int | None
    subject: str
    body: str = Field(description="The Markdown text that is sent (values filled in and escaped)")
    body_html: str = Field(description="How it reads; fields with no value are marked")
    missing: list[MissingOut]
    refused: str | None = Field(description="Why this address may not be written to, if it may not")
    ready: bool


class PreviewOut(Schema):
    from_name: str
    from_email: str
    emails: list[PreviewEmailOut]
    ready: int = Field(description="How many would be sent")
    refused: int
    remaining_this_hour: int
    retry_after: int = Field(description="Seconds until more fit, when none do")
    warnings: list[str]


class EmailOut(Schema):
    id: int
    status: EmailStatus
    to_email: str
    to_name: str
    subject: str
    template_id: int | None
    booking_id: int | None
    contact_id: int | None
    thread_id: int | None
    follow_up_of_id: int | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    opened_at: dt.datetime | None
    replied_at: dt.datetime | None
    bounced_at: dt.datetime | None
    complained_at: dt.datetime | None
    follow_up_due_at: dt.datetime | None
    last_error: str


class EmailEventOut(Schema):
    event_type: str
    occurred_at: dt.datetime
    provider: str
    recipient: str
    description: str


class EmailDetailOut(EmailOut):
    from_name: str
    from_email: str
    reply_to: str
    body_text: str
    attempts: int
    events: list[EmailEventOut]


class SendOut(Schema):
    count: int
    emails: list[EmailOut]


class EmailFilters(Schema):
    status: list[EmailStatus] | None = Field(None, description="Repeat for several")
    template_id: Id | None = None
    recipient: str | None = Field(None, max_length=100, description="Part of the address or name")
    booking_id: Id | None = None
    contact_id: Id | None = None


class SenderOut(Schema):
    from_name: str
    from_email: str
    signature: str
    hourly_limit: int | None = Field(description="The workspace's own limit; null: the site's")
    effective_hourly_limit: int
    site_hourly_limit: int
    is_default: bool
    remaining_this_hour: int


class SenderIn(Schema):
    from_name: str = Field(max_length=100)
    from_email: str = Field(max_length=254)
    signature: str = Field("", max_length=2000)
    hourly_limit: PositiveInt32 | None = None


# --- templates -------------------------------------------------------------------------------------------

@router.get("/email-templates/fields", response={200: list[FieldOut], **ERROR_RESPONSES})
def merge_field_list(request):
    """The merge fields a template may use, as ``{{ name }}``."""
    return [{"name": f.name, "label": f.label, "help": f.help, "example": f.example} for f in merge_fields.FIELDS]


@router.get("/workspaces/{workspace_id}/email-templates", response={200: list[TemplateOut], **ERROR_RESPONSES})
def template_list(request, workspace_id: int, filters: Query[TemplateFilters]):
    """The workspace's templates (the defaults are made the first time)."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=OUTREACH_SEND)
    email_templates.templates_seed(workspace=access.workspace)
    return list(selectors.templates_for(access.workspace, archived=filters.archived))


@router.post("/workspaces/{workspace_id}/email-templates", response={201: TemplateOut, **ERROR_RESPONSES})
def template_create(request, workspace_id: int, payload: TemplateIn):
    """A new template; unknown merge fields are refused (422) with the list of known ones."""
    return 201, email_templates.template_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())


@router.get("/email-templates/{template_id}", response={200: TemplateOut, **ERROR_RESPONSES})
def template_get(request, template_id: int):
    return access_template(user=request.auth, template_id=template_id).template


@router.patch("/email-templates/{template_id}", response={200: TemplateOut, **ERROR_RESPONSES})
def template_patch(request, template_id: int, payload: TemplatePatch):
    return email_templates.template_update(actor=request.auth, template_id=template_id, **payload.dict(exclude_unset=True))


@router.post("/email-templates/{template_id}/archive", response={200: TemplateOut, **ERROR_RESPONSES})
def template_archive(request, template_id: int, payload: ArchiveIn | None = None):
    """Archive (or with ``archived: false`` restore) a template."""
    return email_templates.template_archive(actor=request.auth, template_id=template_id,
                                     archived=payload.archived if payload else True)


# --- compose -------------------------------------------------------------------------------------------

def _recipients(payload: ComposeIn) -> list[sending.Recipient]:
    return [sending.Recipient(contact_id=r.contact_id, email=r.email or "", name=r.name) for r in payload.recipients]


def _compose_args(payload: ComposeIn) -> dict:
    return {"booking_id": payload.booking_id, "template_id": payload.template_id, "draft_id": payload.draft_id,
            "subject": payload.subject, "body": payload.body}


@router.post("/workspaces/{workspace_id}/outreach/preview", response={200: PreviewOut, **ERROR_RESPONSES})
def outreach_preview(request, workspace_id: int, payload: ComposeIn):
    """Each recipient's email as it would be sent, fields with no value, refused addresses, and how many
    more emails fit this hour. Nothing is sent."""
    c = sending.outreach_prepare(actor=request.auth, workspace_id=workspace_id, recipients=_recipients(payload),
                                  **_compose_args(payload))
    return {
        "from_name": c.sender.from_name, "from_email": c.sender.from_email, "remaining_this_hour": c.remaining,
        "retry_after": c.retry_after, "warnings": c.warnings, "ready": len([o for o in c.outgoing if o.ok]),
        "refused": len(c.refused),
        "emails": [{"to_email": o.to_email, "to_name": o.to_name, "contact_id": o.contact.pk if o.contact else None,
                    "subject": o.subject, "body": o.body, "body_html": merge_fields.preview_html(c.body, o.values),
                    "missing": [{"field": k, "reason": v} for k, v in o.missing.items()], "refused": o.refused or None,
                    "ready": o.ok} for o in c.outgoing],
    }


@router.post("/workspaces/{workspace_id}/outreach/send", response={201: SendOut, **LIMITED_RESPONSES})
def outreach_send(request, workspace_id: int, payload: SendIn):
    """Send one email per recipient, all or nothing. 422 ``recipients_refused`` lists addresses that
    bounced or opted out (send again with ``skip_refused``); 422 ``merge_field_missing`` names fields
    with no value; 429 (with ``Retry-After``) when the workspace's hourly limit would be passed."""
    emails = sending.outreach_send(actor=request.auth, workspace_id=workspace_id, recipients=_recipients(payload),
                                    skip_refused=payload.skip_refused, **_compose_args(payload))
    return 201, {"count": len(emails), "emails": emails}


# --- sent emails -------------------------------------------------------------------------------------------

@router.get("/workspaces/{workspace_id}/emails", response={200: list[EmailOut], **ERROR_RESPONSES})
@paginate
def email_list(request, workspace_id: int, filters: Query[EmailFilters]):
    """The workspace's outreach emails, newest first, with their status."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=OUTREACH_SEND)
    return selectors.emails_for(access.workspace, status=[str(s) for s in filters.status or []] or None,
                                template_id=filters.template_id, recipient=filters.recipient,
                                booking_id=filters.booking_id, contact_id=filters.contact_id)


@router.get("/emails/{email_id}", response={200: EmailDetailOut, **ERROR_RESPONSES})
def email_get(request, email_id: int):
    """One email with its tracking events (delivered, opened, bounced… as the provider reported them)."""
    email = selectors.email_detail(access_email(user=request.auth, email_id=email_id).email)
    return {**{f: getattr(email, f) for f in EmailDetailOut.model_fields if f != "events"},
            "events": list(email.events.all())}


@router.post("/emails/{email_id}/discard", response={200: EmailOut, **ERROR_RESPONSES})
def draft_discard(request, email_id: int):
    """Throw away a follow-up draft (409 if it is not a draft)."""
    return sending.draft_discard(actor=request.auth, email_id=email_id)


@router.get("/workspaces/{workspace_id}/follow-ups", response={200: list[EmailDetailOut], **ERROR_RESPONSES})
def follow_up_list(request, workspace_id: int):
    """The follow-up drafts waiting to be checked and sent (send one with ``draft_id``), oldest first."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=OUTREACH_SEND)
    drafts = list(selectors.follow_up_drafts_for(access.workspace)[:200])
    return [{**{f: getattr(d, f) for f in EmailDetailOut.model_fields if f != "events"}, "events": []} for d in drafts]


# --- the sender identity -------------------------------------------------------------------------------------

def _sender_out(workspace) -> dict:
    view = senders.sender_identity_of(workspace)
    remaining, _ = outbox.hourly_allowance(workspace_id=workspace.pk)
    return {"from_name": view.from_name, "from_email": view.from_email, "signature": view.signature,
            "hourly_limit": view.hourly_limit, "effective_hourly_limit": view.effective_limit,
            "site_hourly_limit": view.site_limit, "is_default": view.is_default, "remaining_this_hour": remaining}


@router.get("/workspaces/{workspace_id}/sender-identity", response={200: SenderOut, **ERROR_RESPONSES})
def sender_get(request, workspace_id: int):
    """Who the workspace's outreach comes from, and how many more emails fit this hour."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=OUTREACH_SEND)
    return _sender_out(access.workspace)


@router.put("/workspaces/{workspace_id}/sender-identity", response={200: SenderOut, **ERROR_RESPONSES})
def sender_put(request, workspace_id: int, payload: SenderIn):
    """Set the from name and address (one line each), the signature and an hourly limit no higher than
    the site's."""
    senders.sender_identity_set(actor=request.auth, workspace_id=workspace_id, **payload.dict())
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=OUTREACH_MANAGE)
    return _sender_out(access.workspace)


keep_operation_ids(router, "backline.messaging.api_outreach")  # where these operations were first published (ADR 0009)
