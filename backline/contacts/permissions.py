"""Who sees and changes a contact: members of the contact's workspace whose role holds the capability
(``contacts.view`` to read, ``contacts.manage`` to change). Anyone else gets 404, exactly as for a
missing contact."""

from __future__ import annotations

from backline.accounts.permissions import CONTACTS_VIEW, WorkspaceAccess, access_workspace
from backline.core.errors import NotFound

from .models import Contact


def access_contact(*, user, contact_id: int, capability: str = CONTACTS_VIEW, lock: bool = False) -> Contact:
    """The contact, if ``user`` belongs to its workspace with ``capability`` (403 for a member whose
    role lacks it; 404 for everyone else and for a missing contact). ``lock`` takes a row lock (call
    inside ``transaction.atomic``). The caller's access is on ``contact.access``."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such contact.")
    qs = Contact.objects.select_for_update(of=("self",)) if lock else Contact.objects
    contact = qs.select_related("workspace").filter(pk=contact_id).first()
    if contact is None:
        raise NotFound("No such contact.")
    try:
        contact.access = access_workspace(user=user, workspace_id=contact.workspace_id, capability=capability)
    except NotFound:
        raise NotFound("No such contact.") from None
    return contact


def contact_in_workspace(access: WorkspaceAccess, contact_id) -> Contact:
    """A contact of the workspace the caller already has ``access`` to (web pages under ``/w/<slug>/``):
    another workspace's contact, a missing one or a malformed id are all 404."""
    try:
        contact_id = int(contact_id)
    except (TypeError, ValueError):
        raise NotFound("No such contact.") from None
    contact = Contact.objects.select_related("workspace", "created_by").filter(
        pk=contact_id, workspace_id=access.workspace.pk).first()
    if contact is None:
        raise NotFound("No such contact.")
    contact.access = access
    return contact
