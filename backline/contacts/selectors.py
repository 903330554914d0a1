"""Reads of the contacts book, each already scoped to one workspace (the caller checked access to it):
the filtered list, the tag cloud, possible duplicates and a contact's communication history. Every
one of them runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from backline.conversations.models import Message, Thread, ThreadParty
from backline.mail.models import EmailStatus, OutboundEmail

from .models import Contact, ContactRole
from .services import tag_filter

MAX_QUERY_LENGTH = 100
SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "organisation": ("organisation", "name", "id"),
    "city": ("city", "name", "id"),
    "newest": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
}
SORT_LABELS = {"name": "Name A–Z", "-name": "Name Z–A", "organisation": "Organisation", "city": "City",
               "newest": "Newest first", "updated": "Recently changed"}


def contacts_for(workspace_id: int, *, q: str = "", role: str | None = None, tag: str | None = None,
                 sort: str = "name") -> QuerySet[Contact]:
    """The workspace's contacts: ``q`` matches every word in the name, organisation, email or city;
    ``role`` and ``tag`` filter exactly; ``sort`` is one of ``SORTS`` (name by default)."""
    qs = Contact.objects.filter(workspace_id=workspace_id)
    for word in (q or "")[:MAX_QUERY_LENGTH].split():
        qs = qs.filter(Q(name__icontains=word) | Q(organisation__icontains=word) | Q(email__icontains=word)
                       | Q(city__icontains=word))
    if role:
        qs = qs.filter(role=role)
    if tag:
        qs = qs.filter(tag_filter(tag))
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


def tag_counts(workspace_id: int, *, limit: int | None = None) -> list[tuple[str, int]]:
    """(tag, how many contacts carry it), most used first, then alphabetically (one query)."""
    counter: Counter = Counter()
    for tags in Contact.objects.filter(workspace_id=workspace_id).exclude(tags="").values_list("tags", flat=True):
        counter.update(t for t in tags.split(",") if t)
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit] if limit else ranked


def role_counts(workspace_id: int) -> dict[str, int]:
    return dict(Contact.objects.filter(workspace_id=workspace_id).order_by().values_list("role").annotate(n=Count("id")))


# --- possible duplicates ------------------------------------------------------------------------------

def normalised(text: str) -> str:
    """Case, accents, punctuation and spacing ignored: "Jóse  O'Neil" ~ "jose oneil"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) and (c.isalnum() or c.isspace()))
    return " ".join(kept.casefold().split())


@dataclass
class DuplicateGroup:
    reasons: list[str]  # "email" and/or "name" (same name and organisation)
    key: str
    contacts: list[Contact] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return " and ".join({"email": "same email", "name": "same name and organisation"}[r] for r in self.reasons)


def duplicate_groups(workspace_id: int, *, limit: int = 200) -> list[DuplicateGroup]:
    """Groups of the workspace's contacts that are probably one person: the same email
    (case-insensitively), or the same name and organisation once case, accents, punctuation and
    spacing are ignored. Oldest contact first in each group (the natural one to keep). Two queries."""
    rows = list(Contact.objects.filter(workspace_id=workspace_id).order_by("id")
                .values_list("id", "name", "organisation", "email"))
    by_email: dict[str, list[int]] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    for pk, name, organisation, email in rows:
        if email:
            by_email.setdefault(email.lower(), []).append(pk)
        if normalised(name):
            by_name.setdefault((normalised(name), normalised(organisation)), []).append(pk)
    groups: dict[tuple[int, ...], DuplicateGroup] = {}
    for reason, index in (("email", by_email), ("name", by_name)):
        for key, ids in index.items():
            if len(ids) < 2:
                continue
            members = tuple(ids)
            if members in groups:
                groups[members].reasons.append(reason)
            else:
                label = key if isinstance(key, str) else " · ".join(k for k in key if k)
                groups[members] = DuplicateGroup(reasons=[reason], key=label)
    chosen = dict(list(groups.items())[:limit])
    contacts = Contact.objects.in_bulk({pk for members in chosen for pk in members})
    for members, group in chosen.items():
        group.contacts = [contacts[pk] for pk in members if pk in contacts]
    return [g for g in chosen.values() if len(g.contacts) > 1]


def merge_candidates(contact: Contact, *, limit: int = 20) -> list[Contact]:
    """The contacts most likely to be ``contact`` again (possible duplicates first), for the merge page."""
    for group in duplicate_groups(contact.workspace_id):
        if any(c.pk == contact.pk for c in group.contacts):
            return [c for c in group.contacts if c.pk != contact.pk][:limit]
    return []


# --- a contact's communication history ------------------------------------------------------------------

@dataclass
class HistoryItem:
    kind: str  # "thread" (a conversation the contact is a party to), "email" (sent to them), "message" (by them)
    at: dt.datetime
    title: str
    text: str = ""
    status: str = ""
    status_label: str = ""
    thread_id: int | None = None
    email_id: int | None = None
    message_id: int | None = None


KIND_RANK = {"thread": 0, "email": 1, "message": 2}

STATUS_STYLE = {
    EmailStatus.DRAFT: "secondary", EmailStatus.QUEUED: "secondary", EmailStatus.SENT: "info",
    EmailStatus.DELIVERED: "primary", EmailStatus.OPENED: "primary", EmailStatus.REPLIED: "success",
    EmailStatus.BOUNCED: "danger", EmailStatus.COMPLAINED: "danger", EmailStatus.FAILED: "danger",
    EmailStatus.CANCELLED: "secondary",
}


class HistoryFeed:
    """Everything between the workspace and one contact, newest first: the conversations the contact
    is a party to, every outreach email sent to them (by contact or to their address) with its status,
    and every message they wrote. Sliceable and countable like a queryset (3 queries a slice, 3 to
    count), so Django's and Ninja's paginators use it as one."""

    def __init__(self, contact: Contact, *, with_bodies: bool = True):
        self.contact = contact
        self.with_bodies = with_bodies
        self._count: int | None = None

    def _visible(self, prefix: str = ""):
        """The conversation is the workspace's: it started it or is a party to it."""
        ws = self.contact.workspace_id
        return Q(**{f"{prefix}workspace_id": ws}) | Exists(
            ThreadParty.objects.filter(thread=OuterRef(f"{prefix}pk" if prefix else "pk"), workspace_id=ws))

    def threads(self, *, counted: bool = True) -> QuerySet[Thread]:
        qs = Thread.objects.filter(Exists(ThreadParty.objects.filter(thread=OuterRef("pk"), contact=self.contact)),
                                   self._visible())
        return qs.annotate(message_count=Count("messages")).order_by("-last_message_at", "-id") if counted else qs

    def emails(self) -> QuerySet[OutboundEmail]:
        who = Q(contact=self.contact)
        if self.contact.email:
            who |= Q(to_email__iexact=self.contact.email)
        return OutboundEmail.objects.filter(who, workspace_id=self.contact.workspace_id).order_by("-created_at", "-id")

    def messages(self) -> QuerySet[Message]:
        return (Message.objects.filter(author_contact=self.contact).filter(self._visible("thread__"))
                .select_related("thread").order_by("-created_at", "-id"))

    def count(self) -> int:
        if self._count is None:
            self._count = self.threads(counted=False).count() + self.emails().count() + self.messages().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index:index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        if stop <= start:
            return []
        items = [self._thread(t) for t in self.threads()[:stop]]
        items += [self._email(e) for e in self.emails().only(
            "id", "thread_id", "subject", "to_email", "to_name", "status", "created_at", "sent_at")[:stop]]
        items += [self._message(m) for m in self.messages()[:stop]]
        # newest first; at the same moment the message or email before the conversation it moved to the top
        items.sort(key=lambda i: (i.at, KIND_RANK[i.kind]), reverse=True)
        return items[start:stop]

    def __iter__(self):
        return iter(self[0:self.count()])

    @staticmethod
    def _thread(t: Thread) -> HistoryItem:
        n = t.message_count
        return HistoryItem(kind="thread", at=t.last_message_at, title=t.subject, thread_id=t.pk,
                           text=f"{t.get_kind_display()} conversation · {n} message{'' if n == 1 else 's'}")

    @staticmethod
    def _email(e: OutboundEmail) -> HistoryItem:
        return HistoryItem(kind="email", at=e.sent_at or e.created_at, title=e.subject, thread_id=e.thread_id,
                           email_id=e.pk, status=e.status, status_label=EmailStatus(e.status).label,
                           text=f"To {e.to_name} <{e.to_email}>" if e.to_name else f"To {e.to_email}")

    def _message(self, m: Message) -> HistoryItem:
        body = m.body if len(m.body) <= 240 else m.body[:239] + "…"
        return HistoryItem(kind="message", at=m.created_at, title=f"Wrote in “{m.thread.subject}”",
                           text=body if self.with_bodies else "", thread_id=m.thread_id, message_id=m.pk)


def contact_history(contact: Contact, *, with_bodies: bool = True) -> HistoryFeed:
    return HistoryFeed(contact, with_bodies=with_bodies)


def role_choices() -> list[tuple[str, str]]:
    return list(ContactRole.choices)
