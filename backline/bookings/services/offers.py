"""Offers and counter-offers: making, accepting (which confirms the show), withdrawing and declining."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.artists import riders
from backline.artists.models import RiderKind
from backline.core.errors import Conflict, Forbidden, Invalid
from backline.core.events import emit
from backline.core.timeutil import check_planned
from backline.core.validation import validate_model

from .. import deals, events
from ..models import Booking, Offer, OfferStatus, Package, Side, Status
from ..permissions import access_booking
from ..workflow import move, move_offer
from .closing import _close
from .commitments import sync_commitments
from .common import _record
from .offer_files import checked_attachments, sender_workspace_id
from .ranks import _lock_venues, _renumber

OFFER_TERMS = ("deal_type", "currency", "guarantee", "percent", "basis", "expenses", "bonuses", "deposit_percent",
               "deposit_due", "ticket_price", "capacity", "radius_km", "radius_days", "set_minutes", "load_in",
               "doors", "curfew", "notes", "expires_at", "package_id")


def deal_of(offer: Offer) -> deals.Deal:
    return deals.Deal(
        currency=offer.currency, deal_type=deals.DealType(offer.deal_type), guarantee=offer.guarantee,
        percent=offer.percent, basis=offer.basis, expenses=offer.expenses or Decimal(0),
        bonuses=tuple(deals.Bonus(int(b["tickets"]), Decimal(str(b["amount"]))) for b in offer.bonuses or []),
        deposit_percent=offer.deposit_percent, deposit_due=offer.deposit_due, ticket_price=offer.ticket_price,
        capacity=offer.capacity, radius_km=offer.radius_km, radius_days=offer.radius_days)


def is_agency_quote(booking: Booking) -> bool:
    """An agency's own booking without an act: its offers are quotes to its client, who is not on Backline
    (the agency records the client's yes or no)."""
    return booking.act_id is None and booking.workspace.kind == WorkspaceKind.AGENCY


def client_name(booking: Booking) -> str:
    return booking.client.name if booking.client_id else "the client"


def _terms_from(terms: dict, booking: Booking) -> dict:
    """Check and normalise offer terms (→ 422 naming each bad field); nothing is written here."""
    unknown = set(terms) - set(OFFER_TERMS)
    if unknown:
        raise Invalid(f"Unknown terms: {', '.join(sorted(unknown))}")
    t = dict(terms)
    package = Package.objects.filter(pk=t["package_id"], workspace=booking.workspace).first() \
        if t.get("package_id") is not None else None
    if package and t.get("guarantee") in (None, "") and t.get("deal_type") in deals.WITH_GUARANTEE:
        # A quote for a package at no other price is at the package's price, in its currency.
        t["guarantee"] = package.price
        t["currency"] = t.get("currency") or package.currency
    t["currency"] = (t.get("currency") or booking.currency).strip().upper()
    t["basis"] = t.get("basis") or "net"
    t["expenses"] = t.get("expenses") if t.get("expenses") not in (None, "") else Decimal(0)
    t["bonuses"] = [{"tickets": int(b["tickets"]), "amount": str(Decimal(str(b["amount"])))} for b in t.get("bonuses") or []]
    for field in ("guarantee", "percent", "expenses", "deposit_percent", "ticket_price"):
        if t.get(field) not in (None, ""):
            try:
                t[field] = Decimal(str(t[field]))
            except ArithmeticError:
                raise Invalid("Not a number.", errors={field: ["Enter a number."]}) from None
    if t.get("deal_type") not in [d.value for d in deals.DealType]:
        raise Invalid("Unknown deal.", errors={"deal_type": [f"Choose one of {', '.join(d.value for d in deals.DealType)}."]})
    check_planned(expires_at=t.get("expires_at"), deposit_due=t.get("deposit_due"))
    draft = Offer(booking=booking, version=1, side=Side.BUYER, **{k: v for k, v in t.items() if k != "package_id"})
    try:  # what the columns hold (numbers in range, digits, lengths), on every database
        validate_model(draft, exclude=["booking", "package", "created_by"])
        errors = {}
    except Invalid as exc:
        errors = {field: list(messages) for field, messages in exc.errors.items()}
    for field, messages in deals.validate(deal_of(draft)).items():
        errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if t.get("expires_at") and t["expires_at"] <= timezone.now():
        errors.setdefault("expires_at", []).append("An offer expires in the future.")
    if t.get("deposit_due") and booking.starts_at and t["deposit_due"] > booking.starts_at.date():
        errors.setdefault("deposit_due", []).append("The deposit is due before the show.")
    if t.get("package_id") is not None and package is None:
        errors.setdefault("package_id", []).append("Choose one of your packages.")
    if errors:
        raise Invalid("Please correct the deal.", errors=errors)
    return t


def offer_make(*, actor, booking_id: int, **terms) -> Offer:
    """A new version of the deal from the actor's side: the first offer, a counter-offer or an
    agency's quote. The version it answers is marked countered; every version is kept.
    ``attachment_ids``: files from the sender's media library sent with it (``offer_files``)."""
    attachment_ids = terms.pop("attachment_ids", None) or []
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        attachments = checked_attachments(workspace_id=sender_workspace_id(booking, ba.side), asset_ids=attachment_ids)
        if booking.status in (Status.INQUIRY, Status.HOLD):
            if ba.side != Side.BUYER:
                raise Forbidden("The buyer makes the first offer.")
            before_status = booking.status
            move(booking, Status.OFFER)
        elif booking.status == Status.OFFER:
            before_status = booking.status
        else:
            move(booking, Status.OFFER)  # raises: no offers on a confirmed, cancelled or closed booking
        t = _terms_from(terms, booking)
        previous = list(booking.offers.select_for_update().filter(status=OfferStatus.PROPOSED))
        for old in previous:
            move_offer(old, OfferStatus.SUPERSEDED)
            old.save(update_fields=["status", "updated_at"])
        version = (booking.offers.order_by("-version").values_list("version", flat=True).first() or 0) + 1
        offer = Offer.objects.create(booking=booking, version=version, side=ba.side, created_by=actor, **t)
        offer.attachments.set(attachments)
        booking.offer_expires_at = offer.expires_at
        booking.save()
        action = "booking.offer_made" if version == 1 else "booking.counter_offer_made"
        if is_agency_quote(booking):  # its history says who quoted whom, not "the buyer"
            who = {"quote_version": version, "quoted_by": booking.workspace.name, "quoted_to": client_name(booking)}
        else:
            who = {"version": version, "side": ba.side}
        _record(actor, action, booking, before={"status": before_status},
                after={"status": booking.status, **who,
                       "deal": deals.summary(deal_of(offer), quote=is_agency_quote(booking)),
                       **({"files": [str(a) for a in attachments]} if attachments else {})})
        emit(events.offer_made, booking_id=booking.pk, offer_id=offer.pk, side=ba.side, version=version,
             workspace_id=booking.workspace_id, act_workspace_id=booking.act.workspace_id if booking.act_id else None,
             actor_id=actor.pk)
    return offer



def offer_accept(*, actor, booking_id: int, offer_id: int | None = None) -> Booking:
    """Both sides agree: the offer is accepted, the show is confirmed, the contract is issued and every
    performer is committed. The side that made the offer cannot accept it (an agency records its
    client's yes to its own quote)."""
    with transaction.atomic():
        _lock_venues(booking_id=booking_id)  # the holds behind it move up
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        offers = booking.offers.select_for_update().filter(status=OfferStatus.PROPOSED)
        offer = (offers.filter(pk=offer_id) if offer_id else offers.order_by("-version")).first()
        if offer is None:
            raise Invalid("There is no open offer to accept.", errors={"offer_id": ["Choose the open offer."]})
        agency_quote = is_agency_quote(booking)
        if offer.side == ba.side and not agency_quote:
            raise Forbidden("The other side accepts an offer.")
        if booking.starts_at is None or booking.ends_at is None:
            raise Invalid("A confirmed show needs its date and times.", errors={"starts_at": ["Set the show's date first."]})
        move(booking, Status.CONFIRMED)
        move_offer(offer, OfferStatus.ACCEPTED)
        if booking.act_id:  # the riders agreed with: the versions in force now
            in_force = riders.current_riders([booking.act_id])
            offer.technical_rider = in_force.get((booking.act_id, RiderKind.TECHNICAL))
            offer.hospitality_rider = in_force.get((booking.act_id, RiderKind.HOSPITALITY))
        offer.save(update_fields=["status", "technical_rider", "hospitality_rider", "updated_at"])
        now = timezone.now()
        booking.confirmed_at = booking.contract_issued_at = now
        venue_id, starts_at, tz_name = booking.venue_id, booking.starts_at, booking.time_zone
        booking.hold_rank, booking.hold_expires_at, booking.offer_expires_at = None, None, None
        booking.challenge_deadline = None
        booking.save()
        sync_commitments(booking, actor=actor)  # 409 naming the other show if anyone is double-booked
        if venue_id:
            _renumber(venue_id, starts_at, tz_name, actor=actor)
        _record(actor, "booking.confirmed", booking, before={"status": Status.OFFER},
                after={"status": booking.status,
                       **({"accepted_quote": offer.version, "quoted_to": client_name(booking)} if agency_quote
                          else {"offer": offer.version}),
                       "deal": deals.summary(deal_of(offer), quote=agency_quote)})
        emit(events.booking_confirmed, booking_id=booking.pk, workspace_id=booking.workspace_id,
             act_workspace_id=booking.act.workspace_id if booking.act_id else None, actor_id=actor.pk)
    return booking


def offer_withdraw(*, actor, booking_id: int) -> Booking:
    """Take the open offer back; a held date stays held."""
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        offer = booking.offers.select_for_update().filter(status=OfferStatus.PROPOSED, side=ba.side).first()
        if offer is None:
            raise Invalid("You have no open offer here.", errors={"offer_id": ["Nothing to withdraw."]})
        move_offer(offer, OfferStatus.WITHDRAWN)
        offer.save(update_fields=["status", "updated_at"])
        if booking.hold_rank:
            move(booking, Status.HOLD)
            booking.save()
        _record(actor, "booking.offer_withdrawn", booking, after={"version": offer.version, "status": booking.status})
    return booking


def offer_decline(*, actor, booking_id: int, reason: str) -> Booking:
    """The side an offer was made to says no: the booking is declined. A side does not decline its own
    open offer (409 ``own_offer``): it withdraws it. An agency records its client's no to its own quote,
    as it records the yes."""
    return _close(actor, booking_id, Status.DECLINED, reason, "booking.declined", check=_not_own_offer)


def _not_own_offer(ba) -> None:
    booking = ba.booking
    open_offer = booking.offers.filter(status=OfferStatus.PROPOSED).order_by("-version").first()
    agency_quote = is_agency_quote(booking)
    if open_offer is not None and open_offer.side == ba.side and not agency_quote:
        raise Conflict("This is your own offer: withdraw it instead; the other side declines it.", code="own_offer",
                       conflicting={"type": "offer", "id": open_offer.pk, "version": open_offer.version})
