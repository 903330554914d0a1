"""What bookings put on calendars kept by scheduling: a venue's public feed lists its confirmed shows; an
act's schedule (its page and its feed) lists the act's holds, offers, confirmed and played shows."""

from __future__ import annotations

from django.urls import reverse

from .models import Booking, Status

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}
# The act sees its bookings from the hold on (``permissions.ACT_HIDDEN``); these are the ones that
# claim its time.
ACT_SCHEDULE_STAGES = (Status.HOLD, Status.OFFER, Status.CONFIRMED, Status.COMPLETED)


def venue_shows(venue) -> list[dict]:
    """Confirmed and played shows at the venue, and confirmed ones later cancelled (so subscribers drop
    them). Only shows the venue's own workspace is a party to: a booking some other buyer (an agency, a
    promoter) logged at this venue was never put to the venue, which cannot even open it, so it must not
    write into the venue's public calendar. Only public facts: the act or title, the time, the venue."""
    rows = (Booking.objects.filter(venue=venue, workspace_id=venue.workspace_id, starts_at__isnull=False,
                                   confirmed_at__isnull=False,
                                   status__in=(Status.CONFIRMED, Status.COMPLETED, Status.CANCELLED))
            .select_related("act__workspace"))
    return [{"uid": b.reference, "sequence": 1 if b.status == Status.CANCELLED else 0,
             "title": b.act.workspace.name if b.act_id else b.title, "starts_at": b.starts_at, "ends_at": b.ends_at,
             "time_zone": b.time_zone, "status": "cancelled" if b.status == Status.CANCELLED else "confirmed",
             "updated_at": b.updated_at} for b in rows]


def _stage_words(booking: Booking) -> str:
    if booking.status == Status.HOLD:
        rank = ORDINALS.get(booking.hold_rank, f"{booking.hold_rank}th") if booking.hold_rank else ""
        return f"{rank} hold".strip().capitalize()
    return {Status.OFFER: "Offer", Status.CONFIRMED: "Show", Status.COMPLETED: "Played"}[booking.status]


def act_bookings(act, start, end) -> list[dict]:
    """The act's dated holds, offers, confirmed and played shows overlapping ``[start, end)``: one query.
    Titled by stage and place ("Show at Lantern Hall"): the feed reaches everyone who holds its URL."""
    rows = Booking.objects.filter(act=act, status__in=ACT_SCHEDULE_STAGES, starts_at__isnull=False)
    if start is not None:
        rows = rows.filter(ends_at__gt=start)
    if end is not None:
        rows = rows.filter(starts_at__lt=end)
    slug = act.workspace.slug
    out = []
    for b in rows.select_related("venue").order_by("starts_at", "id"):
        where = b.venue.name if b.venue_id else b.location
        stage = _stage_words(b)
        out.append({"uid": b.reference, "title": f"{stage} at {where}" if where else stage, "booking_title": b.title,
                    "starts_at": b.starts_at, "ends_at": b.ends_at, "time_zone": b.time_zone,
                    "status": "confirmed" if b.status in (Status.CONFIRMED, Status.COMPLETED) else "tentative",
                    "kind": b.status, "stage": stage, "location": where,
                    "url": reverse("booking_detail", args=[slug, b.pk]), "updated_at": b.updated_at,
                    "sequence": 0})
    return out
