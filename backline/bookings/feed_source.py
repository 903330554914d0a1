"""A venue's public calendar feed lists its confirmed shows (registered with the scheduling feeds)."""

from __future__ import annotations

from .models import Booking, Status


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
