"""Makers of contacts for the matrix worlds: MAKERS[param](world) returns the URL
value naming one of the world's objects (a new one on each call); OWN_MAKERS[param](user) makes a
person's own object; SECRET_MAKERS[maker](world) a live secret token."""

from __future__ import annotations

from .table import unique


def _contact(world) -> int:
    """A contact in the world's book, added by its owner through the service (as in real use)."""
    from backline.contacts.services import contact_create

    return contact_create(actor=world.owner, workspace_id=world.workspace.pk, name=unique("Contact"),
                          role="promoter", organisation="Matrix Presents", tags="matrix").pk


MAKERS: dict = {"contact_id": _contact}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}
