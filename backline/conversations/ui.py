"""What conversations add to the workspace shell: the Inbox nav item and the conversation card on
every booking page."""

from __future__ import annotations

from django.urls import reverse

from backline.accounts.permissions import MESSAGES_SEND, MESSAGES_VIEW
from backline.accounts.ui import ALL_KINDS, NavItem, Panel, register_nav

RECENT = 3



def booking_conversation_section(request, booking, side):
    """The booking's conversation (its latest messages, unread count, a button to open it) and the
    support conversations the workspace is in, with a way to start one. Three queries."""
    from backline.bookings.permissions import ACT_HIDDEN

    from . import selectors
    from .models import Message, ThreadKind

    access = getattr(request, "access", None)
    if access is None or not access.can(MESSAGES_VIEW):
        return None
    ws = access.workspace
    rows = selectors.booking_threads(user=request.user, workspace=ws, booking=booking)
    main = next((t for t in rows if t.kind == ThreadKind.BOOKING), None)
    recent = []
    if main is not None:
        recent = list(reversed(Message.objects.filter(thread=main, created_at__gte=main.joined)
                               .select_related("author_workspace").order_by("-created_at", "-id")[:RECENT]))

    def names(thread):
        return ", ".join(p.workspace.name if p.workspace else p.contact.name for p in thread.parties.all()
                         if p.workspace_id != ws.pk)

    act_pending = bool(booking.act_id and booking.status in ACT_HIDDEN)
    other = booking.act.workspace.name if side == "buyer" and booking.act_id and not act_pending else \
        booking.workspace.name if side == "act" else ""
    can_support = (access.can(MESSAGES_SEND) and booking.act_id and not act_pending)
    return Panel(template="conversations/_booking_card.html", order=5, context={
        "thread_url": reverse("thread_detail", args=[ws.slug, main.pk]) if main else "",
        "open_url": reverse("booking_thread_open", args=[ws.slug, booking.pk]),
        "unread": main.unread if main else 0, "recent": recent, "act_pending": act_pending,
        "act_name": booking.act.workspace.name if booking.act_id else "", "with_names": other,
        "support_url": reverse("support_thread_new", args=[ws.slug, booking.pk]) if can_support else "",
        "supports": [{"subject": t.subject, "url": reverse("thread_detail", args=[ws.slug, t.pk]), "names": names(t),
                      "unread": t.unread} for t in rows if t.kind == ThreadKind.SUPPORT],
    })


def register():
    from backline.bookings.ui import register_booking_section

    register_nav(NavItem("Inbox", "thread_inbox", "messages", MESSAGES_VIEW, ALL_KINDS, order=26, group="People"))
    register_booking_section(booking_conversation_section)
