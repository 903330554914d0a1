"""Makers of outreach objects for the matrix worlds: MAKERS[param](world) returns the URL
value naming one of the world's objects (a new one on each call); OWN_MAKERS[param](user) makes a
person's own object; SECRET_MAKERS[maker](world) a live secret token."""

from __future__ import annotations

from .table import unique, unique_email


def _template(world) -> int:
    """A template of the world's workspace, written by its owner through the service."""
    from backline.outreach.services.email_templates import template_create

    return template_create(actor=world.owner, workspace_id=world.workspace.pk, name=unique("Template"),
                           subject="Dates for {{ workspace }}", body="Hi {{ contact_first_name }}").pk


def _email(world) -> int:
    """An outreach email of the world's workspace, queued through the outbox (delivered by the sweep)."""
    from backline.mail.services.outbox import email_queue

    return email_queue(actor=world.owner, workspace_id=world.workspace.pk, to_email=unique_email(), to_name="Matrix",
                       subject="Hello", body="Hi", deliver=False).pk


MAKERS: dict = {"template_id": _template, "email_id": _email}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}
