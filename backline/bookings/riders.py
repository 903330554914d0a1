"""The act's riders on a booking: the versions in force (those recorded when the offer was accepted,
else the act's current ones), shown to both sides with a PDF, and what fits the stage and what does not
(``core.stagefit.compare``), before anyone agrees."""

from __future__ import annotations

from django.urls import reverse

from backline.accounts.permissions import BOOKINGS_VIEW
from backline.accounts.ui import Panel, workspace_view
from backline.artists import riders
from backline.artists.models import Rider, RiderKind
from backline.artists.rider_views import pdf_file, rider_context, riders_pdf_bytes
from backline.core.stagefit import StageOffer, compare
from backline.venues.specs import stage_offer

from .models import Booking, OfferStatus


def known_stage_offer(stage) -> StageOffer | None:
    """What a stage offers, or None when nothing of its spec is known (then there is nothing to compare)."""
    offer = stage_offer(stage)
    return None if offer == StageOffer() else offer


def riders_in_force(booking: Booking) -> dict[str, Rider]:
    """By kind: the versions recorded on the accepted offer, else the act's riders in force now. Read once
    per booking object (the page's rider card, the advance and the day sheet share it)."""
    cached = getattr(booking, "_riders_in_force", None)
    if cached is None:
        cached = booking._riders_in_force = _read_riders_in_force(booking)
    return cached


def _read_riders_in_force(booking: Booking) -> dict[str, Rider]:
    if not booking.act_id:
        return {}
    accepted = next((o for o in booking.offers.all() if o.status == OfferStatus.ACCEPTED), None)
    if accepted is not None and (accepted.technical_rider_id or accepted.hospitality_rider_id):
        ids = [i for i in (accepted.technical_rider_id, accepted.hospitality_rider_id) if i]
        return {r.kind: r for r in Rider.objects.filter(pk__in=ids).prefetch_related("inputs")}
    return {kind: r for (_act, kind), r in riders.current_riders([booking.act_id]).items()}


def rider_section(request, booking, side):
    """The riders card of the booking page, for the act and the buyer (venue, promoter, agency) alike."""
    access = getattr(request, "access", None)
    if access is None or not booking.act_id or not access.can(BOOKINGS_VIEW):
        return None
    in_force = riders_in_force(booking)
    slug = access.workspace.slug
    cards = [rider_context(r) for r in _in_order(in_force)]
    technical = in_force.get(RiderKind.TECHNICAL)
    offer = known_stage_offer(booking.room) if booking.room_id else None
    fit = compare(riders.stage_needs(technical), offer) if (technical and offer) else []
    recorded = any(o.status == OfferStatus.ACCEPTED and (o.technical_rider_id or o.hospitality_rider_id)
                   for o in booking.offers.all())
    return Panel(template="bookings/_rider_section.html", order=4, context={
        "cards": cards, "fit": fit, "stage": booking.room if booking.room_id else None, "recorded": recorded,
        "act_name": booking.act.workspace.name, "spec_known": offer is not None,
        "pdf": reverse("booking_rider_pdf", args=[slug, booking.pk])})


def _in_order(in_force: dict[str, Rider]) -> list[Rider]:
    return sorted(in_force.values(), key=lambda r: r.kind != RiderKind.TECHNICAL)


@workspace_view(BOOKINGS_VIEW)
def booking_rider_pdf(request, booking_id: int):
    """The act's riders in force on this booking (technical, then hospitality), as one PDF, for either side."""
    from .views import _booking

    booking, _side = _booking(request, booking_id)  # a booking without an act prints that there is no rider
    act_name = booking.act.workspace.name if booking.act_id else ""
    return pdf_file(riders_pdf_bytes(act_name, _in_order(riders_in_force(booking))), f"riders-{booking.reference}.pdf")
