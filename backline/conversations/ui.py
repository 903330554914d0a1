"""What conversations add to the workspace shell: the Inbox nav item and the conversation card on
every booking page."""

from __future__ import annotations

from django.urls import reverse

from backline.accounts.permissions import MESSAGES_SEND, MESSAGES_VIEW
from backline.accounts.ui import ALL_KINDS, NavItem, Panel, register_nav, register_panel

RECENT = 3



def booking_conversation_section(request, booking, side):
    """The booking's conversation (its latest messages, unread count, a button to open it) and the
    support conversations the workspace is in, with a way to start one. Three queries."""
    from backline.bookings.permissions import ACT_HIDDEN, act_sees

    from . import selectors
    from .models import Message, ThreadKind

    access = getattr(request, "access", None)
    if access is None or not access.can(MESSAGES_VIEW):
        return None
    ws = access.workspace
    rows = selectors.booking_threads(user=request.user, workspace=ws, booking=booking)
    main = next((t for t in rows if t.kind == ThreadKind.BOOKING), None)
    if main is None:  # asked from a conversation: that conversation is the booking's, no second empty one
        main = next((t for t in rows if t.kind == ThreadKind.DIRECT), None)
    recent = []
    if main is not None:
        recent = list(reversed(Message.objects.filter(thread=main, created_at__gte=main.joined)
                               .select_related("author_workspace").order_by("-created_at", "-id")[:RECENT]))

    def names(thread):
        return ", ".join(p.workspace.name if p.workspace else p.contact.name for p in thread.parties.all()
                         if p.workspace_id != ws.pk)

    act_pending = bool(booking.act_id and not act_sees(booking))
    other = booking.act.workspace.name if side == "buyer" and booking.act_id and not act_pending else \
        booking.workspace.name if side == "act" else ""
    can_support = (access.can(MESSAGES_SEND) and booking.act_id and booking.status not in ACT_HIDDEN)
    return Panel(template="conversations/_booking_card.html", order=5, context={
        "thread_url": reverse("thread_detail", args=[ws.slug, main.pk]) if main else "",
        "open_url": reverse("booking_thread_open", args=[ws.slug, booking.pk]),
        "unread": main.unread if main else 0, "recent": recent, "act_pending": act_pending,
        "act_name": booking.act.workspace.name if booking.act_id else "", "with_names": other,
        "support_url": reverse("support_thread_new", args=[ws.slug, booking.pk]) if can_support else "",
        "supports": [{"subject": t.subject, "url": reverse("thread_detail", args=[ws.slug, t.pk]), "names": names(t),
                      "unread": t.unread} for t in rows if t.kind == ThreadKind.SUPPORT],
        "origins": [{"subject": t.subject, "url": reverse("thread_detail", args=[ws.slug, t.pk]), "unread": t.unread}
                    for t in rows if t.kind == ThreadKind.DIRECT and t is not main],
    })


def unread_panel(access):
    """The dashboard's unread conversations (the person's own unread marks): a short list and the
    count, linking to each. Two queries."""
    from . import selectors

    if not access.can(MESSAGES_VIEW):
        return None
    ws = access.workspace
    count, rows = selectors.unread_threads(user=access.membership.user_id, workspace=ws, limit=RECENT + 2)
    for t in rows:
        t.others = ", ".join(p.workspace.name if p.workspace else (p.contact.name or p.contact.email)
                             for p in t.parties.all() if p.workspace_id != ws.pk)
        t.preview = selectors.plain_preview(t.last_body, 90)
    return Panel(template="conversations/_unread_panel.html", order=3, context={
        "count": count, "threads": rows, "inbox_url": reverse("thread_inbox", args=[ws.slug]),
        "channel_url": reverse("internal_channel", args=[ws.slug])})


def register():
    from backline.bookings.ui import register_booking_section

    register_nav(NavItem("Inbox", "thread_inbox", "messages", MESSAGES_VIEW, ALL_KINDS, order=26, group="People"))
    register_booking_section(booking_conversation_section)
    register_panel(ALL_KINDS, unread_panel)
