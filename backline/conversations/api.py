"""The conversations API: a workspace's threads (its inbox), a thread's messages and files, starting
direct, support and internal conversations, a workspace's team channel, a booking's conversation, read
marks and unread counts.

A thread is reached through ``access_thread``: the caller must be a member of one of its party
workspaces whose role holds the capability (messages.view to read, messages.send to write); anyone
else gets 404, exactly as for a missing thread. Live clients poll ``GET /threads/{id}/messages?after=<id>``."""


import datetime as dt

from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backline.accounts.permissions import MESSAGES_SEND, MESSAGES_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES, LIMITED_RESPONSES
from backline.core.api.types import Id
from backline.core.errors import NotFound
from backline.core.openapi import keep_operation_ids

from . import selectors
from . import services as threads
from .attachments import download_response
from .models import Attachment, Message, MessageSource, Thread, ThreadKind
from .permissions import ThreadAccess, access_thread

router = Router(tags=["threads"])


class PartyOut(Schema):
    workspace_id: int | None = Field(None, description="a workspace party (its members read the thread)")
    workspace_name: str = ""
    workspace_kind: str = ""
    contact_id: int | None = Field(None, description="an outside contact (email threads)")
    contact_name: str = ""
    contact_email: str = ""
    joined_at: dt.datetime = Field(description="the party reads what was written from then on")


class LastMessageOut(Schema):
    author_name: str
    preview: str
    created_at: dt.datetime


class ThreadOut(Schema):
    id: int
    kind: ThreadKind
    subject: str
    booking_id: int | None
    started_by_workspace_id: int
    created_at: dt.datetime
    last_message_at: dt.datetime
    unread: int = Field(description="messages by others you have not read (since your workspace joined)")
    email_status: str | None = Field(None, description="email threads: the status of the latest outreach email")
    parties: list[PartyOut]
    last_message: LastMessageOut | None = None
    url: str = Field(description="the thread's page on this site, as this workspace sees it")
    is_channel: bool = Field(False, description="internal threads: the workspace's team channel (every member)")


class ThreadDetailOut(ThreadOut):
    as_workspace_id: int = Field(description="the party workspace you read and write this thread as")
    can_send: bool


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str = Field(description="the API download address (access-checked; served as an attachment)")


class MessageOut(Schema):
    id: int
    thread_id: int
    source: MessageSource = Field(description="app, email_out (sent as outreach) or email_in (a reply by email)")
    author_id: int | None
    author_name: str
    author_email: str
    author_workspace_id: int | None
    author_workspace_name: str = ""
    author_contact_id: int | None
    body: str = Field(description="as written: plain text or Markdown")
    body_html: str = Field(description="the body rendered and sanitised (nh3); raw HTML never survives")
    created_at: dt.datetime
    email_status: str | None = Field(None, description="email_out messages: the email's status")
    attachments: list[AttachmentOut]


class ThreadFilters(Schema):
    kind: ThreadKind | None = None
    unread: bool | None = Field(None, description="true: only threads with something unread; false: only read ones")
    q: str | None = Field(None, max_length=100, description="words in the subject or a party's name")
    booking_id: Id | None = None


class MessageFilters(Schema):
    after: Id | None = Field(None, description="only messages with a larger id (what a live client has not seen)")


class DirectThreadIn(Schema):
    to: list[Id] = Field(description="the workspace ids to write to (any kind; at most 10)")
    subject: str = Field(max_length=200)
    body: str = Field(max_length=threads.MAX_BODY, description="plain text or Markdown")


class InternalThreadIn(Schema):
    subject: str = Field(max_length=200)
    body: str = Field(max_length=threads.MAX_BODY, description="plain text or Markdown")
    members: list[Id] = Field(default_factory=list,
                              description="user ids of the workspace's members to include (you are always in it); "
                                          "empty: everyone in the workspace, now and later")


class SupportThreadIn(Schema):
    to: list[Id] = Field(description="the support acts' workspace ids (acts; at most 10)")
    subject: str = Field("", max_length=200, description="defaults to “<booking title>: support”")
    body: str = Field(max_length=threads.MAX_BODY)
    include_buyer: bool = Field(False, description="the headliner may bring the buyer in (a buyer who starts it is in it)")


class MessageIn(Schema):
    body: str = Field(max_length=threads.MAX_BODY, description="plain text or Markdown, 1 to 20,000 characters")


class PartyIn(Schema):
    workspace_id: Id


class ReadOut(Schema):
    thread_id: int
    unread: int
    last_read_at: dt.datetime


class WorkspaceUnreadOut(Schema):
    workspace_id: int
    slug: str
    name: str
    threads: int
    messages: int


class UnreadOut(Schema):
    count: int = Field(description="threads with something unread, over all your workspaces")
    messages: int = Field(description="unread messages over all your workspaces")
    workspaces: list[WorkspaceUnreadOut]


# --- shaping ---------------------------------------------------------------------------------------

def _party(p) -> dict:
    return {"workspace_id": p.workspace_id, "workspace_name": p.workspace.name if p.workspace else "",
            "workspace_kind": p.workspace.kind if p.workspace else "", "contact_id": p.contact_id,
            "contact_name": p.contact.name if p.contact else "", "contact_email": p.contact.email if p.contact else "",
            "joined_at": p.joined_at}


def _thread(t: Thread, slug: str) -> dict:
    last = None
    if getattr(t, "last_at", None) is not None:
        last = {"author_name": t.last_author or "", "created_at": t.last_at,
                "preview": selectors.plain_preview(t.last_body)}
    return {"id": t.pk, "kind": t.kind, "subject": t.subject, "booking_id": t.booking_id,
            "started_by_workspace_id": t.workspace_id, "created_at": t.created_at, "last_message_at": t.last_message_at,
            "unread": t.unread, "email_status": t.email_status, "parties": [_party(p) for p in t.parties.all()],
            "last_message": last, "url": reverse("thread_detail", args=[slug, t.pk]), "is_channel": t.is_channel}


def _detail(request, ta: ThreadAccess) -> dict:
    row = (selectors.threads_for_workspace(user=request.auth, workspace=ta.workspace).filter(pk=ta.thread.pk).first())
    return {**_thread(row, ta.workspace.slug), "as_workspace_id": ta.workspace.pk, "can_send": ta.can(MESSAGES_SEND)}


def _email_status(m: Message) -> str | None:
    try:
        return m.email.status if m.email else None
    except Message.email.RelatedObjectDoesNotExist:
        return None


def message_out(m: Message) -> dict:
    return {
        "id": m.pk, "thread_id": m.thread_id, "source": m.source, "author_id": m.author_id,
        "author_name": m.author_name, "author_email": m.author_email, "author_workspace_id": m.author_workspace_id,
        "author_workspace_name": m.author_workspace.name if m.author_workspace_id and m.author_workspace else "",
        "author_contact_id": m.author_contact_id, "body": m.body, "body_html": m.body_html, "created_at": m.created_at,
        "email_status": _email_status(m) if m.source == MessageSource.EMAIL_OUT else None,
        "attachments": [{"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "url": f"/api/v1/threads/{m.thread_id}/attachments/{a.pk}"} for a in m.attachments.all()],
    }


def _messages(ta: ThreadAccess, pks: list[int]) -> list[dict]:
    return [message_out(m) for m in selectors.messages_for(ta).filter(pk__in=pks)]


# --- a workspace's threads -------------------------------------------------------------------------

@router.get("/workspaces/{workspace_id}/threads", response={200: list[ThreadOut], **ERROR_RESPONSES})
@paginate
def thread_list(request, workspace_id: int, filters: Query[ThreadFilters]):
    """The workspace's inbox: every thread it is a party to (booking, support, direct and email),
    newest activity first, with your unread count on each. Filter by ``kind``, ``unread``, ``booking_id``
    and search with ``q``."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=MESSAGES_VIEW)
    qs = selectors.threads_for_workspace(user=request.auth, workspace=access.workspace, kind=filters.kind,
                                         unread=filters.unread, q=filters.q, booking_id=filters.booking_id)
    slug = access.workspace.slug
    return _Mapped(qs, lambda t: _thread(t, slug))


class _Mapped:
    """A queryset that the paginator slices and counts, answering each row of the page through ``shape``."""

    def __init__(self, qs, shape):
        self.qs, self.shape = qs, shape

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        rows = self.qs[item]
        return [self.shape(r) for r in rows] if isinstance(item, slice) else self.shape(rows)


@router.post("/workspaces/{workspace_id}/threads", response={201: ThreadDetailOut, **LIMITED_RESPONSES})
def thread_create(request, workspace_id: int, payload: DirectThreadIn):
    """Start a direct conversation from this workspace with other workspaces (``to``), with a subject
    and a first message. At most 60 new conversations per workspace per hour (429 beyond)."""
    thread = threads.direct_thread_start(actor=request.auth, workspace_id=workspace_id, to_workspace_ids=payload.to,
                                         subject=payload.subject, body=payload.body)
    return 201, _detail(request, access_thread(user=request.auth, thread_id=thread.pk, workspace_id=workspace_id))


# --- inside a workspace ------------------------------------------------------------------------------

@router.get("/workspaces/{workspace_id}/internal-channel", response={200: ThreadDetailOut, **ERROR_RESPONSES})
def internal_channel(request, workspace_id: int):
    """The workspace's team channel: one internal thread every member is in (made the first time it is
    asked for). Write in it with ``POST /threads/{thread_id}/messages``."""
    return _detail(request, threads.internal_channel_get(actor=request.auth, workspace_id=workspace_id))


@router.get("/workspaces/{workspace_id}/internal-threads", response={200: list[ThreadOut], **ERROR_RESPONSES})
@paginate
def internal_thread_list(request, workspace_id: int):
    """The workspace's internal conversations you are in (the team channel among them), newest first.
    They never have an outside party and never go out by email."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=MESSAGES_VIEW)
    qs = selectors.threads_for_workspace(user=request.auth, workspace=access.workspace, kind=ThreadKind.INTERNAL)
    slug = access.workspace.slug
    return _Mapped(qs, lambda t: _thread(t, slug))


@router.post("/workspaces/{workspace_id}/internal-threads", response={201: ThreadDetailOut, **ERROR_RESPONSES})
def internal_thread_create(request, workspace_id: int, payload: InternalThreadIn):
    """Start a conversation inside the workspace with a subject and a first message, for everyone
    (``members`` empty) or the members named (user ids of people who may read the workspace's messages)."""
    thread = threads.internal_thread_start(actor=request.auth, workspace_id=workspace_id, subject=payload.subject,
                                           body=payload.body, member_ids=payload.members)
    return 201, _detail(request, access_thread(user=request.auth, thread_id=thread.pk, workspace_id=workspace_id))


# --- one thread ------------------------------------------------------------------------------------

@router.get("/threads/{thread_id}", response={200: ThreadDetailOut, **ERROR_RESPONSES})
def thread_get(request, thread_id: int):
    """A thread with its parties and your unread count."""
    return _detail(request, access_thread(user=request.auth, thread_id=thread_id, capability=MESSAGES_VIEW))


@router.get("/threads/{thread_id}/messages", response={200: list[MessageOut], **ERROR_RESPONSES})
@paginate
def message_list(request, thread_id: int, filters: Query[MessageFilters]):
    """The messages your workspace may see, oldest first (paginated). A live client passes
    ``after=<the last id it has>`` every few seconds and gets only what is new."""
    ta = access_thread(user=request.auth, thread_id=thread_id, capability=MESSAGES_VIEW)
    return _Mapped(selectors.messages_for(ta, after=filters.after), message_out)


@router.post("/threads/{thread_id}/messages", response={201: MessageOut, **ERROR_RESPONSES})
def message_create(request, thread_id: int, payload: MessageIn):
    """Write in the thread (JSON). To attach files, use ``POST /threads/{thread_id}/messages/upload``."""
    message = threads.message_post(actor=request.auth, thread_id=thread_id, body=payload.body)
    ta = access_thread(user=request.auth, thread_id=thread_id, workspace_id=message.author_workspace_id)
    return 201, _messages(ta, [message.pk])[0]


_BODY = Form("", description="the message: plain text or Markdown (may be empty when files are attached)")
_FILES = File(None, description="up to MESSAGE_ATTACHMENTS_PER_MESSAGE files (default 5), each at most "
                                "MESSAGE_ATTACHMENT_MAX_BYTES (default 10 MB): PDF, PNG, JPEG, GIF, WebP, text, CSV, "
                                "iCalendar, Office documents")


@router.post("/threads/{thread_id}/messages/upload", response={201: MessageOut, **ERROR_RESPONSES})
def message_upload(request, thread_id: int, body: str = _BODY, files: list[UploadedFile] | None = _FILES):
    """Write in the thread with files (``multipart/form-data``: ``body`` and one ``files`` part per file).
    Each file's type is checked by its content and must agree with its name; a refused file answers 422
    naming it, and nothing is written."""
    message = threads.message_post(actor=request.auth, thread_id=thread_id, body=body, files=files or [])
    ta = access_thread(user=request.auth, thread_id=thread_id, workspace_id=message.author_workspace_id)
    return 201, _messages(ta, [message.pk])[0]


@router.post("/threads/{thread_id}/read", response={200: ReadOut, **ERROR_RESPONSES})
def thread_read(request, thread_id: int):
    """Mark everything in the thread read (opening it on the web does the same)."""
    ta = access_thread(user=request.auth, thread_id=thread_id, capability=MESSAGES_VIEW)
    read = threads.thread_mark_read(actor=request.auth, access=ta)
    return {"thread_id": ta.thread.pk, "unread": 0, "last_read_at": read.last_read_at}


@router.post("/threads/{thread_id}/parties", response={201: ThreadDetailOut, **ERROR_RESPONSES})
def thread_party_add(request, thread_id: int, payload: PartyIn):
    """Bring another workspace into a direct conversation, or another act into a support conversation;
    it reads what is written from now on."""
    threads.party_add(actor=request.auth, thread_id=thread_id, to_workspace_id=payload.workspace_id)
    return 201, _detail(request, access_thread(user=request.auth, thread_id=thread_id))


@router.get("/threads/{thread_id}/attachments/{attachment_id}", response={200: None, **ERROR_RESPONSES},
            openapi_extra={"responses": {200: {"description": "The file, as an attachment (Content-Disposition), "
                                                              "with the type it was uploaded as",
                                               "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}})
def attachment_download(request, thread_id: int, attachment_id: int):
    """Download a file of a message your workspace may see."""
    ta = access_thread(user=request.auth, thread_id=thread_id, capability=MESSAGES_VIEW)
    attachment = Attachment.objects.filter(pk=attachment_id, message__thread=ta.thread,
                                           message__created_at__gte=ta.party.joined_at).first()
    if attachment is None:
        raise NotFound("No such file.")
    return download_response(attachment)


# --- bookings ---------------------------------------------------------------------------------------

@router.get("/bookings/{booking_id}/thread", response={200: ThreadDetailOut, **ERROR_RESPONSES})
def booking_thread(request, booking_id: int):
    """The booking's conversation among its parties (made the first time it is asked for). The act
    joins once it may see the booking (from the hold on) and reads from then on."""
    ta = threads.booking_thread_get_or_create(actor=request.auth, booking_id=booking_id)
    return _detail(request, ta)


@router.post("/bookings/{booking_id}/support-threads", response={201: ThreadDetailOut, **LIMITED_RESPONSES})
def support_thread_create(request, booking_id: int, payload: SupportThreadIn):
    """Start a conversation between the booking's headliner (its act) and support acts (``to``), as a
    member of the headliner or of the buyer. 409 ``no_headliner`` before the act holds the date."""
    thread = threads.support_thread_start(actor=request.auth, booking_id=booking_id, to_workspace_ids=payload.to,
                                          subject=payload.subject, body=payload.body, include_buyer=payload.include_buyer)
    return 201, _detail(request, access_thread(user=request.auth, thread_id=thread.pk, workspace_id=thread.workspace_id))


# --- unread ------------------------------------------------------------------------------------------

@router.get("/me/threads/unread", response={200: UnreadOut, **ERROR_RESPONSES})
def my_unread(request):
    """Unread conversations over every workspace where you may read messages, and per workspace."""
    return selectors.unread_summary(request.auth)


keep_operation_ids(router, "backline.messaging.api_threads")  # where these operations were first published (ADR 0009)
