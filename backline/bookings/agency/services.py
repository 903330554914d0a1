"""Writes to agencies' books: clients, packages, performer assignments (with double-booking checks) and
the plan's convert-an-inquiry step."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_OVERRIDE
from backline.artists.models import Performer
from backline.core import audit
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.events import emit
from backline.core.timeutil import moment_words, zone
from backline.core.validation import validate_model

from .. import events, indexing
from ..models import Assignment, Booking, Client, OfferStatus, Package, Status
from ..permissions import access_booking
from ..services import _currency, _money, offer_accept, sync_commitments
from . import selectors
from .permissions import access_agency

CLIENT_FIELDS = ("name", "company", "email", "phone", "city_name", "notes")
PACKAGE_FIELDS = ("name", "description", "duration_minutes", "performer_count", "price", "currency", "is_active")


def client_create(*, actor, workspace_id: int, name: str, **fields) -> Client:
    audit.check_known_fields(fields, CLIENT_FIELDS)
    with transaction.atomic():
        ws = access_agency(user=actor, workspace_id=workspace_id)
        client = Client(workspace=ws, name=(name or "").strip(),
                        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
        client.email = client.email.lower()
        validate_model(client, exclude=["workspace"])
        client.save()
        audit.record(actor=actor, action="client.created", obj=client, after=audit.snapshot(client, CLIENT_FIELDS),
                     workspace_id=ws.pk)
    return client


def _locked_client(actor, client_id: int) -> Client:
    client = Client.objects.select_for_update().filter(pk=client_id).first()
    if client is None:
        raise NotFound("No such client.")
    access_agency(user=actor, workspace_id=client.workspace_id)
    return client


def client_update(*, actor, client_id: int, **changes) -> Client:
    audit.check_known_fields(changes, CLIENT_FIELDS)
    with transaction.atomic():
        client = _locked_client(actor, client_id)
        names = (client.name, client.company)
        audit.apply_audited_changes(client, actor=actor, action="client.updated", fields=CLIENT_FIELDS,
                                    changes=changes, workspace_id=client.workspace_id, exclude=["workspace"])
        if (client.name, client.company) != names:  # its bookings are found by its name and company
            indexing.index_client_bookings(client)
        return client


def client_archive(*, actor, client_id: int) -> Client:
    """Clients are archived, not deleted: their booking history stays."""
    with transaction.atomic():
        client = _locked_client(actor, client_id)
        if client.archived_at is None:
            client.archived_at = timezone.now()
            client.save(update_fields=["archived_at", "updated_at"])
            audit.record(actor=actor, action="client.archived", obj=client, workspace_id=client.workspace_id)
    return client


def package_create(*, actor, workspace_id: int, name: str, duration_minutes: int, price, currency: str | None = None,
                   description: str = "", performer_count: int = 1) -> Package:
    with transaction.atomic():
        ws = access_agency(user=actor, workspace_id=workspace_id)
        package = Package(workspace=ws, name=(name or "").strip(), description=description.strip(),
                          duration_minutes=duration_minutes, performer_count=performer_count,
                          price=_money(price, "price"), currency=_currency(currency or ws.currency))
        validate_model(package, exclude=["workspace"])
        package.save()
        audit.record(actor=actor, action="package.created", obj=package, after=audit.snapshot(package, PACKAGE_FIELDS),
                     workspace_id=ws.pk)
    return package


def package_update(*, actor, package_id: int, **changes) -> Package:
    """Change a package, or deactivate it with ``is_active=False`` (quotes already made keep it)."""
    audit.check_known_fields(changes, PACKAGE_FIELDS)
    if "price" in changes:
        changes["price"] = _money(changes["price"], "price")
    if "currency" in changes:
        changes["currency"] = _currency(changes["currency"])
    with transaction.atomic():
        package = Package.objects.select_for_update().filter(pk=package_id).first()
        if package is None:
            raise NotFound("No such package.")
        access_agency(user=actor, workspace_id=package.workspace_id)
        return audit.apply_audited_changes(package, actor=actor, action="package.updated", fields=PACKAGE_FIELDS,
                                           changes=changes, workspace_id=package.workspace_id, exclude=["workspace"])


# --- performers on bookings ----------------------------------------------------------------------

def performer_assign(*, actor, booking_id: int, performer_id: int, payout, role: str = "",
                     override_reason: str | None = None) -> Assignment:
    """Put a performer on a booking with their payout. A performer booked elsewhere at that time is
    refused (409 naming that booking) unless an admin overrides with a written reason."""
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if booking.workspace.kind != WorkspaceKind.AGENCY or ba.access.workspace.pk != booking.workspace_id:
            raise NotFound("Only the agency that owns the booking assigns its performers.")
        if booking.status not in (Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED):
            raise Invalid("This booking is closed.", errors={"booking": [f"It is {booking.get_status_display().lower()}."]})
        performer = Performer.objects.select_for_update().filter(pk=performer_id, workspace=booking.workspace,
                                                                 is_active=True).first()
        if performer is None:
            raise Invalid("Unknown performer.", errors={"performer_id": ["Choose one of your active performers."]})
        if booking.assignments.filter(performer=performer).exists():
            raise Conflict(f"{performer.name} is on this booking already.", code="already_assigned")
        amount = _money(payout, "payout")
        if amount is None:
            raise Invalid("Give the payout.", errors={"payout": ["Enter what the performer is paid."]})
        clashes = selectors.performer_conflicts(performer=performer, booking=booking)
        if performer.user_id and booking.starts_at:
            from backline.scheduling.selectors import exclusive_conflicts

            for c in exclusive_conflicts(user_ids=[performer.user_id], starts_at=booking.starts_at,
                                         ends_at=booking.ends_at, exclude_source=("booking", booking.pk)):
                if c.source_type == "booking" and all(b.pk != c.source_id for b in clashes):
                    clashes.extend(Booking.objects.filter(pk=c.source_id))
        reason = (override_reason or "").strip()
        if clashes:
            other = clashes[0]
            emit(events.performer_conflict, booking_id=booking.pk, performer_id=performer.pk, workspace_id=booking.workspace_id,
                 conflicting_booking_id=other.pk, overridden=bool(reason), actor_id=actor.pk)
            if not reason:
                what = f"{other.reference} “{other.title}”" if other.workspace_id == booking.workspace_id else other.reference
                raise Conflict(f"{performer.name} is already booked for {what} "  # another workspace's title is its own
                               f"({moment_words(other.starts_at, zone(other.time_zone))}).", code="performer_conflict",
                               conflicting={"type": "booking", "id": other.pk, "reference": other.reference})
            if not ba.can(BOOKINGS_OVERRIDE):
                raise Forbidden("Only an owner or admin can assign a performer who is booked elsewhere.")
        assignment = Assignment(booking=booking, performer=performer, role=role.strip(), payout=amount,
                                currency=booking.currency, override_reason=reason if clashes else "")
        validate_model(assignment, exclude=["booking", "performer"])
        assignment.save()
        audit.record(actor=actor, action="assignment.created", obj=booking, workspace_id=booking.workspace_id,
                     after={"performer": performer.name, "payout": amount, "override_reason": assignment.override_reason,
                            "conflicting": [b.reference for b in clashes]})
        if booking.status == Status.CONFIRMED:
            sync_commitments(booking, actor=actor)
    return assignment


def performer_unassign(*, actor, booking_id: int, performer_id: int) -> None:
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if ba.access.workspace.pk != booking.workspace_id:
            raise NotFound("No such assignment.")
        assignment = booking.assignments.select_for_update().filter(performer_id=performer_id).first()
        if assignment is None:
            raise NotFound("No such assignment.")
        audit.record(actor=actor, action="assignment.removed", obj=booking, workspace_id=booking.workspace_id,
                     before={"performer": assignment.performer.name, "payout": assignment.payout})
        assignment.delete()
        if booking.status == Status.CONFIRMED:
            sync_commitments(booking, actor=actor)


def inquiry_convert(*, actor, booking_id: int, quote_id: int | None = None) -> Booking:
    """The agency plan's convert-to-booking: the client said yes to a quote, so the booking is confirmed
    (the quote accepted, the contract issued, the assigned performers committed)."""
    ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE)
    if ba.booking.workspace.kind != WorkspaceKind.AGENCY:
        raise NotFound("Only agencies convert inquiries; acts and buyers accept offers.")
    if not ba.booking.offers.filter(status=OfferStatus.PROPOSED).exists():
        raise Invalid("Quote first.", errors={"quote_id": ["Make a quote the client can say yes to."]})
    return offer_accept(actor=actor, booking_id=booking_id, offer_id=quote_id)
