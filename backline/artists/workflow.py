"""Representation statuses (an agency represents an act): the whole transition graph in one table."""

from backline.core.errors import InvalidTransition

from .models import Representation, RepresentationStatus

S = RepresentationStatus

TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.ACTIVE, S.ENDED},  # granted; or declined, or withdrawn by the side that asked
    S.ACTIVE: {S.ENDED},  # either side ends it
    S.ENDED: set(),
}


def representation_transition(representation: Representation, to: str) -> None:
    """Move ``representation`` to status ``to`` (the caller saves), or raise ``InvalidTransition``."""
    if to not in TRANSITIONS[representation.status]:
        raise InvalidTransition(
            f"This is {representation.get_status_display().lower()} already; it cannot change that way.",
            code=f"representation_{representation.status}",
        )
    representation.status = to


# Rider versions: a draft is published into force; the next published version replaces it.
RIDER_TRANSITIONS: dict[str, set[str]] = {
    "draft": {"current"},
    "current": {"superseded"},
    "superseded": set(),
}


def rider_transition(rider, to: str) -> None:
    """Move a rider version to status ``to`` (the caller saves), or raise ``InvalidTransition``."""
    if to not in RIDER_TRANSITIONS[rider.status]:
        raise InvalidTransition(
            f"Version {rider.version} is {rider.get_status_display().lower()}; it cannot change that way.",
            code=f"rider_{rider.status}",
        )
    rider.status = to
