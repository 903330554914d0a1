"""Navigation and the booking page's card for outreach."""

from __future__ import annotations

from backline.accounts.permissions import OUTREACH_SEND
from backline.accounts.ui import ALL_KINDS, NavItem, Panel, register_nav

BOOKING_CARD_TEMPLATES = 6


def booking_outreach_section(request, booking, side):
    """"Email about this booking": the workspace's templates to start from and the emails it already
    sent about the booking, with their status. Only for people who may send outreach."""
    from . import selectors as outreach_selectors
    from .services import email_templates
    from .services.sending import compose_url

    access = getattr(request, "access", None)
    if access is None or not access.can(OUTREACH_SEND):
        return None
    ws = access.workspace
    templates = list(outreach_selectors.templates_for(ws)[:BOOKING_CARD_TEMPLATES])
    if not templates:  # only a workspace without templates to show may need the defaults (seeded once)
        email_templates.templates_seed(workspace=ws)
        templates = list(outreach_selectors.templates_for(ws)[:BOOKING_CARD_TEMPLATES])
    emails = outreach_selectors.booking_emails(ws, booking)
    for e in emails:
        e.badge = outreach_selectors.BADGE.get(e.status, "")
    contact = ""
    if side == "buyer" and booking.contact_email:
        contact = f"{booking.contact_name} <{booking.contact_email}>" if booking.contact_name else booking.contact_email
    return Panel(template="outreach/_booking_card.html", order=40, context={
        "slug": ws.slug, "compose_url": compose_url(ws.slug, booking=booking.pk),
        "templates": templates, "emails": emails,
        "contact": contact})


def green_date_pitch(access, act, span):
    """"Pitch by email": an email offering the green date, the act and the date written in (the point of
    the pitch), the recipient's name and the other free dates as merge fields filled in for each one."""
    from backline.scheduling.ui import DateAction, long_day

    from .services.sending import compose_url

    if not access.can(OUTREACH_SEND):
        return []
    name = access.workspace.name
    day = long_day(span.starts_at.date())
    window = f"{span.starts_at:%H:%M}–{span.ends_at:%H:%M}"
    subject = f"{name} is free on {day}"
    body = (f"Hello {{{{ contact_first_name }}}},\n\n{name} is free on {day} ({window}) and would love to play "
            f"for you that evening.\n\nOur other free dates: {{{{ green_zone_dates }}}}\nMore about us: {{{{ epk_link }}}}"
            "\n\nBest wishes,\n{{ sender_name }}")
    return [DateAction("Pitch it by email", "envelope", compose_url(access.workspace.slug, subject=subject, body=body),
                       "pitch", testid="date-pitch")]


def register():
    from backline.bookings.ui import register_booking_section

    register_nav(NavItem("Outreach", "outreach_email_list", "mail-forward", OUTREACH_SEND, ALL_KINDS, order=28, group="People"))
    register_booking_section(booking_outreach_section)
    from backline.scheduling.ui import register_date_action

    register_date_action(green_date_pitch)
