"""What every booking service shares: who may buy, the references, the audit entry, and checks
of the ids and amounts a request names."""

from __future__ import annotations

import secrets
from decimal import Decimal

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, access_workspace
from backline.artists.models import Act
from backline.core import audit
from backline.core.errors import Invalid, NotFound
from backline.venues.models import Venue

from .. import deals
from ..models import Booking, Client, Package
from ..permissions import act_sees

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
