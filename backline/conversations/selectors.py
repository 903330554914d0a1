"""Reads for conversations, always scoped to a workspace the caller belongs to (or a thread they were
let into by ``access_thread``) and constant in queries whatever the number of threads or messages.

Unread: a message is unread for a person when someone else wrote it after the person's
``ThreadRead.last_read_at`` (all of them when they never opened the thread), counting only what their
workspace may see (written since it joined the thread).

A workspace's threads are those it is a *current* party to (``permissions.current_party_q``): an
act swapped out of a booking no longer sees the booking's conversation listed, counted or previewed."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Substr

from backline.accounts.models import Membership, Workspace
from backline.accounts.permissions import MESSAGES_VIEW, roles_with
from backline.core.text import plain_text

from .inbox_mail import inbox_mail
from .models import Message, Thread, ThreadKind, ThreadParty, ThreadRead
from .permissions import current_party_q

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
PREVIEW = 140
BADGE_CAP = 100
PAGE = 50  # messages shown at once on the thread page


def plain_preview(text: str | None, limit: int = PREVIEW) -> str:
    """A message's first words without Markdown marks, on one line (for lists and notifications)."""
    return plain_text(text, limit)


def _read_at(user, thread_ref: str = "pk"):
    return Subquery(ThreadRead.objects.filter(thread=OuterRef(thread_ref), user=user).values("last_read_at")[:1],
                    output_field=DateTimeField())


def _unread_messages(user, *, thread_ref: str, joined_ref: str, read_ref: str):
    """Messages of the outer thread by others, since the outer party joined and after the outer read mark."""
    return (Message.objects.filter(thread=OuterRef(thread_ref), created_at__gte=OuterRef(joined_ref),
                                   created_at__gt=Coalesce(OuterRef(read_ref), Value(EPOCH), output_field=DateTimeField()))
            .exclude(author=user))


def _count(qs):
    return Coalesce(Subquery(qs.order_by().values("thread").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def _party_prefetch():
    """The threads' current parties (contacts, and workspaces that are parties now)."""
    current = Q(workspace__isnull=True) | current_party_q(F("workspace_id"), prefix="thread__")
    return Prefetch("parties", queryset=ThreadParty.objects.filter(current).select_related("workspace", "contact")
                    .order_by("id"))


def threads_for_workspace(*, user, workspace: Workspace, kind: str | None = None, unread: bool | None = None,
                          q: str | None = None, booking_id: int | None = None):
    """The workspace's inbox: every thread it is a party to, newest activity first, each annotated with
    ``unread`` (messages for ``user``), ``joined`` and the latest visible message (``last_body``,
    ``last_author``, ``last_at``) and, for email threads, the latest email's ``email_status``.
    Three queries whatever the number of threads (the threads, their parties, the bookings)."""
    joined = ThreadParty.objects.filter(thread=OuterRef("pk"), workspace=workspace).values("joined_at")[:1]
    qs = (Thread.objects.filter(current_party_q(workspace), parties__workspace=workspace)
          .annotate(joined=Subquery(joined, output_field=DateTimeField()), read_at=_read_at(user)))
    visible = Message.objects.filter(thread=OuterRef("pk"), created_at__gte=OuterRef("joined")).order_by("-created_at", "-id")
    qs = qs.annotate(
        unread=_count(_unread_messages(user, thread_ref="pk", joined_ref="joined", read_ref="read_at")),
        last_body=Subquery(visible.annotate(short=Substr("body", 1, PREVIEW + 1)).values("short")[:1]),
        last_author=Subquery(visible.values("author_name")[:1]),
        last_at=Subquery(visible.values("created_at")[:1], output_field=DateTimeField()),
        email_status=inbox_mail().latest_status(),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if booking_id is not None:
        qs = qs.filter(booking_id=booking_id)
    if unread is True:
        qs = qs.filter(unread__gt=0)
    elif unread is False:
        qs = qs.filter(unread=0)
    if q:
        q = q.strip()[:100]
        names = ThreadParty.objects.filter(Q(workspace__name__icontains=q) | Q(contact__name__icontains=q)
                                           | Q(contact__email__icontains=q), thread=OuterRef("pk"))
        qs = qs.filter(Q(subject__icontains=q) | Exists(names))
    return (qs.select_related("booking").prefetch_related(_party_prefetch())
            .order_by("-last_message_at", "-id"))


def unread_threads_count(*, user, workspace: Workspace, cap: int = BADGE_CAP) -> int:
    """How many of the workspace's threads have something unread for ``user`` (the Inbox badge): one query."""
    unread = _unread_messages(user, thread_ref="thread_id", joined_ref="joined_at", read_ref="read_at")
    qs = (ThreadParty.objects.filter(current_party_q(workspace, prefix="thread__"), workspace=workspace)
          .annotate(read_at=_read_at(user, "thread_id")).filter(Exists(unread)))
    return qs.values("pk")[:cap].count()


def unread_summary(user) -> dict:
    """Unread over every workspace where the person may read messages: threads and messages in all,
    and per workspace. One query."""
    if not getattr(user, "is_authenticated", False):
        return {"count": 0, "messages": 0, "workspaces": []}
    mine = Membership.objects.filter(user=user, role__in=roles_with(MESSAGES_VIEW)).values("workspace_id")
    rows = (ThreadParty.objects.filter(current_party_q(F("workspace_id"), prefix="thread__"), workspace_id__in=mine)
            .annotate(read_at=_read_at(user, "thread_id"))
            .annotate(unread=_count(_unread_messages(user, thread_ref="thread_id", joined_ref="joined_at",
                                                     read_ref="read_at")))
            .filter(unread__gt=0).values_list("workspace_id", "workspace__slug", "workspace__name", "unread"))
    per: dict[int, dict] = {}
    for workspace_id, slug, name, n in rows:
        entry = per.setdefault(workspace_id, {"workspace_id": workspace_id, "slug": slug, "name": name, "threads": 0,
                                              "messages": 0})
        entry["threads"] += 1
        entry["messages"] += n
    workspaces = sorted(per.values(), key=lambda e: e["name"].lower())
    return {"count": sum(e["threads"] for e in workspaces), "messages": sum(e["messages"] for e in workspaces),
            "workspaces": workspaces}


def thread_unread_count(*, user, thread: Thread, joined_at) -> int:
    read = ThreadRead.objects.filter(thread=thread, user=user).values_list("last_read_at", flat=True).first()
    return (Message.objects.filter(thread=thread, created_at__gte=joined_at, created_at__gt=read or EPOCH)
            .exclude(author=user).count())


def messages_for(access, *, after: int | None = None, before: int | None = None):
    """The messages ``access`` (a ThreadAccess) may see, oldest first, with their authors' workspaces,
    contacts, emails and attachments (three queries). ``after``/``before``: message-id cursors."""
    qs = (Message.objects.filter(thread=access.thread, created_at__gte=access.party.joined_at)
          .select_related("author_workspace", "author_contact", "email")
          .prefetch_related("attachments").order_by("created_at", "id"))
    if after is not None:
        qs = qs.filter(pk__gt=after)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return qs


def latest_messages(access, *, limit: int = PAGE, before: int | None = None) -> tuple[list[Message], bool]:
    """The newest ``limit`` visible messages, oldest first, and whether there are earlier ones."""
    qs = messages_for(access, before=before).order_by("-created_at", "-id")
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    return list(reversed(rows[:limit])), more


def parties_of(thread: Thread) -> list[ThreadParty]:
    return list(ThreadParty.objects.filter(thread=thread).select_related("workspace", "contact").order_by("id"))


def booking_threads(*, user, workspace: Workspace, booking) -> list[Thread]:
    """The booking's conversations the workspace is in (its booking thread and support threads)."""
    return list(threads_for_workspace(user=user, workspace=workspace, booking_id=booking.pk)
                .filter(kind__in=(ThreadKind.BOOKING, ThreadKind.SUPPORT)))


def workspace_search(q: str, *, exclude: tuple[int, ...] = (), kind: str | None = None, limit: int = 10) -> list[Workspace]:
    """Workspaces to write to, found by name (every workspace on Backline is reachable by name)."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    qs = Workspace.objects.filter(name__icontains=q[:100]).exclude(pk__in=exclude)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("name", "id")[:limit])


def workspaces_by_id(ids) -> list[Workspace]:
    clean = []
    for value in ids or []:
        try:
            clean.append(int(value))
        except (TypeError, ValueError):
            continue
    found = {w.pk: w for w in Workspace.objects.filter(pk__in=clean[:20])}
    return [found[i] for i in dict.fromkeys(clean) if i in found]


