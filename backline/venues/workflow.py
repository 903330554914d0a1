"""Verification request statuses: the whole transition graph in one table."""

from backline.core.errors import InvalidTransition

from .models import VerificationRequest, VerificationStatus

S = VerificationStatus

TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.APPROVED, S.REJECTED},  # staff review the evidence
    S.APPROVED: {S.REVOKED},  # staff withdraw the verification, with a reason
    S.REJECTED: set(),  # the venue sends a new request
    S.REVOKED: set(),  # likewise
}


def verification_transition(request: VerificationRequest, to: str) -> None:
    """Move ``request`` to status ``to`` (the caller saves), or raise ``InvalidTransition``."""
    if to not in TRANSITIONS[request.status]:
        raise InvalidTransition(f"This request is {request.get_status_display().lower()} already.",
                                code=f"verification_{request.status}")
    request.status = to
