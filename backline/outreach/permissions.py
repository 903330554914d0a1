"""Who reads and changes a workspace's outreach: its templates and its emails belong to the workspace;
anyone outside it gets 404 (exactly as for a missing one), a member whose role lacks the capability 403.
Sending and reading need ``outreach.send``; templates and the sender identity ``outreach.manage``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from backline.accounts.permissions import OUTREACH_SEND, WorkspaceAccess, access_workspace
from backline.bookings.models import Booking
from backline.bookings.permissions import act_sees_q
from backline.contacts.models import Contact
from backline.core.errors import NotFound
from backline.mail.models import OutboundEmail

from .models import EmailTemplate


@dataclass(frozen=True)
class TemplateAccess:
    template: EmailTemplate
    access: WorkspaceAccess


@dataclass(frozen=True)
class EmailAccess:
    email: OutboundEmail
    access: WorkspaceAccess


def access_template(*, user, template_id: int, capability: str = OUTREACH_SEND, lock: bool = False,
                    workspace_id: int | None = None) -> TemplateAccess:
    """The template and the user's access to its workspace (``workspace_id``: it must be that one's)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such template.")
    qs = EmailTemplate.objects.select_for_update(of=("self",)) if lock else EmailTemplate.objects
    template = qs.select_related("follow_up_template").filter(pk=template_id).first()
    if template is None or (workspace_id is not None and template.workspace_id != workspace_id):
        raise NotFound("No such template.")
    try:
        access = access_workspace(user=user, workspace_id=template.workspace_id, capability=capability)
    except NotFound:
        raise NotFound("No such template.") from None
    return TemplateAccess(template=template, access=access)


def access_email(*, user, email_id: int, capability: str = OUTREACH_SEND, lock: bool = False,
                 workspace_id: int | None = None) -> EmailAccess:
    """An outreach email of a workspace the user belongs to (``workspace_id``: it must be that one's)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such email.")
    qs = OutboundEmail.objects.select_for_update(of=("self",)) if lock else OutboundEmail.objects
    email = qs.filter(pk=email_id).first()
    if email is None or (workspace_id is not None and email.workspace_id != workspace_id):
        raise NotFound("No such email.")
    try:
        access = access_workspace(user=user, workspace_id=email.workspace_id, capability=capability)
    except NotFound:
        raise NotFound("No such email.") from None
    return EmailAccess(email=email, access=access)


def booking_of(workspace, booking_id: int | None) -> Booking | None:
    """A booking the workspace sees (its own as the buyer, or its act's from the hold on), with what the
    merge fields read; another's is 404."""
    if booking_id is None:
        return None
    booking = (Booking.objects.select_related("act__workspace", "venue", "client", "workspace")
               .prefetch_related("offers", "act__genres")
               .filter(pk=booking_id)
               .filter(Q(workspace=workspace) | (Q(act__workspace=workspace) & act_sees_q())).first())
    if booking is None:
        raise NotFound("No such booking.")
    return booking


def contacts_of(workspace, contact_ids) -> dict[int, Contact]:
    """The workspace's contacts by id; any id that is not one of them is 404."""
    ids = {int(i) for i in contact_ids}
    if not ids:
        return {}
    found = {c.pk: c for c in Contact.objects.filter(workspace=workspace, pk__in=ids)}
    if len(found) != len(ids):
        raise NotFound("No such contact.")
    return found
