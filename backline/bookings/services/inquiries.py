"""Inquiries: a buyer logs one; an act asks a venue or promoter for a date; a buyer marks one lost."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, access_workspace
from backline.artists.models import Act, Representation, RepresentationStatus
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound, RateLimited
from backline.core.events import emit
from backline.core.timeutil import check_planned, check_span, zone
from backline.core.validation import validate_model
from backline.venues.models import Venue

from .. import events, indexing
from ..models import OPEN_STATUSES, Booking, Source, Status
from .closing import _close
from .common import INQUIRY_FIELDS, _act, _buyer, _client, _currency, _money, _package, _record, _reference, _venue_of


def inquiry_create(*, actor, workspace_id: int, title: str, source: str = Source.EMAIL, act_id: int | None = None,
                   venue_id: int | None = None, client_id: int | None = None, package_id: int | None = None,
                   contact_name: str = "", contact_email: str = "", contact_phone: str = "",
                   date_from: dt.date | None = None, date_to: dt.date | None = None, location: str = "",
                   budget=None, currency: str | None = None, notes: str = "", starts_at: dt.datetime | None = None,
                   ends_at: dt.datetime | None = None, stage_id: int | None = None) -> Booking:
    """Log who asked, how, for when and for how much. The act does not see it until a hold or offer.
    When the show's time is known already (a wedding at 18:00), give ``starts_at`` and ``ends_at``;
    ``stage_id`` is the room of ``venue_id`` it is for (422 naming ``stage_id`` for any other)."""
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
        booking.room = _stage_of(booking.venue, stage_id)
        validate_model(booking, exclude=["workspace", "act", "venue", "room", "client", "package", "created_by",
                                         "challenged_by"])
        booking.search_text = indexing.booking_text(booking)  # written by the INSERT: no extra query
        booking.save()
        _record(actor, "booking.inquiry_logged", booking, after=audit.snapshot(booking, INQUIRY_FIELDS))
        emit(events.inquiry_logged, booking_id=booking.pk, workspace_id=ws.pk, actor_id=actor.pk)
    return booking


def _stage_of(venue: Venue | None, stage_id: int | None):
    """The stage ``stage_id`` of ``venue``; none asked, none. A stage of another venue is refused."""
    if stage_id is None:
        return None
    stage = venue.stages.filter(pk=stage_id).first() if venue is not None else None
    if stage is None:
        raise Invalid("Unknown stage.", errors={"stage_id": [
            f"Choose one of the stages of {venue.name}." if venue else "Choose the venue first, then its stage."]})
    return stage


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


def _represented(actor, agency_workspace_id: int, act_workspace_id: int):
    """The agency (its ``bookings.manage`` checked) and the act it represents now, its representation
    locked so that ending it waits for this inquiry. Any other act is 404."""
    access = access_workspace(user=actor, workspace_id=agency_workspace_id, capability=BOOKINGS_MANAGE)
    if access.workspace.kind != WorkspaceKind.AGENCY:
        raise NotFound("Agencies ask for dates on behalf of the acts they represent.")
    rep = (Representation.objects.select_for_update(of=("self",)).select_related("act__workspace")
           .filter(agency=access.workspace, act__workspace_id=act_workspace_id, status=RepresentationStatus.ACTIVE)
           .first())
    if rep is None:
        raise NotFound("No such act among those you represent.")
    return access.workspace, rep.act


def inquiry_request(*, actor, act_workspace_id: int, date_from: dt.date | None = None, venue_id: int | None = None,
                    buyer_workspace_id: int | None = None, date_to: dt.date | None = None,
                    starts_at: dt.datetime | None = None, ends_at: dt.datetime | None = None, budget=None,
                    currency: str | None = None, message: str = "", agency_workspace_id: int | None = None) -> Booking:
    """An act asks a venue or promoter for a date (or a range of dates), optionally with the show's times,
    a budget and a message. The booking belongs to the buyer, who sees it as an inquiry from the act and
    takes it on (hold, offer) as any other; the act sees it from the start (``act_asked``). Refused: a
    role without bookings.manage (403), a workspace that is not an act (404), a date before today, an
    unknown venue, a workspace that does not book acts, and asking the same buyer twice for one date
    while the first inquiry is open (409 ``inquiry_exists``).

    With ``agency_workspace_id``, an agency asks on behalf of the act it represents (``bookings.manage``
    in the agency; an act it does not represent now is 404, as a missing one); the booking records the
    agency (``asked_by_workspace``) and reads, for the buyer, as an inquiry from the act via the agency."""
    if (starts_at is None) != (ends_at is None):
        raise Invalid("Give both times.", errors={"ends_at": ["Give the show's start and end, or neither."]})
    if starts_at is not None:
        check_span(starts_at, ends_at, max_days=2)
    check_planned(date_from=date_from, date_to=date_to)
    message = (message or "").strip()
    if len(message) > 5000:
        raise Invalid("The message is too long.", errors={"message": ["Write at most 5,000 characters."]})
    with transaction.atomic():
        agency = None
        if agency_workspace_id is not None:
            agency, act = _represented(actor, agency_workspace_id, act_workspace_id)
        else:
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
                          source=Source.BACKLINE, act=act, venue=venue, act_asked=True, asked_by_workspace=agency,
                          contact_name=actor.display_name[:120], date_from=date_from, date_to=date_to,
                          starts_at=starts_at, ends_at=ends_at, budget=_money(budget, "budget"),
                          currency=_currency(currency or act.workspace.currency), notes=message,
                          time_zone=tz_name, created_by=actor)
        validate_model(booking, exclude=["workspace", "act", "venue", "room", "client", "package", "created_by",
                                         "challenged_by", "asked_by_workspace"])
        booking.search_text = indexing.booking_text(booking)
        booking.save()
        _record(actor, "booking.inquiry_sent", booking, after=audit.snapshot(booking, INQUIRY_FIELDS))
        if agency is not None:  # the agency's own history shows what it asked for
            audit.record(actor=actor, action="booking.inquiry_sent", obj=booking, workspace_id=agency.pk,
                         after=audit.snapshot(booking, INQUIRY_FIELDS))
        emit(events.inquiry_logged, booking_id=booking.pk, workspace_id=buyer.pk, actor_id=actor.pk,
             act_workspace_id=act.workspace_id, message=message)
    return booking


def inquiry_mark_lost(*, actor, booking_id: int, reason: str) -> Booking:
    return _close(actor, booking_id, Status.LOST, reason, "booking.lost", buyer_only=True)
