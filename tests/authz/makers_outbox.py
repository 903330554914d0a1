"""Makers of messaging outbox objects for the matrix worlds: MAKERS[param](world) returns the URL
value naming one of the world's objects (a new one on each call); OWN_MAKERS[param](user) makes a
person's own object; SECRET_MAKERS[maker](world) a live secret token."""

from __future__ import annotations


def _opt_out_token(world) -> str:
    """The token in the opt-out link of an email from the world's workspace (signed; nothing stored)."""
    from backline.mail.services.suppressions import opt_out_token

    return opt_out_token(workspace_id=world.workspace.pk, email="matrix.recipient@example.org")


MAKERS: dict = {}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {"opt_out": _opt_out_token}
