"""The agency back office, inside the bookings app: an agency's clients (with their booking history) and
priced packages, its performers put on bookings with their payouts (refused when a performer is booked
elsewhere, unless an owner or admin overrides with a reason) and who is free on a date, and the convert
step that confirms a client's booking from an accepted quote. The models (``Client``, ``Package``,
``Assignment``) live with the other bookings models; this package holds their services, reads, web pages
and API router."""
