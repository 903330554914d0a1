"""What bookings add to the workspace shell: the pipeline page and a dashboard card."""

from django.urls import reverse
from django.utils import timezone

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW
from backline.accounts.ui import NavItem, Panel, register_nav, register_panel
from backline.core.timeutil import zone

from . import selectors
from .models import Status

STAGE_COLOURS = {Status.INQUIRY: "#4299e1", Status.HOLD: "#f59f00", Status.OFFER: "#ae3ec9",
                 Status.CONFIRMED: "#2fb344"}


def attention_panel(access):
    """What needs attention first: holds running out, inquiries and offers to answer, offers waiting
    for the other side, the next shows; each a short list with its count. One query (plus the act's)."""
    if not access.can(BOOKINGS_VIEW):
        return None
    lists = selectors.attention_for(access, now=timezone.now())
    return Panel(template="bookings/_attention_panel.html", order=1, context={
        "lists": list(lists.values()), "board_url": reverse("booking_board", args=[access.workspace.slug]),
        "waiting_total": sum(lists[k]["count"] for k in ("expiring", "inquiries", "to_answer")),
    })


def stages_chart_panel(access):
    """Bookings by stage over the coming six months, as stacked bars (ECharts) with the same numbers in a
    table; for an agency, each month's value as a line too (its quotes and bookings). One query."""
    if not access.can(BOOKINGS_VIEW):
        return None
    ws = access.workspace
    data = selectors.stages_by_month(access, today=timezone.localdate(timezone=zone(ws.time_zone)))
    total = sum(sum(s["counts"]) for s in data["stages"])
    chart = {
        "kind": "stages", "labels": data["labels"], "short_labels": [f.strftime("%b") for f in data["months"]],
        "stages": [{**s, "colour": STAGE_COLOURS[s["key"]]} for s in data["stages"]],
    }
    with_value = ws.kind == "agency"
    if with_value:
        chart["values"] = {"label": f"Value ({data['currency']})", "currency": data["currency"],
                           "data": [float(v) for v in data["values"]]}
    rows = [{"label": label, "counts": [s["counts"][i] for s in data["stages"]], "value": data["values"][i]}
            for i, label in enumerate(data["labels"])]
    return Panel(template="bookings/_stages_chart_panel.html", order=2, scripts=("dist/charts.js",) if total else (), context={
        "chart": chart, "rows": rows, "stages": data["stages"], "total": total, "with_value": with_value,
        "currency": data["currency"], "board_url": reverse("booking_board", args=[ws.slug]),
    })


def gigs_panel(access):
    """An agency performer's own gigs (they see nothing else of the agency's books)."""
    if access.can(BOOKINGS_VIEW):
        return None
    gigs = [g for g in selectors.assignments_for_performer_user(access.membership.user)
            if g["agency"] == access.workspace.name and g["status"] in (Status.CONFIRMED, Status.OFFER)]
    return Panel(template="bookings/_gigs_panel.html", order=9, context={"gigs": gigs})  # before their profile (10)


# Cards that higher apps (conversations, outreach) add to the booking page without bookings importing them: each
# provider gets (request, booking, side) and answers a Panel (template + context) or None.
_BOOKING_SECTIONS: list = []


def register_booking_section(provider) -> None:
    if provider not in _BOOKING_SECTIONS:
        _BOOKING_SECTIONS.append(provider)


def booking_sections(request, booking, side) -> list[Panel]:
    panels = [p for provider in _BOOKING_SECTIONS if (p := provider(request, booking, side))]
    return sorted(panels, key=lambda p: p.order)


def green_date_actions(access, act, span):
    """A green date's way into the pipeline: ask a venue for it, or ask a venue to hold it (the same
    inquiry, its page and message asking for a hold), with the date and the green window filled in as the
    show's times (the venue may propose others) and the message naming when everyone is free."""
    from urllib.parse import urlencode

    from backline.scheduling.ui import DateAction, long_day

    if not access.can(BOOKINGS_MANAGE):
        return []
    url = reverse("inquiry_new", args=[access.workspace.slug])
    day = span.starts_at.date()
    window = f"{span.starts_at:%H:%M}–{span.ends_at:%H:%M}"  # when everyone is free, in the act's zone
    base = {"date": day.isoformat(), "start": f"{span.starts_at:%H:%M}", "end": f"{span.ends_at:%H:%M}",
            "message": f"{access.workspace.name} would love to play on {long_day(day)}: we are all free from {window}."}
    hold = base | {"purpose": "hold",
                   "message": f"Could you put a hold on {long_day(day)} for {access.workspace.name}? "
                              f"We are all free that evening ({window})."}
    return [DateAction("Ask a venue for this date", "send", f"{url}?{urlencode(base)}", "book", testid="date-ask"),
            DateAction("Ask a venue to hold it", "bookmark-star", f"{url}?{urlencode(hold)}", "hold",
                       testid="date-hold")]


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
    # The booking calendar in the sidebar for the sides that book (an act has its Schedule instead)
    register_nav(NavItem("Calendar", "booking_calendar", "calendar-event", BOOKINGS_VIEW,
                         frozenset({"venue", "promoter", "agency"}), order=21, group="Plan"))
    register_nav(NavItem("Bookings", "booking_board", "layout-kanban", BOOKINGS_VIEW, order=22, group="Deals"))
    register_nav(NavItem("Clients", "client_list", "user-star", BOOKINGS_VIEW, frozenset({"agency"}), order=23, group="Deals"))
    register_nav(NavItem("Packages", "package_list", "package", BOOKINGS_VIEW, frozenset({"agency"}), order=24, group="Deals"))
    register_nav(NavItem("Who's free", "whos_free", "user-check", BOOKINGS_MANAGE, frozenset({"agency"}), order=21,
                         group="People"))  # beside Performers
    register_panel({"act", "venue", "promoter", "agency"}, attention_panel)
    register_panel({"act", "venue", "promoter", "agency"}, stages_chart_panel)
    register_panel({"agency"}, gigs_panel)
    register_booking_section(staffing_section)
    from .vouch_views import vouch_section

    register_booking_section(vouch_section)
    from .riders import rider_section

    register_booking_section(rider_section)
    from backline.scheduling.ui import register_date_action

    register_date_action(green_date_actions)
