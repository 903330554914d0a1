"""Every write to conversations: a booking's thread (made when first needed), support threads between
a headliner and its support acts, direct threads between workspaces, messages with attachments, and
how far each person has read.

Each service checks access itself (``access_thread`` / ``access_booking`` / ``access_workspace``),
validates everything (body, subject, recipients, every file) before it writes anything, and writes
in one transaction; the notification of a new message goes out after commit (``add_message``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from backline.accounts.models import Membership, Workspace, WorkspaceKind
from backline.accounts.permissions import MESSAGES_SEND, MESSAGES_VIEW, access_workspace, roles_with
from backline.bookings.permissions import ACT_HIDDEN, access_booking
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound, RateLimited
from backline.core.markdown import render_markdown
from backline.core.text import plain_text
from backline.core.timeutil import zone
from backline.notifications.models import NotificationType
from backline.notifications.services import notifications_read_for

from .attachments import CheckedFile, check_uploads
from .models import (
    Attachment,
    Message,
    MessageSource,
    Thread,
    ThreadKind,
    ThreadParty,
    ThreadRead,
)
from .permissions import (
    ThreadAccess,
    access_thread,
    booking_party_ids,
    current_workspace_parties,
    sync_booking_parties,
)

# The primitives every way into a conversation shares (written in the app, sent as outreach email, or
# received by email): adding a message, and the email thread of a workspace with a contact. Callers run
# them inside their own ``transaction.atomic`` and do their own access checks.

PREVIEW_CHARS = 160


def thread_url(thread: Thread, workspace_slug: str) -> str:
    """The thread's page as a member of ``workspace_slug`` sees it."""
    return reverse("thread_detail", args=[workspace_slug, thread.pk])


def add_message(*, thread: Thread, body: str, source: str = MessageSource.APP, author=None, author_workspace=None,
                author_contact=None, author_name: str = "", author_email: str = "", notify: bool = True) -> Message:
    """Post ``body`` (plain text or Markdown, stored as written and rendered sanitised) to ``thread``,
    move the thread to the top of its parties' inboxes, count it read for its author, and, after
    commit, tell every other member of the thread's workspaces who may read it (type ``message``)."""
    body = body.strip()
    now = timezone.now()
    if author is not None and not author_name:
        author_name = author.get_full_name() or author.email
    message = Message.objects.create(
        thread=thread, body=body, body_html=render_markdown(body), source=source, author=author,
        author_workspace=author_workspace, author_contact=author_contact, author_name=author_name[:200],
        author_email=author_email, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    thread.last_message_at = now
    if author is not None:
        ThreadRead.objects.update_or_create(thread=thread, user=author, defaults={"last_read_at": now})
    if notify:
        transaction.on_commit(lambda: notify_new_message(message))
    return message


def notify_new_message(message: Message) -> None:
    """One notification per reader of each current workspace party (``current_workspace_parties``: an
    act no longer on the booking hears nothing more), never the author."""
    from backline.notifications.services import notify

    thread = message.thread
    who = message.author_name or message.author_email or "Someone"
    text = message.body
    if not text:  # a message that is only files
        names = list(message.attachments.values_list("filename", flat=True))
        text = f"Sent {len(names)} file{'s' if len(names) != 1 else ''}: {', '.join(names)}" if names else ""
    preview = plain_text(text, PREVIEW_CHARS)  # a notification is plain text: no "**bold**" marks
    parties = current_workspace_parties(thread)
    readers = Membership.objects.filter(workspace_id__in=[p.workspace_id for p in parties],
                                        role__in=roles_with(MESSAGES_VIEW)).select_related("user")
    by_workspace: dict[int, list] = {}
    for membership in readers:
        if membership.user_id != message.author_id:
            by_workspace.setdefault(membership.workspace_id, []).append(membership.user)
    for party in parties:
        people = by_workspace.get(party.workspace_id)
        if people:
            notify(users=people, type=NotificationType.MESSAGE, title=f"{who} in “{thread.subject}”"[:200],
                   body=preview, url=thread_url(thread, party.workspace.slug), workspace_id=party.workspace_id)


def email_thread_for(*, workspace, subject: str, contact=None, booking=None, created_by=None) -> Thread:
    """The workspace's email conversation with ``contact`` (about ``booking``, if given): the latest
    one if there is one, else a new thread with the workspace and the contact as its parties."""
    existing = None
    if contact is not None:
        existing = (Thread.objects.filter(kind=ThreadKind.EMAIL, workspace=workspace, booking=booking,
                                          parties__contact=contact)
                    .order_by("-last_message_at", "-id").first())
    if existing is not None:
        return existing
    thread = Thread.objects.create(kind=ThreadKind.EMAIL, workspace=workspace, booking=booking, subject=subject[:200],
                                   created_by=created_by)
    ThreadParty.objects.create(thread=thread, workspace=workspace)
    if contact is not None:
        ThreadParty.objects.create(thread=thread, contact=contact)
    return thread


def contact_merged(*, keep, other) -> dict[str, int]:
    """Contact ``other`` is being merged into ``keep`` (the contacts app's merge, in its transaction):
    its places in conversations and the messages it wrote become ``keep``'s; where both are in one
    conversation, ``other``'s place goes. Answers what moved."""
    shared = list(ThreadParty.objects.filter(contact=keep).values_list("thread_id", flat=True))
    dropped = ThreadParty.objects.filter(contact=other, thread_id__in=shared).delete()[0]
    threads = ThreadParty.objects.filter(contact=other).update(contact=keep)
    messages = Message.objects.filter(author_contact=other).update(author_contact=keep)
    return {"threads": threads, "shared_threads": dropped, "messages": messages}


MAX_BODY = 20000
MAX_SUBJECT = 200
MAX_RECIPIENTS = 10
# A workspace starts at most this many direct and support conversations an hour (a brake on spam).
THREAD_STARTS_PER_HOUR = 60


# --- validation -----------------------------------------------------------------------------------

def clean_body(body: str | None, *, has_files: bool = False) -> str:
    """The message as written (plain text or Markdown), trimmed; refused when empty or too long."""
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not body and not has_files:
        raise Invalid("Write a message.", errors={"body": ["Write a message (or attach a file)."]})
    if len(body) > MAX_BODY:
        raise Invalid("The message is too long.",
                      errors={"body": [f"At most {MAX_BODY:,} characters; this one has {len(body):,}."]})
    return body


def clean_subject(subject: str | None) -> str:
    """One line (line breaks and control characters become spaces), at most 200 characters."""
    subject = re.sub(r"[\x00-\x1f\x7f\s]+", " ", subject or "").strip()
    if not subject:
        raise Invalid("Give the conversation a subject.", errors={"subject": ["Give the conversation a subject."]})
    if len(subject) > MAX_SUBJECT:
        raise Invalid("The subject is too long.", errors={"subject": [f"At most {MAX_SUBJECT} characters."]})
    return subject


def _recipients(ids, *, sender_id: int, kind: str | None = None, exclude: tuple[int, ...] = (),
                field: str = "to") -> list[Workspace]:
    wanted = []
    for value in ids or []:
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise Invalid("Unknown workspace.", errors={field: ["Choose workspaces from the search."]}) from None
        if value not in wanted:
            wanted.append(value)
    wanted = [w for w in wanted if w != sender_id and w not in exclude]
    if not wanted:
        what = "support act" if kind == WorkspaceKind.ACT else "workspace"
        raise Invalid(f"Choose at least one {what} to write to.", errors={field: [f"Choose at least one {what}."]})
    if len(wanted) > MAX_RECIPIENTS:
        raise Invalid("Too many recipients.", errors={field: [f"At most {MAX_RECIPIENTS} workspaces in one conversation."]})
    found = {w.pk: w for w in Workspace.objects.filter(pk__in=wanted)}
    if kind is not None:
        wrong = [w.name for w in found.values() if w.kind != kind]
        if wrong:
            raise Invalid("Only acts can be support acts.",
                          errors={field: [f"{', '.join(wrong)}: not an act. Support acts are act workspaces."]})
    missing = [w for w in wanted if w not in found]
    if missing:
        raise Invalid("Unknown workspace.", errors={field: ["One of the chosen workspaces does not exist."]})
    return [found[w] for w in wanted]


def _brake(workspace: Workspace) -> None:
    since = timezone.now() - dt.timedelta(hours=1)
    started = Thread.objects.filter(workspace=workspace, kind__in=(ThreadKind.DIRECT, ThreadKind.SUPPORT),
                                    created_at__gte=since).order_by("created_at").values_list("created_at", flat=True)
    started = list(started[:THREAD_STARTS_PER_HOUR])
    if len(started) >= THREAD_STARTS_PER_HOUR:
        retry = max(1, int((started[0] + dt.timedelta(hours=1) - timezone.now()).total_seconds()))
        raise RateLimited(f"{workspace.name} started {THREAD_STARTS_PER_HOUR} conversations in the last hour; "
                          f"try again in {retry // 60 + 1} minutes.", retry_after=retry)


# --- writing messages -----------------------------------------------------------------------------

def attachment_add(*, message: Message, upload, filename: str, content_type: str, size: int) -> Attachment:
    """Store a checked file (``attachments.check_upload``) on ``message``, in the caller's transaction."""
    attachment = Attachment(message=message, filename=filename, content_type=content_type, size=size)
    attachment.file.save(filename, upload, save=False)
    attachment.save()
    return attachment


def thread_contact_add(*, thread: Thread, contact) -> None:
    """``contact`` becomes a party to ``thread`` (their email replies arrive directly); idempotent."""
    ThreadParty.objects.get_or_create(thread=thread, contact=contact)


def _store(message: Message, files: list[CheckedFile], stored: list[str]) -> list[Attachment]:
    out = []
    for f in files:
        f.upload.seek(0)
        attachment = Attachment(message=message, filename=f.filename, content_type=f.content_type, size=f.size)
        attachment.file.save(f.filename, f.upload, save=False)
        stored.append(attachment.file.name)
        attachment.save()
        out.append(attachment)
    return out


def _post(*, thread: Thread, actor, workspace: Workspace, body: str, files: list[CheckedFile],
          stored: list[str]) -> Message:
    """Inside the caller's transaction: the message, its stored files (their names added to ``stored``
    so the caller can delete them if the transaction fails), the audit entry."""
    message = add_message(thread=thread, body=body, author=actor, author_workspace=workspace,
                                      source=MessageSource.APP)
    attachments = _store(message, files, stored)
    audit.record(actor=actor, action="message.posted", obj=message, workspace_id=workspace.pk,
                 after={"thread": thread.pk, "kind": thread.kind, "chars": len(body),
                        "attachments": [a.filename for a in attachments]})
    return message


class _Files:
    """``with _Files() as stored:`` around a transaction: files written to storage inside it are
    deleted again if it fails, so a refused or failed post leaves no file behind."""

    def __enter__(self) -> list[str]:
        self.stored: list[str] = []
        return self.stored

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.stored:
                with contextlib.suppress(OSError):  # best effort; an orphan file is never served
                    default_storage.delete(name)
        return False


def message_post(*, actor, thread_id: int, body: str, files=(), workspace_id: int | None = None) -> Message:
    """Write in a thread as a member (with messages.send) of one of its party workspaces: plain text or
    Markdown, up to 20,000 characters, with up to MESSAGE_ATTACHMENTS_PER_MESSAGE checked files."""
    with _Files() as stored, transaction.atomic():
        ta = access_thread(user=actor, thread_id=thread_id, capability=MESSAGES_SEND, lock=True,
                           workspace_id=workspace_id)  # strangers learn nothing, not even what is wrong
        checked = check_uploads(files)
        body = clean_body(body, has_files=bool(checked))
        return _post(thread=ta.thread, actor=actor, workspace=ta.workspace, body=body, files=checked, stored=stored)


# --- starting threads -----------------------------------------------------------------------------

def _new_thread(*, kind: str, subject: str, starter: Workspace, actor, booking=None,
                others: list[Workspace] = ()) -> Thread:
    now = timezone.now()
    thread = Thread.objects.create(kind=kind, subject=subject, workspace=starter, booking=booking, created_by=actor,
                                   created_at=now, last_message_at=now)
    ThreadParty.objects.bulk_create([ThreadParty(thread=thread, workspace=w, joined_at=now)
                                     for w in [starter, *[o for o in others if o.pk != starter.pk]]])
    audit.record(actor=actor, action=f"thread.{kind}_started", obj=thread, workspace_id=starter.pk,
                 after={"subject": subject, "booking": booking.pk if booking else None,
                        "parties": [starter.pk, *[o.pk for o in others]]})
    return thread


def booking_subject(booking) -> str:
    """A booking conversation's subject in words: the booking's title, its day (at the booking's own
    clock) and its venue where the title does not name it: "Album release · Sat 26 Dec 2026 · Lantern
    Hall". The reference (BL-…) is shown beside it as secondary text, never as the subject."""
    parts = [booking.title]
    if booking.starts_at:
        try:
            tz = zone(booking.time_zone)
        except Invalid:
            tz = dt.UTC
        parts.append(date_format(booking.starts_at.astimezone(tz), "D j M Y"))
    elif booking.date_from:
        parts.append(date_format(booking.date_from, "D j M Y"))
    place = booking.venue.name if booking.venue_id else booking.location
    if place and place.lower() not in booking.title.lower():
        parts.append(place)
    return " · ".join(p for p in parts if p)[:MAX_SUBJECT]


def booking_thread_for(booking) -> Thread:
    """The booking's one conversation, made if it does not exist yet, its parties brought up to date.
    No access check: callers have checked the booking (``booking_thread_get_or_create``)."""
    thread = Thread.objects.filter(kind=ThreadKind.BOOKING, booking=booking).first()
    if thread is None:
        subject = booking_subject(booking)
        try:
            with transaction.atomic():
                thread = Thread.objects.create(kind=ThreadKind.BOOKING, booking=booking, workspace_id=booking.workspace_id,
                                               subject=subject)
                audit.record(actor=None, action="thread.booking_started", obj=thread, workspace_id=booking.workspace_id,
                             after={"subject": subject, "booking": booking.pk})
        except IntegrityError:  # another request made it a moment ago (thread_one_per_booking)
            thread = Thread.objects.get(kind=ThreadKind.BOOKING, booking=booking)
    thread.booking = booking
    sync_booking_parties(thread)
    return thread


def booking_thread_get_or_create(*, actor, booking_id: int) -> ThreadAccess:
    """The conversation of a booking among its parties, as ``actor`` (a party member with
    messages.view) sees it. It is made the first time anyone opens it; the act joins once it may see
    the booking (from the hold on) and reads from then on."""
    booking = access_booking(user=actor, booking_id=booking_id, capability=MESSAGES_VIEW).booking
    with transaction.atomic():
        thread = booking_thread_for(booking)
        return access_thread(user=actor, thread_id=thread.pk, capability=MESSAGES_VIEW)


def booking_thread_existing(booking) -> Thread | None:
    return Thread.objects.filter(kind=ThreadKind.BOOKING, booking=booking).first()


def direct_thread_start(*, actor, workspace_id: int, to_workspace_ids, subject: str, body: str, files=()) -> Thread:
    """Start a conversation from ``workspace_id`` with other workspaces (any kind), with a subject and
    a first message."""
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=MESSAGES_SEND)
    others = _recipients(to_workspace_ids, sender_id=access.workspace.pk)
    subject = clean_subject(subject)
    checked = check_uploads(files)
    body = clean_body(body, has_files=bool(checked))
    with _Files() as stored, transaction.atomic():
        _brake(access.workspace)
        thread = _new_thread(kind=ThreadKind.DIRECT, subject=subject, starter=access.workspace, actor=actor,
                             others=others)
        _post(thread=thread, actor=actor, workspace=access.workspace, body=body, files=checked, stored=stored)
    return thread


def support_thread_start(*, actor, booking_id: int, to_workspace_ids, subject: str, body: str, files=(),
                         include_buyer: bool = False) -> Thread:
    """A conversation between a booking's headliner (its act) and the acts supporting it, started by the
    headliner's members or by the buyer (who is then a party too; the headliner may add the buyer with
    ``include_buyer``)."""
    ba = access_booking(user=actor, booking_id=booking_id, capability=MESSAGES_SEND)
    booking = ba.booking
    if not booking.act_id or booking.status in ACT_HIDDEN:
        raise Conflict("This booking has no headliner yet: support conversations start once the act holds the date.",
                       code="no_headliner")
    headliner = booking.act.workspace
    starter = ba.access.workspace
    others = _recipients(to_workspace_ids, sender_id=headliner.pk, kind=WorkspaceKind.ACT, exclude=(starter.pk,))
    subject = clean_subject(subject or f"{booking.title}: support")
    checked = check_uploads(files)
    body = clean_body(body, has_files=bool(checked))
    parties = [headliner, *others]
    if include_buyer or starter.pk == booking.workspace_id:
        parties.append(booking.workspace)
    with _Files() as stored, transaction.atomic():
        _brake(starter)
        thread = _new_thread(kind=ThreadKind.SUPPORT, subject=subject, starter=starter, actor=actor, booking=booking,
                             others=[p for p in parties if p.pk != starter.pk])
        _post(thread=thread, actor=actor, workspace=starter, body=body, files=checked, stored=stored)
    return thread


def party_add(*, actor, thread_id: int, to_workspace_id: int, workspace_id: int | None = None) -> ThreadParty:
    """Bring another workspace into a direct or support conversation (another support act into a
    support thread). It reads the thread from now on, not what was written before."""
    with transaction.atomic():
        ta = access_thread(user=actor, thread_id=thread_id, capability=MESSAGES_SEND, lock=True,
                           workspace_id=workspace_id)
        thread = ta.thread
        if thread.kind not in (ThreadKind.DIRECT, ThreadKind.SUPPORT):
            raise Conflict("Only direct and support conversations take new parties; a booking's conversation "
                           "follows the booking.", code="fixed_parties")
        present = set(ThreadParty.objects.filter(thread=thread, workspace__isnull=False)
                      .values_list("workspace_id", flat=True))
        if int(to_workspace_id) in present:
            raise Conflict("That workspace is already in the conversation.", code="already_party")
        if len(present) >= MAX_RECIPIENTS + 2:
            raise Invalid("This conversation is full.", errors={"workspace_id": ["This conversation is full."]})
        kind = WorkspaceKind.ACT if thread.kind == ThreadKind.SUPPORT else None
        [workspace] = _recipients([to_workspace_id], sender_id=ta.workspace.pk, kind=kind, field="workspace_id")
        party = ThreadParty.objects.create(thread=thread, workspace=workspace, joined_at=timezone.now())
        audit.record(actor=actor, action="thread.party_added", obj=thread, workspace_id=ta.workspace.pk,
                     after={"workspace": workspace.pk, "name": workspace.name})
    return party


# --- reading --------------------------------------------------------------------------------------

def thread_mark_read(*, actor, thread_id: int | None = None, access: ThreadAccess | None = None) -> ThreadRead:
    """Everything in the thread up to now counts as read by ``actor``, and so do the bell's
    notifications of its new messages (read in the thread, they need no second look). Two queries."""
    if access is None:
        access = access_thread(user=actor, thread_id=thread_id, capability=MESSAGES_VIEW)
    thread, now = access.thread, timezone.now()
    read = ThreadRead(thread=thread, user=actor, last_read_at=now)
    if not ThreadRead.objects.filter(thread=thread, user=actor).update(last_read_at=now):
        read, _ = ThreadRead.objects.update_or_create(thread=thread, user=actor, defaults={"last_read_at": now})
    notifications_read_for(user=actor, type=NotificationType.MESSAGE, url_suffix=f"/inbox/{thread.pk}/", at=now)
    return read


def thread_mark_unread(*, actor, thread_id: int, workspace_id: int | None = None) -> None:
    """Count the latest message by someone else unread again (as in a mail client)."""
    access = access_thread(user=actor, thread_id=thread_id, capability=MESSAGES_VIEW, workspace_id=workspace_id)
    latest = (Message.objects.filter(thread=access.thread, created_at__gte=access.party.joined_at)
              .exclude(author=actor).order_by("-created_at", "-id").first())
    if latest is None:
        raise NotFound("There is nothing from anyone else to mark unread.")
    ThreadRead.objects.update_or_create(thread=access.thread, user=actor,
                                        defaults={"last_read_at": latest.created_at - dt.timedelta(microseconds=1)})


__all__ = [
    "booking_party_ids", "booking_thread_for", "booking_thread_get_or_create", "clean_body", "clean_subject",
    "direct_thread_start", "message_post", "party_add", "support_thread_start", "thread_mark_read",
    "thread_mark_unread",
]
