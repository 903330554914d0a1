"""The contacts API (mounted in backline/config/api.py): the workspace's contacts book, each contact's
communication history, possible duplicates and merging, CSV import and export."""

import datetime as dt
from typing import Literal

from django.http import StreamingHttpResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backline.accounts.permissions import CONTACTS_MANAGE, CONTACTS_VIEW, MESSAGES_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES, Problem, problem
from backline.core.api.types import Id
from backline.core.openapi import keep_operation_ids
from backline.mail.models import EmailStatus

from . import selectors, services
from .csv_files import ImportRefused, contacts_import, export_filename, export_lines
from .models import ContactRole
from .permissions import access_contact
from .services import MAX_LENGTHS, MAX_TAGS

router = Router(tags=["contacts"])


class ContactOut(Schema):
    id: int
    workspace_id: int
    name: str
    role: ContactRole
    organisation: str
    email: str
    phone: str
    city: str
    tags: list[str] = Field(description="lower-case, sorted")
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list


class ContactIn(Schema):
    name: str = Field(max_length=MAX_LENGTHS["name"])
    role: ContactRole = ContactRole.OTHER
    organisation: str = Field("", max_length=MAX_LENGTHS["organisation"])
    email: str = Field("", max_length=MAX_LENGTHS["email"], description="unique in the workspace (case-insensitive)")
    phone: str = Field("", max_length=MAX_LENGTHS["phone"], description="digits, spaces and + - ( ) . / only")
    city: str = Field("", max_length=MAX_LENGTHS["city"])
    tags: list[str] = Field([], description=f"at most {MAX_TAGS}; lower-cased, trimmed and deduplicated; no commas")
    notes: str = Field("", max_length=MAX_LENGTHS["notes"])


class ContactPatchIn(Schema):
    name: str | None = Field(None, max_length=MAX_LENGTHS["name"])
    role: ContactRole | None = None
    organisation: str | None = Field(None, max_length=MAX_LENGTHS["organisation"])
    email: str | None = Field(None, max_length=MAX_LENGTHS["email"])
    phone: str | None = Field(None, max_length=MAX_LENGTHS["phone"])
    city: str | None = Field(None, max_length=MAX_LENGTHS["city"])
    tags: list[str] | None = Field(None, description="replaces the contact's tags")
    notes: str | None = Field(None, max_length=MAX_LENGTHS["notes"])


class ContactFilters(Schema):
    q: str = Field("", max_length=selectors.MAX_QUERY_LENGTH,
                   description="every word must appear in the name, organisation, email or city")
    role: ContactRole | None = None
    tag: str | None = Field(None, max_length=40)
    sort: Literal["name", "-name", "organisation", "city", "newest", "updated"] = "name"


class HistoryItemOut(Schema):
    kind: Literal["thread", "email", "message"] = Field(
        description="thread: a conversation the contact is a party to; email: outreach sent to them; "
                    "message: something they wrote")
    at: dt.datetime
    title: str
    text: str = Field(description="a thread's kind and size, an email's recipient, or the message (shortened)")
    status: EmailStatus | None = Field(None, description="an email's tracking status")
    thread_id: int | None
    email_id: int | None
    message_id: int | None

    @staticmethod
    def resolve_status(obj):
        return obj.status or None


class DuplicateGroupOut(Schema):
    reasons: list[Literal["email", "name"]] = Field(description="email: the same address; name: the same name and "
                                                                "organisation (ignoring case, accents and punctuation)")
    key: str
    contacts: list[ContactOut] = Field(description="oldest first: the natural one to keep")


class MergeIn(Schema):
    other_id: Id = Field(description="the contact merged into this one (and then deleted)")


class TagCountOut(Schema):
    tag: str
    count: int


class RowErrorOut(Schema):
    row: int | None = Field(None, description="the row as in the file (the header is row 1); null or absent for "
                                              "the whole file or a refused parameter")
    field: str = Field(description="the column (name, email…), 'file', or '' for the whole row")
    message: str


class ImportProblem(Problem):
    errors: list[RowErrorOut]


class SkippedRowOut(Schema):
    row: int
    email: str
    existing: dict


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    skipped: int
    dry_run: bool
    ignored_columns: list[str]
    skipped_rows: list[SkippedRowOut]


# Multipart parameters (module-level: a call in a default argument is evaluated once anyway).
_FILE = File(None, description="the CSV file")
_ON_DUPLICATE = Form("error", description="a row whose email is already in the book: error, skip or update")
_DRY_RUN = Form(False, description="check the file and answer the counts without importing")


def _workspace(request, workspace_id: int, capability: str = CONTACTS_VIEW):
    return access_workspace(user=request.auth, workspace_id=workspace_id, capability=capability)


@router.get("/workspaces/{workspace_id}/contacts", response={200: list[ContactOut], **ERROR_RESPONSES})
@paginate
def contact_list(request, workspace_id: int, filters: Query[ContactFilters]):
    """The workspace's contacts, filtered by ``q``, ``role`` and ``tag`` and sorted, in pages."""
    ws = _workspace(request, workspace_id).workspace
    return selectors.contacts_for(ws.pk, q=filters.q, role=filters.role, tag=filters.tag, sort=filters.sort)


@router.post("/workspaces/{workspace_id}/contacts", response={201: ContactOut, **ERROR_RESPONSES})
def contact_create(request, workspace_id: int, payload: ContactIn):
    """Add a contact. An email already in the book is a 409 whose ``conflicting`` names that contact."""
    return 201, services.contact_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())


@router.get("/workspaces/{workspace_id}/contacts/tags", response={200: list[TagCountOut], **ERROR_RESPONSES})
def contact_tags(request, workspace_id: int):
    """Every tag in the book with how many contacts carry it, most used first."""
    ws = _workspace(request, workspace_id).workspace
    return [{"tag": t, "count": n} for t, n in selectors.tag_counts(ws.pk)]


@router.get("/workspaces/{workspace_id}/contacts/duplicates", response={200: list[DuplicateGroupOut], **ERROR_RESPONSES})
def contact_duplicates(request, workspace_id: int):
    """Groups of contacts that are probably one person (merge them with ``POST /contacts/{id}/merge``)."""
    ws = _workspace(request, workspace_id).workspace
    return selectors.duplicate_groups(ws.pk)


@router.post("/workspaces/{workspace_id}/contacts/import", response={201: ImportOut, 422: ImportProblem,
                                                                      **{k: v for k, v in ERROR_RESPONSES.items()
                                                                         if k != 422}})
def contact_import(request, workspace_id: int, file: UploadedFile | None = _FILE,
                   on_duplicate: Literal["error", "skip", "update"] = _ON_DUPLICATE, dry_run: bool = _DRY_RUN):
    """Import a CSV file (multipart field ``file``): UTF-8 with or without BOM, comma- or
    semicolon-separated, a header row naming the columns (name required; role,
    organisation/organization/company, email, phone, city, tags, notes). All or nothing: any error
    answers 422 with ``errors`` listing ``{row, field, message}`` (row as in the file, the header is
    row 1) and nothing is written. ``on_duplicate`` says what a row whose email is already in the book
    does: ``error`` (default), ``skip``, or ``update``. ``dry_run`` checks without writing."""
    _workspace(request, workspace_id, CONTACTS_MANAGE)
    if file is None:
        return problem(request, status=422, code="validation_error", detail="Send the CSV file in the field “file”.",
                       errors=[{"row": None, "field": "file", "message": "This field is required."}])
    try:
        result = contacts_import(actor=request.auth, workspace_id=workspace_id, file=file, filename=file.name or "",
                                 on_duplicate=on_duplicate, dry_run=dry_run)
    except ImportRefused as exc:
        return problem(request, status=422, code=exc.code, detail=exc.detail, title=exc.title,
                       errors=exc.extra["rows"])
    return 201, result


@router.get("/workspaces/{workspace_id}/contacts/export", response={200: None, **ERROR_RESPONSES},
            openapi_extra={"responses": {200: {"description": "The contacts as CSV (UTF-8 with BOM, a header row)",
                                               "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def contact_export(request, workspace_id: int, filters: Query[ContactFilters]):
    """The (filtered) book as CSV, streamed; the columns import reads back. Cells that start like a
    formula (= + - @, tab, carriage return) get a leading ``'``."""
    ws = _workspace(request, workspace_id).workspace
    qs = selectors.contacts_for(ws.pk, q=filters.q, role=filters.role, tag=filters.tag, sort=filters.sort)
    response = StreamingHttpResponse(export_lines(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(ws)}"'
    return response


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERROR_RESPONSES})
def contact_get(request, contact_id: int):
    return access_contact(user=request.auth, contact_id=contact_id, capability=CONTACTS_VIEW)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERROR_RESPONSES})
def contact_update(request, contact_id: int, payload: ContactPatchIn):
    """Change the fields given (``tags`` replaces the list). An email of another contact is a 409."""
    changes = payload.dict(exclude_unset=True)
    return services.contact_update(actor=request.auth, contact_id=contact_id,
                                   **{k: v for k, v in changes.items() if v is not None or k == "tags"})


@router.delete("/contacts/{contact_id}", response={204: None, **ERROR_RESPONSES})
def contact_delete(request, contact_id: int):
    """Delete a contact; its conversations stay in the workspace's inbox."""
    services.contact_delete(actor=request.auth, contact_id=contact_id)
    return 204, None


@router.get("/contacts/{contact_id}/history", response={200: list[HistoryItemOut], **ERROR_RESPONSES})
@paginate
def contact_history(request, contact_id: int):
    """Everything between the workspace and this contact, newest first: conversations they are in,
    outreach emails sent to them (with tracking status) and messages they wrote."""
    contact = access_contact(user=request.auth, contact_id=contact_id, capability=CONTACTS_VIEW)
    return selectors.contact_history(contact, with_bodies=contact.access.can(MESSAGES_VIEW))


@router.post("/contacts/{contact_id}/merge", response={200: ContactOut, **ERROR_RESPONSES})
def contact_merge(request, contact_id: int, payload: MergeIn):
    """Merge ``other_id`` into this contact: empty fields are filled from it, tags united, notes
    joined, its conversations, messages and emails moved here; then it is deleted. An ``other_id``
    that is not a contact of the same workspace is a 422."""
    return services.contact_merge(actor=request.auth, contact_id=contact_id, other_id=payload.other_id)


keep_operation_ids(router, "backline.messaging.api_contacts")  # where these operations were first published (ADR 0009)
