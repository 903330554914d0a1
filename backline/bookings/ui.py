"""What bookings add to the workspace shell: the pipeline page and a dashboard card."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW
from backline.accounts.ui import NavItem, Panel, register_nav, register_panel

from . import selectors
from .models import Status


def pipeline_panel(access):
    """New inquiries, offers awaiting an answer, holds expiring in 72 hours, shows in the next 30 days."""
    if not access.can(BOOKINGS_VIEW):
        return None
    now = timezone.now()
    qs = selectors.bookings_for(None, checked_access=access,
                                status=[Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED])
    rows = list(qs.filter(updated_at__gte=now - dt.timedelta(days=60)) | qs.filter(starts_at__gte=now,
                                                                                 starts_at__lte=now + dt.timedelta(days=30)))
    widgets = {
        "inquiries": [b for b in rows if b.status == Status.INQUIRY][:5],
        "offers": [b for b in rows if b.status == Status.OFFER][:5],
        "expiring": [b for b in rows if b.status == Status.HOLD and b.hold_expires_at
                     and b.hold_expires_at <= now + dt.timedelta(hours=72)][:5],
        "shows": sorted([b for b in rows if b.status == Status.CONFIRMED and b.starts_at
                         and now <= b.starts_at <= now + dt.timedelta(days=30)], key=lambda b: b.starts_at)[:5],
    }
    return Panel(template="bookings/_pipeline_panel.html", order=12,
                 context={"widgets": widgets, "board_url": reverse("booking_board", args=[access.workspace.slug])})


def gigs_panel(access):
    """An agency performer's own gigs (they see nothing else of the agency's books)."""
    if access.can(BOOKINGS_VIEW):
        return None
    gigs = [g for g in selectors.assignments_for_performer_user(access.membership.user)
            if g["agency"] == access.workspace.name and g["status"] in (Status.CONFIRMED, Status.OFFER)]
    return Panel(template="bookings/_gigs_panel.html", order=11, context={"gigs": gigs})


# Cards that higher apps (conversations, outreach) add to the booking page without bookings importing them: each
# provider gets (request, booking, side) and answers a Panel (template + context) or None.
_BOOKING_SECTIONS: list = []


def register_booking_section(provider) -> None:
    if provider not in _BOOKING_SECTIONS:
        _BOOKING_SECTIONS.append(provider)


def booking_sections(request, booking, side) -> list[Panel]:
    panels = [p for provider in _BOOKING_SECTIONS if (p := provider(request, booking, side))]
    return sorted(panels, key=lambda p: p.order)


def staffing_section(request, booking, side):
    """On an agency's own booking, for those who staff it: who is free during the show (one click from
    assigning them) and the page its performers see."""
    from .models import CLAIMING_STAGES

    access = getattr(request, "access", None)
    if (access is None or side != "buyer" or access.workspace.kind != "agency" or not access.can(BOOKINGS_MANAGE)
            or booking.status not in CLAIMING_STAGES):
        return None
    slug = access.workspace.slug
    return Panel(template="bookings/agency/_staffing_section.html", order=5, context={
        "whos_free": f"{reverse('whos_free', args=[slug])}?booking={booking.pk}" if booking.starts_at else "",
        "gig": reverse("gig_detail", args=[slug, booking.pk])})


def register():
    register_nav(NavItem("Bookings", "booking_board", "layout-kanban", BOOKINGS_VIEW, order=22, group="Deals"))
    register_nav(NavItem("Clients", "client_list", "user-star", BOOKINGS_VIEW, frozenset({"agency"}), order=23, group="Deals"))
    register_nav(NavItem("Packages", "package_list", "package", BOOKINGS_VIEW, frozenset({"agency"}), order=24, group="Deals"))
    register_nav(NavItem("Who's free", "whos_free", "user-check", BOOKINGS_MANAGE, frozenset({"agency"}), order=21,
                         group="People"))  # beside Performers
    register_panel({"act", "venue", "promoter", "agency"}, pipeline_panel)
    register_panel({"agency"}, gigs_panel)
    register_booking_section(staffing_section)
