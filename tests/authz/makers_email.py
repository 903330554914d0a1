"""Makers of mail objects for the matrix worlds: MAKERS[param](world) returns the URL
value naming one of the world's objects (a new one on each call); OWN_MAKERS[param](user) makes a
person's own object; SECRET_MAKERS[maker](world) a live secret token."""

from __future__ import annotations

from .table import unique


def _held_email(world) -> int:
    """A pending held email of the world's workspace: a stranger's reply to one of its email threads."""
    from backline.conversations.services import email_thread_for
    from backline.mail.models import QuarantinedEmail, QuarantineReason

    thread = email_thread_for(workspace=world.workspace, subject=unique("Matrix outreach"), created_by=world.owner)
    return QuarantinedEmail.objects.create(
        reason=QuarantineReason.STRANGER, thread=thread, workspace=world.workspace, token=thread.reply_token,
        from_email="stranger@matrix.example", from_name="A Stranger", subject=f"Re: {thread.subject}",
        text="Hello from someone who is not part of this conversation.").pk


MAKERS: dict = {"quarantine_id": _held_email}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}
