"""Statuses of act events, commitments and date polls: each graph in one table."""

from __future__ import annotations

from backline.core.errors import InvalidTransition

from .models import CommitmentStatus, EventStatus, ImportStatus, PollStatus

EVENT_TRANSITIONS: dict[str, set[str]] = {
    EventStatus.SCHEDULED: {EventStatus.CANCELLED},
    EventStatus.CANCELLED: set(),
}

COMMITMENT_TRANSITIONS: dict[str, set[str]] = {
    CommitmentStatus.TENTATIVE: {CommitmentStatus.CONFIRMED, CommitmentStatus.CANCELLED},
    CommitmentStatus.CONFIRMED: {CommitmentStatus.TENTATIVE, CommitmentStatus.CANCELLED},
    CommitmentStatus.CANCELLED: {CommitmentStatus.TENTATIVE, CommitmentStatus.CONFIRMED},
}

POLL_TRANSITIONS: dict[str, set[str]] = {
    PollStatus.OPEN: {PollStatus.CLOSED, PollStatus.DECIDED},
    PollStatus.CLOSED: {PollStatus.OPEN, PollStatus.DECIDED},
    PollStatus.DECIDED: set(),
}

# An imported calendar: each fetch ends ok or in error, whatever came before.
IMPORT_TRANSITIONS: dict[str, set[str]] = {
    ImportStatus.PENDING: {ImportStatus.OK, ImportStatus.ERROR},
    ImportStatus.OK: {ImportStatus.OK, ImportStatus.ERROR},
    ImportStatus.ERROR: {ImportStatus.OK, ImportStatus.ERROR},
}

_WORDS = {"event": ("event", EventStatus), "commitment": ("commitment", CommitmentStatus),
          "poll": ("date poll", PollStatus), "import": ("calendar import", ImportStatus)}

_GRAPHS = {"event": EVENT_TRANSITIONS, "commitment": COMMITMENT_TRANSITIONS, "poll": POLL_TRANSITIONS,
           "import": IMPORT_TRANSITIONS}


def allowed_next(kind: str, status: str) -> list[str]:
    return sorted(_GRAPHS[kind][status])


def transition(kind: str, obj, to: str) -> None:
    """Move ``obj`` (an act event, commitment or poll) to status ``to``; the caller saves."""
    if to not in _GRAPHS[kind][obj.status]:
        noun, statuses = _WORDS[kind]
        said = lambda value: statuses(value).label.lower()  # noqa: E731
        nxt = [said(n) for n in allowed_next(kind, obj.status)]
        then = f" From here it can become {' or '.join(nxt)}." if nxt else " It cannot change any more."
        raise InvalidTransition(f"This {noun} is {said(obj.status)}; it cannot become {said(to)}.{then}",
                                code=f"{kind}_{obj.status}", allowed=allowed_next(kind, obj.status))
    obj.status = to
