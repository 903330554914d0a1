"""Invitation statuses: the whole transition graph in one table."""

from backline.core.errors import InvalidTransition

from .models import Invitation, InvitationStatus

S = InvitationStatus

TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.ACCEPTED, S.DECLINED, S.REVOKED, S.EXPIRED},
    S.ACCEPTED: set(),
    S.DECLINED: set(),
    S.REVOKED: set(),
    S.EXPIRED: set(),
}


def invitation_transition(invitation: Invitation, to: str) -> None:
    """Move ``invitation`` to status ``to`` (the caller saves), or raise ``InvalidTransition``."""
    if to not in TRANSITIONS[invitation.status]:
        raise InvalidTransition(
            f"This invitation is {invitation.get_status_display().lower()}; it cannot become {to}.",
            code=f"invitation_{invitation.status}",
        )
    invitation.status = to
