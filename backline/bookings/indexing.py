"""The bookings' search column: ``Booking.search_text``, one lowercase string of everything search matches a
booking by (``booking_text``: reference, title, contact, location and the act's, venue's and client's names).
The services keep it current through ``booking_text``, ``index_booking`` and ``index_client_bookings``; the
search app (above this one) only reads it.

On PostgreSQL the GIN index ``booking_search_text_gin`` (migration bookings 0003) is over
``to_tsvector('simple'::regconfig, search_text)``; ``BookingDocument`` is exactly that expression, so a query
written with it can use the index."""

from __future__ import annotations

from django.db.models import Func

from .models import Booking, Client

CONFIG = "simple"  # the index's text search configuration: no stemming or stop words, names in any language
BOOKING_INDEX = "booking_search_text_gin"  # created by migration bookings 0003 on PostgreSQL


def booking_text(booking: Booking) -> str:
    """What search matches for ``booking``: one lowercase string of its reference, title, contact name and
    email, location, the act's name, the venue's name and the client's name and company."""
    act, venue, client = (booking.act if booking.act_id else None, booking.venue if booking.venue_id else None,
                          booking.client if booking.client_id else None)
    parts = (booking.reference, booking.title, booking.contact_name, booking.contact_email, booking.location,
             act.workspace.name if act else "", venue.name if venue else "", client.name if client else "",
             client.company if client else "")
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip()).lower()


def index_booking(booking: Booking) -> None:
    """Refresh ``booking.search_text`` after it was created or its title, act, venue or client changed:
    one UPDATE of that column only (nothing else of the row is written)."""
    booking.search_text = booking_text(booking)
    Booking.objects.filter(pk=booking.pk).update(search_text=booking.search_text)


def index_client_bookings(client: Client) -> int:
    """Refresh the search text of every booking of ``client`` (renamed, say): one read and one batched
    UPDATE. Returns how many bookings were refreshed."""
    bookings = list(Booking.objects.filter(client=client).select_related("act__workspace", "venue")
                    .only("pk", "reference", "title", "contact_name", "contact_email", "location", "search_text",
                          "act__workspace__name", "venue__name", "client_id"))
    changed = []
    for b in bookings:
        b.client = client
        text = booking_text(b)
        if text != b.search_text:
            b.search_text = text
            changed.append(b)
    Booking.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


class BookingDocument(Func):
    """``to_tsvector('simple'::regconfig, search_text)``: exactly the expression of the GIN index (a
    ``SearchVector`` would wrap the column in ``COALESCE`` and pass the config as a parameter, which the
    planner cannot match to the index). PostgreSQL only."""

    template = f"to_tsvector('{CONFIG}'::regconfig, %(expressions)s)"
    arity = 1

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__("search_text", output_field=SearchVectorField())
