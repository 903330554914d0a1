"""The bookings API: inquiries, holds, offers and counter-offers, confirmation and closing; every
transition is an explicit endpoint and a refusal carries a stable problem+json ``code``. Its In/Out
schemas are in ``schemas``; the agencies' books have their own router (``agency.api``)."""


from ninja import Query, Router, Schema
from ninja.pagination import paginate

from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id, OffsetDateTime
from backline.core.downloads import download_response
from backline.core.openapi import keep_operation_ids

from . import deals, selectors, services
from .models import Advance, Booking
from .permissions import access_booking
from .schemas import (
    AcceptIn,
    AdvanceIO,
    BookingDetailOut,
    BookingOut,
    BookingPatchIn,
    HoldIn,
    InquiryIn,
    InquiryRequestIn,
    MyGigOut,
    OfferIn,
    OfferOut,
    ReasonIn,
    TimelineOut,
)
from .workflow import allowed_next

router = Router(tags=["bookings"])


def _ref(obj, name):
    return {"id": obj.pk, "name": name} if obj is not None else None


def booking_out(b: Booking, *, current_offer=None) -> dict:
    return {
        "id": b.pk, "reference": b.reference, "title": b.title, "status": b.status,
        "workspace": _ref(b.workspace, b.workspace.name), "act": _ref(b.act, b.act.workspace.name if b.act_id else ""),
        "venue": _ref(b.venue, b.venue.name if b.venue_id else ""),
        "client": _ref(b.client, str(b.client) if b.client_id else ""),
        "source": b.source, "date_from": b.date_from, "date_to": b.date_to, "starts_at": b.starts_at, "ends_at": b.ends_at,
        "time_zone": b.time_zone, "location": b.location, "budget": b.budget, "currency": b.currency,
        "hold_rank": b.hold_rank, "hold_expires_at": b.hold_expires_at, "challenge_deadline": b.challenge_deadline,
        "offer_expires_at": b.offer_expires_at, "confirmed_at": b.confirmed_at, "close_reason": b.close_reason,
        "deal": deals.summary(services.deal_of(current_offer)) if current_offer else None,
    }


def offers_out(offers) -> list[dict]:
    out, previous = [], None
    for o in offers:
        deal = services.deal_of(o)
        out.append({
            **{f: getattr(o, f) for f in ("id", "version", "side", "status", "deal_type", "currency", "guarantee", "percent",
                                          "basis", "expenses", "bonuses", "deposit_percent", "deposit_due", "ticket_price",
                                          "capacity", "radius_km", "radius_days", "set_minutes", "load_in", "doors",
                                          "curfew", "package_id", "notes", "expires_at", "created_at")},
            "summary": deals.summary(deal),
            "attachments": [{"id": a.pk, "title": str(a), "kind": a.kind, "content_type": a.content_type,
                             "download_url": f"/api/v1/bookings/{o.booking_id}/files/{a.pk}"}
                            for a in o.attachments.all()],
            "changes": [list(c) for c in deals.changes(previous, deal)] if previous else [],
        })
        previous = deal
    return out


def detail_out(request, booking_id: int) -> dict:
    ba = access_booking(user=request.auth, booking_id=booking_id)
    b = selectors.booking_detail(ba.booking)
    offers = list(b.offers.all())
    current = next((o for o in reversed(offers) if o.status in ("proposed", "accepted")), None)
    return {
        **booking_out(b, current_offer=current), "contact_name": b.contact_name, "contact_email": b.contact_email,
        "contact_phone": b.contact_phone, "notes": b.notes if ba.side == "buyer" else "", "side": ba.side,
        "allowed_next": allowed_next(b.status), "offers": offers_out(offers),
        "assignments": [{"performer_id": a.performer_id, "performer_name": a.performer.name, "role": a.role,
                         "payout": a.payout, "currency": a.currency, "override_reason": a.override_reason}
                        for a in b.assignments.all()] if ba.side == "buyer" else [],
    }


class BookingFilters(Schema):
    workspace_id: Id | None = None
    status: list[str] | None = None
    start: OffsetDateTime | None = None
    end: OffsetDateTime | None = None
    act_id: Id | None = None
    venue_id: Id | None = None
    client_id: Id | None = None
    source: str | None = None


@router.get("/bookings", response={200: list[BookingOut], **ERROR_RESPONSES})
@paginate
def booking_list(request, filters: Query[BookingFilters]):
    """Every booking you may see, filtered by status (repeat the parameter for several), date range,
    workspace, act, venue, client or source."""
    return selectors.bookings_for(request.auth, **filters.dict())


@router.post("/workspaces/{workspace_id}/inquiries", response={201: BookingDetailOut, **ERROR_RESPONSES})
def inquiry_create(request, workspace_id: int, payload: InquiryIn):
    """Log an inquiry (a venue, promoter or agency): who asked, how, for which act, when, for how much."""
    booking = services.inquiry_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())
    return 201, detail_out(request, booking.pk)


@router.post("/acts/{workspace_id}/inquiries", response={201: BookingDetailOut, **ERROR_RESPONSES})
def inquiry_request(request, workspace_id: int, payload: InquiryRequestIn):
    """An act asks a venue or promoter for a date (or dates), with optional times, budget and message. The
    buyer sees it in its pipeline as an inquiry from the act and is notified; the act sees it too. 409
    ``inquiry_exists`` when the act already has an open inquiry with that buyer for those dates."""
    booking = services.inquiry_request(actor=request.auth, act_workspace_id=workspace_id, **payload.dict())
    return 201, detail_out(request, booking.pk)


@router.post("/agencies/{workspace_id}/acts/{act_workspace_id}/inquiries",
             response={201: BookingDetailOut, **ERROR_RESPONSES})
def agency_inquiry_request(request, workspace_id: int, act_workspace_id: int, payload: InquiryRequestIn):
    """An agency asks a venue or promoter for a date on behalf of an act it represents (as an act would;
    the same checks, the same 409 and rate limit). The buyer sees an inquiry from the act via the agency;
    the act and the agency see it too. An act the agency does not represent now is 404."""
    booking = services.inquiry_request(actor=request.auth, agency_workspace_id=workspace_id,
                                       act_workspace_id=act_workspace_id, **payload.dict())
    return 201, detail_out(request, booking.pk)


@router.post("/inquiries/{booking_id}/lost", response={200: BookingDetailOut, **ERROR_RESPONSES})
def inquiry_lost(request, booking_id: int, payload: ReasonIn):
    services.inquiry_mark_lost(actor=request.auth, booking_id=booking_id, reason=payload.reason)
    return detail_out(request, booking_id)


@router.post("/inquiries/{booking_id}/convert-to-booking", response={200: BookingDetailOut, **ERROR_RESPONSES})
def inquiry_convert(request, booking_id: int, payload: AcceptIn):
    """Agencies: the client accepted a quote; the booking is confirmed and the performers committed."""
    from .agency.services import inquiry_convert as convert

    convert(actor=request.auth, booking_id=booking_id, quote_id=payload.offer_id)
    return detail_out(request, booking_id)


@router.get("/bookings/{booking_id}", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_detail(request, booking_id: int):
    """The deal, the parties, every offer version (with what changed) and the stages allowed next."""
    return detail_out(request, booking_id)


@router.patch("/bookings/{booking_id}", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_update(request, booking_id: int, payload: BookingPatchIn):
    """Change an inquiry's or booking's details (the buyer's side): only the fields given change.
    An inquiry may change anything, its date range or its start and end included (a date-only inquiry
    gets its times here). A hold or offer may move in time (ranked again at the venue when the local
    day changes), a hold to another venue; a confirmed show may move in time (checked again for double
    bookings: 409 ``double_booked``) and change stage. A played or ended booking is read-only. A field
    its stage keeps is 409 ``booking_field_locked`` naming it; a bad value is 422."""
    services.booking_update(actor=request.auth, booking_id=booking_id, **payload.dict(exclude_unset=True))
    return detail_out(request, booking_id)


@router.get("/bookings/{booking_id}/history", response={200: list[TimelineOut], **ERROR_RESPONSES})
def booking_history(request, booking_id: int):
    booking = access_booking(user=request.auth, booking_id=booking_id).booking
    return [{"at": e.at, "action": e.action, "actor": e.actor.display_name if e.actor else None, "before": e.before,
             "after": e.after} for e in selectors.timeline(booking)]


@router.post("/bookings/{booking_id}/hold", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_hold(request, booking_id: int, payload: HoldIn):
    """Hold the date: the booking becomes the next-ranked hold at the venue on that day. 409 ``offer_open``
    while an offer is open on it: withdraw or answer the offer first."""
    services.hold_place(actor=request.auth, booking_id=booking_id, **payload.dict())
    return detail_out(request, booking_id)


@router.post("/bookings/{booking_id}/release", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_release(request, booking_id: int, payload: ReasonIn):
    services.hold_release(actor=request.auth, booking_id=booking_id, reason=payload.reason)
    return detail_out(request, booking_id)


@router.post("/bookings/{booking_id}/challenge", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_challenge(request, booking_id: int):
    """A lower hold with a firm offer asks the 1st hold to confirm or release by a deadline
    (answers the challenged 1st hold)."""
    first = services.hold_challenge(actor=request.auth, booking_id=booking_id)
    return detail_out(request, first.pk) if _sees(request, first.pk) else detail_out(request, booking_id)


def _sees(request, booking_id: int) -> bool:
    from backline.core.errors import DomainError

    try:
        access_booking(user=request.auth, booking_id=booking_id)
    except DomainError:
        return False
    return True


@router.post("/bookings/{booking_id}/offers", response={201: BookingDetailOut, **ERROR_RESPONSES})
def booking_offer(request, booking_id: int, payload: OfferIn):
    """Make an offer, a counter-offer (the other side) or, for agencies, a quote. Every version is kept."""
    services.offer_make(actor=request.auth, booking_id=booking_id, **payload.dict())
    return 201, detail_out(request, booking_id)


@router.get("/bookings/{booking_id}/offers", response={200: list[OfferOut], **ERROR_RESPONSES})
def booking_offers(request, booking_id: int):
    booking = access_booking(user=request.auth, booking_id=booking_id).booking
    return offers_out(booking.offers.prefetch_related("attachments"))


@router.get("/bookings/{booking_id}/files/{file_id}", response={200: None, **ERROR_RESPONSES},
            openapi_extra={"responses": {200: {"description": "The file, as an attachment (Content-Disposition)",
                                               "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}})
def booking_offer_file(request, booking_id: int, file_id: int):
    """Download a file sent with one of the booking's offers (either side; anyone else 404)."""
    booking = access_booking(user=request.auth, booking_id=booking_id).booking
    asset = services.offer_file(booking, file_id)
    return download_response(asset.file, filename=services.download_name(asset), content_type=asset.content_type)


@router.post("/bookings/{booking_id}/confirm", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_confirm(request, booking_id: int, payload: AcceptIn):
    """Accept the open offer: the show is confirmed, the contract issued, everyone who plays committed.
    409 ``double_booked`` names the show a performer already has at that time."""
    services.offer_accept(actor=request.auth, booking_id=booking_id, offer_id=payload.offer_id)
    return detail_out(request, booking_id)


@router.post("/bookings/{booking_id}/withdraw-offer", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_withdraw(request, booking_id: int):
    services.offer_withdraw(actor=request.auth, booking_id=booking_id)
    return detail_out(request, booking_id)


@router.post("/bookings/{booking_id}/decline", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_decline(request, booking_id: int, payload: ReasonIn):
    """Say no to the open offer: the booking is declined. 409 ``own_offer`` when the open offer is the
    caller's own (withdraw it instead); an agency records its client's no to its own quote."""
    services.offer_decline(actor=request.auth, booking_id=booking_id, reason=payload.reason)
    return detail_out(request, booking_id)


@router.post("/bookings/{booking_id}/cancel", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_cancel(request, booking_id: int, payload: ReasonIn):
    """Cancel at any stage with a reason: commitments are released and the other side is told."""
    services.booking_cancel(actor=request.auth, booking_id=booking_id, reason=payload.reason)
    return detail_out(request, booking_id)


@router.post("/bookings/{booking_id}/complete", response={200: BookingDetailOut, **ERROR_RESPONSES})
def booking_complete(request, booking_id: int):
    services.booking_complete(actor=request.auth, booking_id=booking_id)
    return detail_out(request, booking_id)


@router.get("/bookings/{booking_id}/advance", response={200: AdvanceIO, **ERROR_RESPONSES})
def booking_advance(request, booking_id: int):
    """The advance of a confirmed show (empty until someone fills it in)."""
    booking = access_booking(user=request.auth, booking_id=booking_id).booking
    return Advance.objects.filter(booking=booking).first() or Advance(booking=booking)


@router.put("/bookings/{booking_id}/advance", response={200: AdvanceIO, **ERROR_RESPONSES})
def booking_advance_put(request, booking_id: int, payload: AdvanceIO):
    """Either side fills in load-in, soundcheck, doors, set times, changeover, curfew, parking, contacts,
    hospitality, guest list and backline; the day sheet PDF is printed from it."""
    return services.advance_update(actor=request.auth, booking_id=booking_id, **payload.dict())


@router.get("/me/assignments", response={200: list[MyGigOut], **ERROR_RESPONSES})
@paginate
def my_assignments(request):
    """A performer's own gigs across their agencies: nothing of anyone else's."""
    return selectors.assignments_for_performer_user(request.auth)


keep_operation_ids(router, "backline.bookings.api.pipeline")  # where these operations were first published
