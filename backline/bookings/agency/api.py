"""Agencies: clients, packages, performers on bookings and who is free on a date."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id, LocalTime
from backline.core.errors import NotFound
from backline.core.openapi import keep_operation_ids

from ..models import Client
from ..permissions import access_booking
from ..schemas import AssignmentOut
from . import selectors, services
from .permissions import access_agency

router = Router(tags=["agencies"])


def _agency(request, workspace_id: int, capability: str = BOOKINGS_VIEW):
    return access_agency(user=request.auth, workspace_id=workspace_id, capability=capability,
                         refusal="Only agencies keep clients, packages and performers.")


class ClientIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    company: str = Field("", max_length=120)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    city_name: str = Field("", max_length=120)
    notes: str = Field("", max_length=5000)


class ClientPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    company: str | None = Field(None, max_length=120)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    city_name: str | None = Field(None, max_length=120)
    notes: str | None = Field(None, max_length=5000)


class ClientOut(Schema):
    id: int
    name: str
    company: str
    email: str
    phone: str
    city_name: str
    notes: str
    archived_at: dt.datetime | None


class PackageIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    duration_minutes: int = Field(ge=15, le=1440)
    performer_count: int = Field(1, ge=1, le=100)
    price: Decimal = Field(ge=0)
    currency: str | None = None


class PackagePatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2000)
    duration_minutes: int | None = Field(None, ge=15, le=1440)
    performer_count: int | None = Field(None, ge=1, le=100)
    price: Decimal | None = Field(None, ge=0)
    currency: str | None = None
    is_active: bool | None = None


class PackageOut(Schema):
    id: int
    name: str
    description: str
    duration_minutes: int
    performer_count: int
    price: Decimal
    currency: str
    is_active: bool


class AssignIn(Schema):
    performer_id: Id
    payout: Decimal = Field(ge=0)
    role: str = Field("", max_length=120)
    override_reason: str | None = Field(None, max_length=300,
                                        description="owners and admins: assign despite a conflict, saying why")


class BusyReasonOut(Schema):
    kind: str = Field(description="booking (of this agency), commitment (elsewhere: not named) or unavailable "
                                  "(time the performer marked busy: patterns, days off, a busy default, their calendar)")
    label: str = Field(description='in words: "Booked: Jones wedding", "Committed elsewhere", "Marked unavailable"')
    starts_at: dt.datetime
    ends_at: dt.datetime
    booking_id: int | None = Field(None, description="the agency's booking, for kind booking")


class FreeTimeOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class PerformerAvailabilityOut(Schema):
    performer_id: int
    name: str
    free: bool = Field(description="false when the performer is busy (as before; an unknown performer is not busy): "
                                   "read status for free, busy or unknown")
    booked: list[str] = Field(description="references of the agency's bookings that keep them busy then")
    status: str = Field(description="free (their availability says so), busy (see reasons) or unknown "
                                    "(no account linked, or they have not said)")
    reasons: list[BusyReasonOut] = Field(description="why they are busy, earliest first")
    free_times: list[FreeTimeOut] = Field(description="when they said they are free within the span")
    has_account: bool = Field(description="linked to a person with their own availability")


@router.get("/agencies/{workspace_id}/clients", response={200: list[ClientOut], **ERROR_RESPONSES})
@paginate
def client_list(request, workspace_id: int, archived: bool = False):
    return selectors.clients_for(_agency(request, workspace_id), archived=archived)


@router.post("/agencies/{workspace_id}/clients", response={201: ClientOut, **ERROR_RESPONSES})
def client_create(request, workspace_id: int, payload: ClientIn):
    return 201, services.client_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())


def _client(request, client_id: int) -> Client:
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise NotFound("No such client.")
    _agency(request, client.workspace_id)
    return client


@router.get("/clients/{client_id}", response={200: ClientOut, **ERROR_RESPONSES})
def client_detail(request, client_id: int):
    return _client(request, client_id)


@router.patch("/clients/{client_id}", response={200: ClientOut, **ERROR_RESPONSES})
def client_update(request, client_id: int, payload: ClientPatchIn):
    return services.client_update(actor=request.auth, client_id=client_id, **payload.dict(exclude_unset=True))


@router.post("/clients/{client_id}/archive", response={200: ClientOut, **ERROR_RESPONSES})
def client_archive(request, client_id: int):
    """Clients are archived, never deleted: their booking history stays."""
    return services.client_archive(actor=request.auth, client_id=client_id)


@router.get("/agencies/{workspace_id}/packages", response={200: list[PackageOut], **ERROR_RESPONSES})
@paginate
def package_list(request, workspace_id: int, active: bool | None = None):
    return selectors.packages_for(_agency(request, workspace_id), active=active)


@router.post("/agencies/{workspace_id}/packages", response={201: PackageOut, **ERROR_RESPONSES})
def package_create(request, workspace_id: int, payload: PackageIn):
    return 201, services.package_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())


@router.patch("/packages/{package_id}", response={200: PackageOut, **ERROR_RESPONSES})
def package_update(request, package_id: int, payload: PackagePatchIn):
    """Change a package, or deactivate it (``is_active: false``); packages are never deleted."""
    return services.package_update(actor=request.auth, package_id=package_id, **payload.dict(exclude_unset=True))


def _assignments(request, booking_id: int) -> list[dict]:
    ba = access_booking(user=request.auth, booking_id=booking_id)
    if ba.side != "buyer":
        raise NotFound("No such booking.")
    return [{"performer_id": a.performer_id, "performer_name": a.performer.name, "role": a.role, "payout": a.payout,
             "currency": a.currency, "override_reason": a.override_reason}
            for a in ba.booking.assignments.select_related("performer")]


@router.get("/bookings/{booking_id}/performers", response={200: list[AssignmentOut], **ERROR_RESPONSES})
def assignment_list(request, booking_id: int):
    return _assignments(request, booking_id)


@router.post("/bookings/{booking_id}/performers", response={201: list[AssignmentOut], **ERROR_RESPONSES})
def assignment_create(request, booking_id: int, payload: AssignIn):
    """Assign a performer with their payout. A performer booked elsewhere then answers 409
    ``performer_conflict`` naming that booking; an owner or admin may send ``override_reason``."""
    services.performer_assign(actor=request.auth, booking_id=booking_id, **payload.dict())
    return 201, _assignments(request, booking_id)


@router.delete("/bookings/{booking_id}/performers/{performer_id}", response={204: None, **ERROR_RESPONSES})
def assignment_delete(request, booking_id: int, performer_id: int):
    services.performer_unassign(actor=request.auth, booking_id=booking_id, performer_id=performer_id)
    return 204, None


@router.get("/agencies/{workspace_id}/performer-availability",
            response={200: list[PerformerAvailabilityOut], **ERROR_RESPONSES})
def performer_availability(request, workspace_id: int, date: dt.date, start: LocalTime | None = None,
                           end: LocalTime | None = None):
    """Who is free, busy or unknown on a date (the plan's ``GET /performers/availability?date=``), from the
    agency's own bookings and each performer's own availability (their patterns, days off and commitments
    in other acts or agencies). ``start`` and ``end`` (local times in the agency's zone) narrow it to part
    of the day; an end before the start is the next morning."""
    workspace = _agency(request, workspace_id, BOOKINGS_MANAGE)
    return [{"performer_id": d.performer.pk, "name": d.performer.name, "free": d.status != selectors.BUSY,
             "booked": [b.reference for b in d.booked], "status": d.status, "has_account": d.has_account,
             "reasons": [{"kind": r.kind, "label": r.label, "starts_at": r.starts_at, "ends_at": r.ends_at,
                          "booking_id": r.booking.pk if r.booking else None} for r in d.reasons],
             "free_times": [{"starts_at": s, "ends_at": e} for s, e in d.free]}
            for d in selectors.performers_availability(workspace, date, start=start, end=end)]


keep_operation_ids(router, "backline.bookings.api.agency")  # where these operations were first published
