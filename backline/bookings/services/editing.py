"""Editing an inquiry or booking within what its stage allows."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.core import audit
from backline.core.errors import Forbidden, Invalid
from backline.core.events import emit
from backline.core.timeutil import check_planned, check_span, zone
from backline.core.validation import validate_model

from .. import events, indexing
from ..models import Booking, Side, Source, Status
from ..permissions import access_booking
from ..workflow import check_editable
from .commitments import sync_commitments
from .common import _act, _client, _currency, _money, _package, _record, _venue_of
from .ranks import _lock_venues, _rank

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
