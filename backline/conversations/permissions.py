"""Who reads and writes a thread. A thread belongs to its party workspaces: a member of one of them
whose role holds the capability may use it; a member whose role lacks it gets 403; anyone else gets 404,
exactly as for a missing thread. A booking's conversation follows the booking: its buyer and, once the
act may see the booking (from the hold on), the act, who joins as a party then. An act that stops being
the booking's act (the buyer holds the date with another act) stops being a party at once: it is no
longer told of new messages, its inbox and unread counts leave the thread out, its members' addresses
may no longer write to it by email, and its party row is removed the next time the thread is used (so
were it held again later, it would read from its return on). One rule decides this everywhere:
``current_party_ids`` in Python, ``current_party_q`` as a query condition.

A party sees a thread from the moment it joined (``ThreadParty.joined_at``): the act that joins a
booking's conversation at the hold never reads what the buyer's team wrote during the inquiry.

An internal thread has one party, its workspace, and never an outside one. Its channel and a thread
"for everyone" are read by every member; a thread among chosen members (``ThreadMember`` rows) only by
them: to anyone else, even in the workspace, it does not exist (404), and it is not listed or counted
(``internal_visible_q``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from backline.accounts.models import Membership
from backline.accounts.permissions import MESSAGES_VIEW, WorkspaceAccess
from backline.bookings.permissions import act_sees, act_sees_q
from backline.core.errors import Forbidden, NotFound

from .models import Thread, ThreadKind, ThreadMember, ThreadParty


@dataclass(frozen=True)
class ThreadAccess:
    thread: Thread
    access: WorkspaceAccess  # the workspace the person acts for in this thread, and their membership
    party: ThreadParty  # that workspace's party row (``joined_at``: what it may see)
    parties: list[ThreadParty]  # every party (workspaces and contacts), loaded

    @property
    def workspace(self):
        return self.access.workspace

    def can(self, capability: str) -> bool:
        return self.access.can(capability)


def booking_party_ids(booking) -> list[int]:
    """The workspaces a booking's conversation belongs to: the buyer, and the act once it may see it (from
    the hold on, or from the start when the act asked for the date)."""
    ids = [booking.workspace_id]
    if act_sees(booking) and booking.act.workspace_id not in ids:
        ids.append(booking.act.workspace_id)
    return ids


def _follows_booking(thread: Thread) -> bool:
    return thread.kind == ThreadKind.BOOKING and thread.booking_id is not None


def current_party_ids(thread: Thread, workspace_ids) -> list[int]:
    """Of ``workspace_ids`` (workspaces with a party row in ``thread``), those that are its parties now:
    all of them, except in a booking's conversation, which belongs to the booking's buyer and, while it
    may see the booking, the booking's current act (``booking_party_ids``; needs ``thread.booking``)."""
    if not _follows_booking(thread):
        return list(workspace_ids)
    allowed = set(booking_party_ids(thread.booking))
    return [w for w in workspace_ids if w in allowed]


def current_workspace_parties(thread: Thread) -> list[ThreadParty]:
    """The thread's workspace party rows that are current (``current_party_ids``), with their workspaces,
    read fresh from the database (one query): whom a new message is told to, whose members may write
    by email."""
    rows = list(ThreadParty.objects.filter(thread_id=thread.pk, workspace__isnull=False)
                .select_related("workspace", "thread__booking__act").order_by("id"))
    if not rows:
        return []
    keep = set(current_party_ids(rows[0].thread, [r.workspace_id for r in rows]))
    return [r for r in rows if r.workspace_id in keep]


def current_party_q(workspace, *, prefix: str = "") -> Q:
    """``current_party_ids`` as a query condition on a thread reached through ``prefix`` ("" on Thread,
    "thread__" on ThreadParty): holds when ``workspace`` (a Workspace, an id, or an expression such as
    ``F("workspace_id")``) is a current party, given that it has a party row (checked by the caller)."""
    def q(lookup, value):
        return Q(**{f"{prefix}{lookup}": value})

    return (~q("kind", ThreadKind.BOOKING) | q("booking__isnull", True) | q("booking__workspace", workspace)
            | (q("booking__act__workspace", workspace) & act_sees_q(f"{prefix}booking__")))


def internal_visible_q(user, *, prefix: str = "", thread_ref: str = "pk") -> Q:
    """Holds for a thread ``user`` may see as far as internal threads go: any thread that is not
    internal, an internal one for every member, or one among chosen members that ``user`` is in."""
    members = ThreadMember.objects.filter(thread=OuterRef(thread_ref))
    return (~Q(**{f"{prefix}kind": ThreadKind.INTERNAL}) | ~Exists(members)
            | Exists(members.filter(user=user)))


def internal_member_ids(thread: Thread) -> list[int] | None:
    """The people an internal thread among chosen members is for; None when every member reads it."""
    if thread.kind != ThreadKind.INTERNAL or thread.is_channel:
        return None
    ids = list(ThreadMember.objects.filter(thread=thread).values_list("user_id", flat=True))
    return ids or None


def sync_booking_parties(thread: Thread, parties: list[ThreadParty] | None = None) -> list[ThreadParty]:
    """Bring a booking's conversation's parties up to date: add whoever may now see the booking (the
    act, from the hold on) and remove an act that is no longer the booking's. Answers the thread's
    parties (workspaces and contacts, with them loaded)."""
    if parties is None:
        parties = list(ThreadParty.objects.filter(thread=thread).select_related("workspace", "contact").order_by("id"))
    if not _follows_booking(thread):
        return parties
    current = booking_party_ids(thread.booking)
    stale = [p for p in parties if p.workspace_id and p.workspace_id not in current]
    if stale:
        ThreadParty.objects.filter(pk__in=[p.pk for p in stale]).delete()
        parties = [p for p in parties if p not in stale]
    have = {p.workspace_id for p in parties if p.workspace_id}
    for workspace_id in current:
        if workspace_id not in have:
            try:
                with transaction.atomic():
                    party = ThreadParty.objects.create(thread=thread, workspace_id=workspace_id, joined_at=timezone.now())
            except IntegrityError:  # joined by a concurrent request a moment ago
                party = ThreadParty.objects.get(thread=thread, workspace_id=workspace_id)
            parties.append(ThreadParty.objects.select_related("workspace").get(pk=party.pk))
    return parties


def access_thread(*, user, thread_id: int, capability: str = MESSAGES_VIEW, lock: bool = False,
                  workspace_id: int | None = None, memberships: list[Membership] | None = None) -> ThreadAccess:
    """The thread as ``user`` may use it with ``capability``. ``workspace_id`` (a web page under
    /w/<slug>/) names the workspace the person acts for; without it, the person's party workspace
    whose role allows the capability (the thread's starter first). Three queries at most (more
    only when the act joins a booking's conversation)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such conversation.")
    qs = Thread.objects.select_for_update(of=("self",)) if lock else Thread.objects
    thread = qs.select_related("booking__act", "booking__workspace", "workspace").filter(pk=thread_id).first()
    if thread is None:
        raise NotFound("No such conversation.")
    all_parties = sync_booking_parties(thread)
    parties = {p.workspace_id: p for p in all_parties if p.workspace_id}
    allowed = set(current_party_ids(thread, parties))
    parties = {k: v for k, v in parties.items() if k in allowed}
    candidates = [workspace_id] if workspace_id is not None else list(parties)
    candidates = [c for c in candidates if c in parties]
    if not candidates:
        raise NotFound("No such conversation.")
    chosen_people = internal_member_ids(thread)
    if chosen_people is not None and user.pk not in chosen_people:
        raise NotFound("No such conversation.")
    if memberships is None:
        memberships = list(Membership.objects.select_related("workspace").filter(user=user, workspace_id__in=candidates))
    else:
        memberships = [m for m in memberships if m.workspace_id in candidates]
    if not memberships:
        raise NotFound("No such conversation.")
    memberships.sort(key=lambda m: (m.workspace_id != thread.workspace_id, m.workspace_id))
    chosen = None
    for membership in memberships:
        access = WorkspaceAccess(workspace=membership.workspace, membership=membership)
        if access.can(capability):
            chosen = access
            break
    if chosen is None:
        role = memberships[0].get_role_display()
        raise Forbidden(f"Your role ({role}) does not allow this.")
    return ThreadAccess(thread=thread, access=chosen, party=parties[chosen.workspace.pk], parties=all_parties)
