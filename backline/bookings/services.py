"""Writes for the deal pipeline: inquiries, holds, offers and counter-offers, confirmation, cancelling.
Every one is keyword-only, runs in a transaction, locks what it changes, moves statuses only through
``workflow`` and writes an audit entry; commitments go through the scheduling app's one door."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, access_workspace
from backline.artists.models import Act, ActMember, Performer
from backline.core import audit
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from backline.core.events import emit
from backline.core.timeutil import check_planned, check_span, zone
from backline.core.validation import validate_model
from backline.scheduling.services.commitments import commitments_sync
from backline.venues.models import Venue

from . import deals, events, indexing
from .models import (
    ACT_OVERLAP_CONSTRAINT,
    OPEN_STATUSES,
    PERFORMER_OVERLAP_CONSTRAINT,
    Booking,
    Client,
    Engagement,
    Offer,
    OfferStatus,
    Package,
    Side,
    Source,
    Status,
)
from .permissions import access_booking, act_sees
from .workflow import check_editable, move, move_offer

BUYER_KINDS = (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER, WorkspaceKind.AGENCY)
INQUIRY_FIELDS = ("title", "source", "contact_name", "contact_email", "contact_phone", "date_from", "date_to",
                  "location", "budget", "currency", "notes")
SHOW_FIELDS = ("status", "starts_at", "ends_at", "hold_rank", "hold_expires_at")


def _reference() -> str:
    return "BL-" + secrets.token_hex(4).upper()


def _record(actor, action: str, booking: Booking, before=None, after=None) -> None:
    audit.record(actor=actor, action=action, obj=booking, before=before, after=after, workspace_id=booking.workspace_id)
    if act_sees(booking):  # the act's history shows its shows too
        audit.record(actor=actor, action=action, obj=booking, before=before, after=after,
                     workspace_id=booking.act.workspace_id)


def _buyer(actor, workspace_id: int):
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=BOOKINGS_MANAGE)
    if access.workspace.kind not in BUYER_KINDS:
        raise NotFound("Acts answer offers; venues, promoters and agencies log inquiries and place holds.")
    return access


def _venue_of(workspace, venue_id: int | None) -> Venue | None:
    if venue_id is None:
        return None
    venue = Venue.objects.filter(pk=venue_id).first()
    if venue is None:
        raise Invalid("Unknown venue.", errors={"venue_id": ["Choose a venue on Backline."]})
    if workspace.kind == WorkspaceKind.VENUE and venue.workspace_id != workspace.pk:
        raise Invalid("Not your venue.", errors={"venue_id": ["A venue books its own rooms only."]})
    return venue


def _act(act_id: int | None) -> Act | None:
    if act_id is None:
        return None
    act = Act.objects.select_related("workspace").filter(pk=act_id).first()
    if act is None:
        raise Invalid("Unknown act.", errors={"act_id": ["Choose an act on Backline."]})
    return act


def _client(workspace, client_id: int | None) -> Client | None:
    if client_id is None:
        return None
    client = Client.objects.filter(pk=client_id, workspace=workspace, archived_at__isnull=True).first()
    if client is None:
        raise Invalid("Unknown client.", errors={"client_id": ["Choose one of your clients."]})
    return client


def _package(workspace, package_id: int | None) -> Package | None:
    if package_id is None:
        return None
    package = Package.objects.filter(pk=package_id, workspace=workspace, is_active=True).first()
    if package is None:
        raise Invalid("Unknown package.", errors={"package_id": ["Choose one of your active packages."]})
    return package


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise Invalid("Not an amount.", errors={field: ["Enter an amount such as 500 or 499.50."]}) from None
    if not amount.is_finite() or amount < 0:
        raise Invalid("Not an amount.", errors={field: ["Enter an amount of 0 or more."]})
    return amount


def _currency(code: str) -> str:
    code = (code or "").strip().upper()
    errors = deals.validate(deals.Deal(currency=code, deal_type=deals.DealType.GUARANTEE, guarantee=Decimal(0)))
    if "currency" in errors:
        raise Invalid("Unknown currency.", errors={"currency": errors["currency"]})
    return code


# --- inquiries ------------------------------------------------------------------------------------

def inquiry_create(*, actor, workspace_id: int, title: str, source: str = Source.EMAIL, act_id: int | None = None,
                   venue_id: int | None = None, client_id: int | None = None, package_id: int | None = None,
                   contact_name: str = "", contact_email: str = "", contact_phone: str = "",
                   date_from: dt.date | None = None, date_to: dt.date | None = None, location: str = "",
                   budget=None, currency: str | None = None, notes: str = "", starts_at: dt.datetime | None = None,
                   ends_at: dt.datetime | None = None) -> Booking:
    """Log who asked, how, for when and for how much. The act does not see it until a hold or offer.
    When the show's time is known already (a wedding at 18:00), give ``starts_at`` and ``ends_at``."""
    if (starts_at is None) != (ends_at is None):
        raise Invalid("Give both times.", errors={"ends_at": ["Give the show's start and end, or neither."]})
    check_planned(date_from=date_from, date_to=date_to)
    if starts_at is not None:
        check_span(starts_at, ends_at, max_days=2)
        date_from = date_from or starts_at.date()
    with transaction.atomic():
        access = _buyer(actor, workspace_id)
        ws = access.workspace
        if source not in Source.values:
            raise Invalid("Unknown source.", errors={"source": [f"Choose one of {', '.join(Source.values)}."]})
        if date_from and date_to and date_to < date_from:
            raise Invalid("The range ends before it starts.", errors={"date_to": ["The last date is before the first."]})
        package = _package(ws, package_id)
        booking = Booking(workspace=ws, reference=_reference(), title=(title or "").strip(), source=source,
                          act=_act(act_id), venue=_venue_of(ws, venue_id), client=_client(ws, client_id), package=package,
                          contact_name=contact_name.strip(), contact_email=(contact_email or "").strip().lower(),
                          contact_phone=contact_phone.strip(), date_from=date_from, date_to=date_to or date_from,
                          location=location.strip(), budget=_money(budget, "budget"), starts_at=starts_at,
                          ends_at=ends_at,
                          currency=_currency(currency or ws.currency), notes=notes.strip(),
                          time_zone=ws.time_zone, created_by=actor)
        if booking.venue:
            booking.time_zone = booking.venue.time_zone
        validate_model(booking, exclude=["workspace", "act", "venue", "room", "client", "package", "created_by",
                                         "challenged_by"])
        booking.search_text = indexing.booking_text(booking)  # written by the INSERT: no extra query
        booking.save()
        _record(actor, "booking.inquiry_logged", booking, after=audit.snapshot(booking, INQUIRY_FIELDS))
        emit(events.inquiry_logged, booking_id=booking.pk, workspace_id=ws.pk, actor_id=actor.pk)
    return booking


ASKABLE_KINDS = (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER)  # whom an act may ask for a date
MAX_ASK_DAYS = 92  # a date range an act asks for: about three months at most
ASKS_PER_DAY = 30  # inquiries one act may send in 24 hours: a brake on a runaway script, not on a busy tour


def _asked(*, venue_id: int | None, buyer_workspace_id: int | None):
    """The buyer an act asks (a venue's or a promoter's workspace) and the venue, if one is named.
    A promoter books into many venues, so any venue goes with a promoter; a venue's workspace only
    its own."""
    from backline.accounts.models import Workspace

    if venue_id is None and buyer_workspace_id is None:
        raise Invalid("Whom do you ask?", errors={"venue_id": ["Choose the venue (or promoter) to ask."]})
    venue = None
    if venue_id is not None:
        venue = Venue.objects.select_related("workspace").filter(pk=venue_id).first()
        if venue is None:
            raise Invalid("Unknown venue.", errors={"venue_id": ["Choose a venue on Backline."]})
        if venue.workspace.kind not in ASKABLE_KINDS:
            raise Invalid("That venue takes no inquiries.",
                          errors={"venue_id": ["This venue is not run by a venue or promoter on Backline."]})
    if buyer_workspace_id is None:
        return venue.workspace, venue
    buyer = Workspace.objects.filter(pk=buyer_workspace_id).first()
    if buyer is None or buyer.kind not in ASKABLE_KINDS:
        raise Invalid("Unknown venue or promoter.",
                      errors={"buyer_workspace_id": ["Choose a venue or promoter on Backline."]})
    if venue is not None and buyer.kind == WorkspaceKind.VENUE and venue.workspace_id != buyer.pk:
        raise Invalid("Not their venue.", errors={"venue_id": [f"{venue.name} is not one of {buyer.name}'s venues."]})
    return buyer, venue


def _ask_brake(act: Act) -> None:
    since = timezone.now() - dt.timedelta(days=1)
    sent = list(Booking.objects.filter(act=act, act_asked=True, created_at__gte=since).order_by("created_at")
                .values_list("created_at", flat=True)[:ASKS_PER_DAY])
    if len(sent) >= ASKS_PER_DAY:
        retry = max(1, int((sent[0] + dt.timedelta(days=1) - timezone.now()).total_seconds()))
        raise RateLimited(f"{act.workspace.name} sent {ASKS_PER_DAY} inquiries in the last 24 hours; try again in "
                          f"{retry // 3600 + 1} hours.", retry_after=retry)


def inquiry_request(*, actor, act_workspace_id: int, date_from: dt.date | None = None, venue_id: int | None = None,
                    buyer_workspace_id: int | None = None, date_to: dt.date | None = None,
                    starts_at: dt.datetime | None = None, ends_at: dt.datetime | None = None, budget=None,
                    currency: str | None = None, message: str = "") -> Booking:
    """An act asks a venue or promoter for a date (or a range of dates), optionally with the show's times,
    a budget and a message. The booking belongs to the buyer, who sees it as an inquiry from the act and
    takes it on (hold, offer) as any other; the act sees it from the start (``act_asked``). Refused: a
    role without bookings.manage (403), a workspace that is not an act (404), a date before today, an
    unknown venue, a workspace that does not book acts, and asking the same buyer twice for one date
    while the first inquiry is open (409 ``inquiry_exists``)."""
    if (starts_at is None) != (ends_at is None):
        raise Invalid("Give both times.", errors={"ends_at": ["Give the show's start and end, or neither."]})
    if starts_at is not None:
        check_span(starts_at, ends_at, max_days=2)
    check_planned(date_from=date_from, date_to=date_to)
    message = (message or "").strip()
    if len(message) > 5000:
        raise Invalid("The message is too long.", errors={"message": ["Write at most 5,000 characters."]})
    with transaction.atomic():
        access = access_workspace(user=actor, workspace_id=act_workspace_id, capability=BOOKINGS_MANAGE)
        if access.workspace.kind != WorkspaceKind.ACT:
            raise NotFound("Acts ask venues for dates; venues, promoters and agencies log inquiries.")
        act = Act.objects.select_related("workspace").get(workspace=access.workspace)
        _ask_brake(act)
        buyer, venue = _asked(venue_id=venue_id, buyer_workspace_id=buyer_workspace_id)
        tz_name = venue.time_zone if venue else buyer.time_zone
        today = timezone.localdate(timezone=zone(tz_name))
        if starts_at is not None:
            local_day = starts_at.astimezone(zone(tz_name)).date()
            date_from = date_from or local_day
            if not (date_from <= local_day <= (date_to or date_from)):
                raise Invalid("The show is outside the dates.",
                              errors={"starts_at": ["The show's start falls outside the dates you ask for."]})
            if starts_at <= timezone.now():
                raise Invalid("That time has passed.", errors={"starts_at": ["Ask for a time in the future."]})
        errors = {}
        if date_from is None:
            errors["date_from"] = ["Choose the date you ask for."]
        elif date_from < today:
            errors["date_from"] = ["That date has passed: ask for today or a later date."]
        elif date_to is not None and date_to < date_from:
            errors["date_to"] = ["The last date is before the first."]
        elif date_to is not None and (date_to - date_from).days + 1 > MAX_ASK_DAYS:
            errors["date_to"] = [f"Ask for at most {MAX_ASK_DAYS} days at once."]
        if errors:
            raise Invalid("Please correct the dates.", errors=errors)
        date_to = date_to or date_from
        duplicate = (Booking.objects.filter(workspace=buyer, act=act, act_asked=True, status__in=OPEN_STATUSES,
                                            date_from__lte=date_to, date_to__gte=date_from).first())
        if duplicate is not None:
            raise Conflict(f"You have already asked {buyer.name} about these dates ({duplicate.reference}); "
                           "follow it up in its conversation.", code="inquiry_exists",
                           conflicting={"type": "booking", "id": duplicate.pk, "reference": duplicate.reference})
        where = venue.name if venue else buyer.name
        booking = Booking(workspace=buyer, reference=_reference(), title=f"{act.workspace.name} at {where}"[:160],
                          source=Source.BACKLINE, act=act, venue=venue, act_asked=True,
                          contact_name=actor.display_name[:120], date_from=date_from, date_to=date_to,
                          starts_at=starts_at, ends_at=ends_at, budget=_money(budget, "budget"),
                          currency=_currency(currency or act.workspace.currency), notes=message,
                          time_zone=tz_name, created_by=actor)
        validate_model(booking, exclude=["workspace", "act", "venue", "room", "client", "package", "created_by",
                                         "challenged_by"])
        booking.search_text = indexing.booking_text(booking)
        booking.save()
        _record(actor, "booking.inquiry_sent", booking, after=audit.snapshot(booking, INQUIRY_FIELDS))
        emit(events.inquiry_logged, booking_id=booking.pk, workspace_id=buyer.pk, actor_id=actor.pk,
             act_workspace_id=act.workspace_id, message=message)
    return booking


def inquiry_mark_lost(*, actor, booking_id: int, reason: str) -> Booking:
    return _close(actor, booking_id, Status.LOST, reason, "booking.lost", buyer_only=True)


# --- holds ----------------------------------------------------------------------------------------

def _local_day(booking_or_start, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    start = booking_or_start.astimezone(zone(tz_name))
    day = dt.datetime.combine(start.date(), dt.time(0), tzinfo=zone(tz_name))
    return day, day + dt.timedelta(days=1)


def _actor_pk(actor) -> int | None:
    """Who did it, for an event's ``actor_id``: nobody when the clock did."""
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _lock_venues(*, booking_id: int, also: int | None = None) -> None:
    """Lock the booking's venue (and ``also``, a venue it moves to) before the booking itself. Every
    service that ranks, re-ranks or reads the ranks of holds takes this lock first, so two of them at
    one venue queue instead of counting the same holds (two 1st holds), and always in the same order
    (venue, then booking) so they cannot deadlock. On SQLite IMMEDIATE transactions queue all writers."""
    current = Booking.objects.filter(pk=booking_id).values_list("venue_id", flat=True).first()
    ids = sorted({v for v in (current, also) if v})
    if ids:
        list(Venue.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _holds_on(venue_id: int, starts_at: dt.datetime, tz_name: str):
    """The live holds at a venue on the show's local date, locked, in rank order."""
    day_start, day_end = _local_day(starts_at, tz_name)
    return list(Booking.objects.select_for_update().filter(
        venue_id=venue_id, status__in=(Status.HOLD, Status.OFFER), hold_rank__isnull=False,
        starts_at__gte=day_start, starts_at__lt=day_end).order_by("hold_rank", "id"))


def _renumber(venue_id: int, starts_at: dt.datetime, tz_name: str, *, actor) -> None:
    """Close the gaps after a hold ends: 2nd becomes 1st and so on; whoever becomes 1st is told."""
    for rank, hold in enumerate(_holds_on(venue_id, starts_at, tz_name), start=1):
        if hold.hold_rank != rank:
            before = hold.hold_rank
            hold.hold_rank = rank
            hold.save(update_fields=["hold_rank", "updated_at"])
            _record(actor, "booking.hold_promoted", hold, before={"hold_rank": before}, after={"hold_rank": rank})
            if rank == 1:
                emit(events.hold_promoted, booking_id=hold.pk, workspace_id=hold.workspace_id, actor_id=_actor_pk(actor),
                     act_workspace_id=hold.act.workspace_id if hold.act_id else None)


def _rank(booking: Booking, was: tuple | None, *, actor) -> None:
    """Give a held booking (at its venue and times now) its rank. ``was`` is where it was ranked before
    (venue id, start, zone, rank) or None: on the same venue and local day it keeps its rank; anywhere
    else it becomes the next-ranked hold there and the holds behind it at the old place move up.
    The caller holds the venues' locks (``_lock_venues``), old and new."""
    same_day = bool(was) and was[0] == booking.venue_id and (
        _local_day(was[1], was[2]) == _local_day(booking.starts_at, booking.time_zone))
    if same_day:
        booking.hold_rank = was[3]
        return
    if was:
        Booking.objects.filter(pk=booking.pk).update(hold_rank=None)
        _renumber(was[0], was[1], was[2], actor=actor)
    holds = [h for h in _holds_on(booking.venue_id, booking.starts_at, booking.time_zone) if h.pk != booking.pk]
    booking.hold_rank = len(holds) + 1


def hold_place(*, actor, booking_id: int, starts_at: dt.datetime, ends_at: dt.datetime, venue_id: int | None = None,
               act_id: int | None = None, expires_at: dt.datetime | None = None) -> Booking:
    """Put the act on a date at a venue as the next-ranked hold (1st, 2nd, 3rd…)."""
    check_span(starts_at, ends_at, max_days=2)
    check_planned(expires_at=expires_at)
    now = timezone.now()
    if starts_at <= now:
        raise Invalid("That date has passed.", errors={"starts_at": ["Hold a date in the future."]})
    expires_at = expires_at or min(starts_at, now + dt.timedelta(days=settings.HOLD_DAYS))
    if expires_at <= now or expires_at > starts_at:
        raise Invalid("Invalid expiry.", errors={"expires_at": ["A hold expires in the future, before the show."]})
    with transaction.atomic():
        _lock_venues(booking_id=booking_id, also=venue_id)
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if ba.side != Side.BUYER:
            raise Forbidden("The buyer places holds; the act answers them.")
        # A ranked booking held again (an offer taken back to a hold with new times): it keeps its rank on
        # the same venue and local day; moved elsewhere, it leaves a gap that the holds behind it close.
        was = (booking.venue_id, booking.starts_at, booking.time_zone, booking.hold_rank) if booking.hold_rank else None
        if act_id is not None:
            booking.act = _act(act_id)
        if venue_id is not None:
            booking.venue = _venue_of(booking.workspace, venue_id)
        errors = {}
        if booking.act_id is None and booking.workspace.kind != WorkspaceKind.AGENCY:
            errors["act_id"] = ["Choose the act to hold."]
        if booking.venue_id is None:
            errors["venue_id"] = ["Choose the venue the date is held at."]
        if errors:
            raise Invalid("A hold needs an act and a venue.", errors=errors)
        before = audit.snapshot(booking, SHOW_FIELDS)
        move(booking, Status.HOLD)
        booking.time_zone = booking.venue.time_zone
        booking.starts_at, booking.ends_at, booking.hold_expires_at = starts_at, ends_at, expires_at
        booking.hold_warned_at = None
        _rank(booking, was, actor=actor)
        if act_id is not None or venue_id is not None:  # the act's or venue's name is searched
            booking.search_text = indexing.booking_text(booking)  # written by this save: no extra query
        booking.save()
        _record(actor, "booking.hold_placed", booking, before=before, after=audit.snapshot(booking, SHOW_FIELDS))
        emit(events.hold_placed, booking_id=booking.pk, workspace_id=booking.workspace_id, rank=booking.hold_rank,
             act_workspace_id=booking.act.workspace_id if booking.act_id else None, actor_id=actor.pk)
    return booking


def hold_release(*, actor, booking_id: int, reason: str) -> Booking:
    """Give the date up; the holds behind it move up."""
    return _close(actor, booking_id, Status.RELEASED, reason, "booking.hold_released")


def hold_challenge(*, actor, booking_id: int) -> Booking:
    """A lower hold with a firm offer asks the 1st hold to confirm or release within the deadline."""
    with transaction.atomic():
        _lock_venues(booking_id=booking_id)
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        challenger = ba.booking
        if ba.side != Side.BUYER:
            raise Forbidden("The buyer who holds the date challenges.")
        firm = challenger.offers.filter(status=OfferStatus.PROPOSED, side=Side.BUYER).exists()
        if challenger.status != Status.OFFER or not firm or not challenger.hold_rank or challenger.hold_rank < 2:
            raise Invalid("Only a lower hold with a firm offer out can challenge.",
                          errors={"booking": ["Make a firm offer on this hold first."]})
        first = next((h for h in _holds_on(challenger.venue_id, challenger.starts_at, challenger.time_zone)
                      if h.hold_rank == 1), None)
        if first is None or first.pk == challenger.pk:
            raise Invalid("There is no first hold to challenge.", errors={"booking": ["This hold is first already."]})
        if first.challenge_deadline:
            raise Invalid("The first hold is challenged already.", errors={"booking": ["Wait for its answer."]})
        first.challenge_deadline = timezone.now() + dt.timedelta(hours=settings.HOLD_CHALLENGE_HOURS)
        first.challenged_by = challenger
        first.save(update_fields=["challenge_deadline", "challenged_by", "updated_at"])
        _record(actor, "booking.hold_challenged", first, after={"challenge_deadline": first.challenge_deadline,
                                                                "challenged_by": challenger.reference})
        emit(events.hold_challenged, booking_id=first.pk, challenger_id=challenger.pk, workspace_id=first.workspace_id,
             deadline=first.challenge_deadline.isoformat(), actor_id=actor.pk)
    return first


# --- offers ---------------------------------------------------------------------------------------

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
    agency's quote. The version it answers is marked countered; every version is kept."""
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
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
        booking.offer_expires_at = offer.expires_at
        booking.save()
        action = "booking.offer_made" if version == 1 else "booking.counter_offer_made"
        _record(actor, action, booking, before={"status": before_status},
                after={"status": booking.status, "version": version, "side": ba.side,
                       "deal": deals.summary(deal_of(offer))})
        emit(events.offer_made, booking_id=booking.pk, offer_id=offer.pk, side=ba.side, version=version,
             workspace_id=booking.workspace_id, act_workspace_id=booking.act.workspace_id if booking.act_id else None,
             actor_id=actor.pk)
    return offer


def _performing_users(booking: Booking) -> list[int]:
    if booking.act_id:
        return list(ActMember.objects.filter(act_id=booking.act_id, is_optional=False, user__isnull=False)
                .values_list("user_id", flat=True))
    return list(booking.assignments.filter(performer__user__isnull=False, override_reason="")
            .values_list("performer__user_id", flat=True))


def commitment_title(booking: Booking) -> str:
    """What a performer's calendar says about the show: the act (or the agency that booked them) and the
    venue. Never the booking's own title, notes or client: those belong to the buyer's workspace, and the
    people playing (an act's members, an agency's performers) may not be able to open the booking. The
    commitment is what every person feed, ``/me/calendar`` and a double-booking 409 show."""
    who = f"Booked: {booking.act.workspace.name}" if booking.act_id else f"Booked via {booking.workspace.name}"
    return f"{who} at {booking.venue.name}"[:160] if booking.venue_id else who[:160]


def sync_commitments(booking: Booking, *, actor) -> None:
    """The booking's act and performers are engaged and its people busy (confirmed), or free again
    (anything else). Refuses (409 ``double_booked``) to engage an act, a performer or a person who is
    in another confirmed show at an overlapping time, whoever has an account."""
    live = booking.status == Status.CONFIRMED
    _engagements_sync(booking, live=live)
    commitments_sync(source_type="booking", source_id=booking.pk, workspace_id=booking.workspace_id,
                     user_ids=_performing_users(booking) if live else [], title=commitment_title(booking),
                     starts_at=booking.starts_at, ends_at=booking.ends_at, time_zone=booking.time_zone,
                     location=booking.venue.name if booking.venue_id else booking.location,
                     exclusive=True, actor=actor)


def _engagements_sync(booking: Booking, *, live: bool) -> None:
    """Make the booking's engagements (ADR 0008) match: while ``live``, one for its act and one for each
    assigned performer (non-exclusive where an admin overrode a conflict with a reason); otherwise none.
    The act's and performers' rows are locked first (act, then performers in id order) so that two
    confirmations of one act or performer queue on PostgreSQL; a new engagement that overlaps any
    other of the same act or performer is refused. The exclusion constraints are the backstop."""
    wanted: dict[tuple[str, int], bool] = {}
    if live:
        if booking.act_id:
            wanted[("act", booking.act_id)] = True
        for performer_id, reason in booking.assignments.values_list("performer_id", "override_reason"):
            wanted[("performer", performer_id)] = not reason
    current = {("act", e.act_id) if e.act_id else ("performer", e.performer_id): e.pk for e in booking.engagements.all()}
    gone = [pk for key, pk in current.items() if key not in wanted]
    if gone:
        Engagement.objects.filter(pk__in=gone).delete()
    new = {key: exclusive for key, exclusive in wanted.items() if key not in current}
    if not new:
        return
    act_ids = [k for kind, k in new if kind == "act"]
    performer_ids = sorted(k for kind, k in new if kind == "performer")
    list(Act.objects.select_for_update(no_key=True).filter(pk__in=act_ids).values_list("pk", flat=True))
    list(Performer.objects.select_for_update(no_key=True).filter(pk__in=performer_ids).order_by("pk")
         .values_list("pk", flat=True))
    guarded = [key for key, exclusive in new.items() if exclusive]
    clash = _engagement_clash(booking, guarded)
    if clash:
        raise clash
    rows = [Engagement(booking=booking, starts_at=booking.starts_at, ends_at=booking.ends_at, exclusive=exclusive,
                       **{f"{kind}_id": key}) for (kind, key), exclusive in new.items()]
    try:
        with transaction.atomic():
            Engagement.objects.bulk_create(rows)
    except IntegrityError as exc:
        # The backstop fired: another writer got there without the lock. Name what it wrote.
        if not any(name in str(exc) for name in (PERFORMER_OVERLAP_CONSTRAINT, ACT_OVERLAP_CONSTRAINT)):
            raise
        raise (_engagement_clash(booking, guarded)
               or Conflict("The act or a performer already has a confirmed show at this time.", code="double_booked")
               ) from exc


def _engagement_clash(booking: Booking, keys: list[tuple[str, int]]) -> Conflict | None:
    """409 ``double_booked`` naming the first other confirmed show that engages one of these acts or
    performers at an overlapping time (half-open: a show ending when this one starts is no clash).
    Another workspace's show is named by its reference and times only: its title is its own business."""
    if not keys:
        return None
    who = Q()
    for kind, key in keys:
        who |= Q(**{f"{kind}_id": key})
    other = (Engagement.objects.filter(who, starts_at__lt=booking.ends_at, ends_at__gt=booking.starts_at)
             .exclude(booking=booking).select_related("booking", "act__workspace", "performer")
             .order_by("starts_at", "id").first())
    if other is None:
        return None
    shown = other.booking
    name = str(other.act) if other.act_id else other.performer.name
    local = zone(shown.time_zone)
    start, end = shown.starts_at.astimezone(local), shown.ends_at.astimezone(local)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %Y %H:%M}"
    what = f"{shown.reference} “{shown.title}”" if shown.workspace_id == booking.workspace_id else shown.reference
    conflicting = {"type": "booking", "id": shown.pk, "reference": shown.reference,
                   "starts_at": shown.starts_at.isoformat(), "ends_at": shown.ends_at.isoformat()}
    conflicting["act_id" if other.act_id else "performer_id"] = other.act_id or other.performer_id
    return Conflict(f"{name} is already booked for {what} on {start:%a %d %b %Y %H:%M}–{until} ({shown.time_zone}).",
                    code="double_booked", conflicting=conflicting)


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
        agency_quote = booking.act_id is None and booking.workspace.kind == WorkspaceKind.AGENCY
        if offer.side == ba.side and not agency_quote:
            raise Forbidden("The other side accepts an offer.")
        if booking.starts_at is None or booking.ends_at is None:
            raise Invalid("A confirmed show needs its date and times.", errors={"starts_at": ["Set the show's date first."]})
        move(booking, Status.CONFIRMED)
        move_offer(offer, OfferStatus.ACCEPTED)
        offer.save(update_fields=["status", "updated_at"])
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
                after={"status": booking.status, "offer": offer.version, "deal": deals.summary(deal_of(offer))})
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
    return _close(actor, booking_id, Status.DECLINED, reason, "booking.declined")


def booking_cancel(*, actor, booking_id: int, reason: str) -> Booking:
    return _close(actor, booking_id, Status.CANCELLED, reason, "booking.cancelled")


def booking_complete(*, actor, booking_id: int) -> Booking:
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if booking.ends_at and booking.ends_at > timezone.now():
            raise Invalid("The show has not happened yet.", errors={"ends_at": ["Mark it played after the show."]})
        move(booking, Status.COMPLETED)
        booking.save()
        _record(actor, "booking.completed", booking, before={"status": Status.CONFIRMED}, after={"status": booking.status})
    return booking


def _close(actor, booking_id: int, to: str, reason: str, action: str, *, buyer_only: bool = False,
           system: bool = False) -> Booking:
    """End a booking early with a reason: commitments are released, the holds behind move up, and the
    other side is told."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why.", errors={"reason": ["Give a reason."]})
    with transaction.atomic():
        _lock_venues(booking_id=booking_id)  # the holds behind it move up
        if system:
            booking = Booking.objects.select_for_update(of=("self",)).select_related("act__workspace").get(pk=booking_id)
        else:
            ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
            booking = ba.booking
            if buyer_only and ba.side != Side.BUYER:
                raise Forbidden("Only the buyer's side can do this.")
        before = {"status": booking.status}
        was_confirmed = booking.status == Status.CONFIRMED
        move(booking, to)
        for offer in booking.offers.select_for_update().filter(status=OfferStatus.PROPOSED):
            move_offer(offer, OfferStatus.EXPIRED if to == Status.EXPIRED else OfferStatus.DECLINED)
            offer.save(update_fields=["status", "updated_at"])
        booking.close_reason = reason[:300]
        rank = booking.hold_rank
        booking.hold_rank = None
        booking.save()
        if was_confirmed:
            sync_commitments(booking, actor=actor)
        if rank and booking.venue_id:
            _renumber(booking.venue_id, booking.starts_at, booking.time_zone, actor=actor)
        _record(actor, action, booking, before=before, after={"status": booking.status, "reason": booking.close_reason})
        emit(events.booking_closed, booking_id=booking.pk, status=to, reason=booking.close_reason,
             workspace_id=booking.workspace_id, act_workspace_id=booking.act.workspace_id if booking.act_id else None,
             actor_id=_actor_pk(actor))
    return booking


# --- editing --------------------------------------------------------------------------------------

# What ``booking_update`` accepts; ``workflow.EDITABLE`` says which may change at each stage.
EDIT_FIELDS = ("title", "notes", "source", "contact_name", "contact_email", "contact_phone", "location", "budget",
               "currency", "date_from", "date_to", "starts_at", "ends_at", "act_id", "venue_id", "stage_id",
               "client_id", "package_id")
_RELATED = {"act_id": "act", "venue_id": "venue", "stage_id": "room", "client_id": "client", "package_id": "package"}


def _named(booking: Booking, field: str):
    """What the audit log keeps of a field: names for the act, venue, stage, client and package, not ids."""
    if field not in _RELATED:
        return getattr(booking, field)
    obj = getattr(booking, _RELATED[field])
    if obj is None:
        return None
    return {"act_id": lambda a: a.workspace.name, "stage_id": lambda r: r.name}.get(field, str)(obj)


def _resolve(booking: Booking, field: str, value):
    """A changed field's new value as the booking holds it (related rows looked up and checked)."""
    ws = booking.workspace
    if field == "act_id":
        return _act(value)
    if field == "venue_id":
        return _venue_of(ws, value)
    if field == "client_id":
        return _client(ws, value)
    if field == "package_id":
        return _package(ws, value)
    if field == "stage_id":
        return value  # checked against the venue once the venue is known
    if field == "budget":
        return _money(value, "budget")
    if field == "currency":
        return _currency(value)
    if field == "source" and value not in Source.values:
        raise Invalid("Unknown source.", errors={"source": [f"Choose one of {', '.join(Source.values)}."]})
    if field == "contact_email":
        return (value or "").strip().lower()
    return value.strip() if isinstance(value, str) else value


def _current(booking: Booking, field: str):
    return getattr(booking, "room_id" if field == "stage_id" else field)


def _is_change(booking: Booking, field: str, value) -> bool:
    current = _current(booking, field)
    if isinstance(value, str):
        value = value.strip().lower() if field == "contact_email" else value.strip()
    if field == "currency" and isinstance(value, str):
        value = value.upper()
    if field == "budget" and value not in (None, "") and current is not None:
        try:
            return Decimal(str(value)) != current
        except ArithmeticError:
            return True
    return value != current


def booking_update(*, actor, booking_id: int, **changes) -> Booking:
    """Change an inquiry's or a booking's details, within what its stage allows (``workflow.EDITABLE``):
    its title, notes, contact, location and budget; its date or date range, or its start and end (a
    date-only inquiry gets its times here); its act, venue, stage, client or package. Only the fields
    given change, and only those that really differ are checked against the stage (409
    ``booking_field_locked`` naming them; an ended booking is read-only). A hold or offer that moves to
    another venue or local day is ranked again there (the holds behind it move up); a confirmed show
    that moves is checked again for double bookings of its act, performers and people (409
    ``double_booked``, nothing changed). Bad values are 422 naming the field. The buyer's side edits;
    the audit log keeps every changed field before and after."""
    audit.check_known_fields(changes, EDIT_FIELDS)
    for name in ("starts_at", "ends_at"):
        value = changes.get(name)
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise Invalid("Please correct the times.", errors={name: ["Give times with a time zone or UTC offset."]})
    with transaction.atomic():
        new_venue = changes.get("venue_id") if changes.get("venue_id") else None
        _lock_venues(booking_id=booking_id, also=new_venue)
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if ba.side != Side.BUYER:
            raise Forbidden("The buyer keeps the booking's details; the act answers offers.")
        real = {f: v for f, v in changes.items() if _is_change(booking, f, v)}
        if not real:
            return booking
        check_editable(booking, real)
        fields = sorted(real)
        before = {f: _named(booking, f) for f in fields}
        was_ranked = (booking.venue_id, booking.starts_at, booking.time_zone, booking.hold_rank) \
            if booking.hold_rank else None
        old_span = (booking.starts_at, booking.ends_at)
        for field, value in real.items():
            resolved = _resolve(booking, field, value)
            if field in _RELATED and field != "stage_id":
                setattr(booking, _RELATED[field], resolved)
            elif field == "stage_id":
                booking.room_id = resolved
            else:
                setattr(booking, field, resolved)
        if "venue_id" in real:
            if booking.venue is not None:
                booking.time_zone = booking.venue.time_zone
            if "stage_id" not in real:
                booking.room = None
        if booking.hold_rank and booking.venue_id is None:
            raise Invalid("A hold needs its venue.", errors={"venue_id": ["Choose the venue the date is held at."]})
        _check_stage(booking)
        _check_when(booking, real, old_span)
        retimed = (booking.starts_at, booking.ends_at) != old_span
        if booking.hold_rank and (retimed or "venue_id" in real):
            if booking.hold_expires_at and booking.hold_expires_at > booking.starts_at:
                booking.hold_expires_at = booking.starts_at  # a hold runs out before its show
            _rank(booking, was_ranked, actor=actor)
        validate_model(booking, exclude=["workspace", "act", "venue", "room", "client", "package", "created_by",
                                         "challenged_by"])
        booking.search_text = indexing.booking_text(booking)
        booking.save()
        if booking.status == Status.CONFIRMED and retimed:
            booking.engagements.all().delete()  # written again below, checked against every other show
            sync_commitments(booking, actor=actor)  # 409 naming the other show if anyone is double-booked
        after = {f: _named(booking, f) for f in fields}
        if booking.hold_rank != (was_ranked[3] if was_ranked else None):
            before["hold_rank"], after["hold_rank"] = was_ranked[3] if was_ranked else None, booking.hold_rank
        _record(actor, "booking.updated", booking, before=before, after=after)
        if (retimed or "venue_id" in real) and booking.status in (Status.HOLD, Status.OFFER, Status.CONFIRMED) \
                and old_span[0] is not None:  # both sides are told when a date they know of moves
            emit(events.booking_moved, booking_id=booking.pk, workspace_id=booking.workspace_id, actor_id=actor.pk,
                 act_workspace_id=booking.act.workspace_id if booking.act_id else None,
                 was_starts_at=old_span[0].isoformat(), was_ends_at=old_span[1].isoformat())
    return booking


def _check_stage(booking: Booking) -> None:
    if booking.room_id is None:
        return
    if booking.venue_id is None or not booking.venue.stages.filter(pk=booking.room_id).exists():
        raise Invalid("Unknown stage.", errors={"stage_id": ["Choose one of the venue's stages."]})
    booking.room = booking.venue.stages.get(pk=booking.room_id)


def _check_when(booking: Booking, real: dict, old_span) -> None:
    """The date, range and times hold together for the booking's stage; the date of a show with times
    is the local date of its start."""
    starts_at, ends_at = booking.starts_at, booking.ends_at
    if (starts_at is None) != (ends_at is None):
        raise Invalid("Give both times.", errors={"ends_at" if ends_at is None else "starts_at":
                                                  ["Give the show's start and end, or neither."]})
    if starts_at is None:
        if old_span[0] is not None and booking.status != Status.INQUIRY:
            raise Invalid("A held date keeps its times.", errors={"starts_at": [
                "A hold, an offer or a confirmed show keeps its date: give the new start and end."]})
        if "date_from" in real and "date_to" not in real and (
                booking.date_to is None or (booking.date_from and booking.date_to < booking.date_from)):
            booking.date_to = booking.date_from
        if booking.date_to and booking.date_from is None:
            raise Invalid("Give the first date.", errors={"date_from": ["Give the first date of the range."]})
        check_planned(date_from=booking.date_from, date_to=booking.date_to)
        if booking.date_from and booking.date_to and booking.date_to < booking.date_from:
            raise Invalid("The range ends before it starts.", errors={"date_to": ["The last date is before the first."]})
        return
    local_day = starts_at.astimezone(zone(booking.time_zone)).date()
    if "date_to" in real and booking.date_to not in (None, local_day):  # whether or not the times changed too
        raise Invalid("A show with times is on one date.", errors={"date_to": [
            "A show with a start and end time is on one date. Leave the last date empty, or clear the times "
            "to ask for a range of dates."]})
    if "date_from" in real and "starts_at" not in real and booking.date_from != local_day:
        raise Invalid("This show has times.", errors={"date_from": [
            "To move a show that has times, change its start and end: its date follows them."]})
    if (starts_at, ends_at) != old_span:
        check_span(starts_at, ends_at, max_days=2)
        if booking.status != Status.INQUIRY and starts_at <= timezone.now():
            raise Invalid("That date has passed.", errors={"starts_at": ["Move the show to a date in the future."]})
    booking.date_from = booking.date_to = local_day


# --- the clock ------------------------------------------------------------------------------------

def expire_due(*, now: dt.datetime | None = None) -> int:
    """Holds and offers past their time expire; a challenged 1st hold that did not confirm in time is
    released. Run by the scheduler (Celery beat in production)."""
    now = now or timezone.now()
    done = 0
    for pk in Booking.objects.filter(status=Status.HOLD, hold_expires_at__lte=now).values_list("pk", flat=True):
        _close(None, pk, Status.EXPIRED, "The hold ran out.", "booking.hold_expired", system=True)
        done += 1
    for pk in Booking.objects.filter(status=Status.OFFER, offer_expires_at__lte=now).values_list("pk", flat=True):
        _close(None, pk, Status.EXPIRED, "The offer ran out.", "booking.offer_expired", system=True)
        done += 1
    for pk in Booking.objects.filter(status__in=(Status.HOLD, Status.OFFER), challenge_deadline__lte=now
                                     ).values_list("pk", flat=True):
        _close(None, pk, Status.RELEASED, "Did not confirm in time after a challenge.", "booking.hold_released",
               system=True)
        done += 1
    return done


def warn_expiring_holds(*, now: dt.datetime | None = None) -> int:
    """Tell both sides once when a hold will run out within HOLD_WARNING_HOURS (the ``hold_expiring``
    event). Run with ``expire_due`` by the scheduler."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.HOLD_WARNING_HOURS)
    warned = 0
    with transaction.atomic():
        due = list(Booking.objects.select_for_update(of=("self",)).filter(status=Status.HOLD, hold_warned_at__isnull=True,
                                                              hold_expires_at__gt=now, hold_expires_at__lte=horizon)
                   .select_related("act"))
        for booking in due:
            booking.hold_warned_at = now
            booking.save(update_fields=["hold_warned_at"])
            emit(events.hold_expiring, booking_id=booking.pk, workspace_id=booking.workspace_id, actor_id=None,
                 act_workspace_id=booking.act.workspace_id if booking.act_id else None,
                 expires_at=booking.hold_expires_at.isoformat())
            warned += 1
    return warned


# --- the advance ----------------------------------------------------------------------------------

ADVANCE_FIELDS = ("load_in", "soundcheck", "doors", "set_times", "changeover_minutes", "curfew", "parking", "contacts",
                  "hospitality", "guest_list", "backline", "notes")


def advance_update(*, actor, booking_id: int, **changes):
    """Fill in the advance (either side of a confirmed show). Times are local to the show."""
    from .models import Advance

    audit.check_known_fields(changes, ADVANCE_FIELDS)
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if booking.status not in (Status.CONFIRMED, Status.COMPLETED):
            raise Invalid("Advance a confirmed show.", errors={"booking": ["The advance opens once the show is confirmed."]})
        advance, _ = Advance.objects.select_for_update().get_or_create(booking=booking)
        advance.updated_by = actor
        audit.apply_audited_changes(advance, actor=actor, action="booking.advanced", fields=ADVANCE_FIELDS,
                                    changes=changes, workspace_id=booking.workspace_id, exclude=["booking", "updated_by"])
    return advance
