"""The network's statuses: every transition graph in one table. Services call ``transition``; an
illegal move raises ``InvalidTransition`` (409 in the API, a message on the page)."""

from __future__ import annotations

from backline.core.errors import InvalidTransition

from .models import CoPresentStatus, MemberStatus, PostStatus, RequestStatus

M, C, P, R = MemberStatus, CoPresentStatus, PostStatus, RequestStatus

MEMBER: dict[str, set[str]] = {
    M.INVITED: {M.ACTIVE, M.DECLINED, M.REMOVED},  # removed: the invitation is taken back
    M.ACTIVE: {M.LEFT, M.REMOVED},
    M.DECLINED: {M.INVITED},  # invited again later
    M.LEFT: {M.INVITED},
    M.REMOVED: {M.INVITED},
}
CO_PRESENT: dict[str, set[str]] = {
    C.PROPOSED: {C.ACCEPTED, C.DECLINED, C.WITHDRAWN},
    C.ACCEPTED: {C.WITHDRAWN},
    C.DECLINED: set(),
    C.WITHDRAWN: set(),
}
POST: dict[str, set[str]] = {P.OPEN: {P.CLOSED}, P.CLOSED: set()}
REQUEST: dict[str, set[str]] = {
    R.REQUESTED: {R.ACCEPTED, R.DECLINED, R.WITHDRAWN},
    R.ACCEPTED: {R.WITHDRAWN},
    R.DECLINED: set(),
    R.WITHDRAWN: set(),
}
TABLES = {"NetworkMember": (MEMBER, MemberStatus), "CoPresentation": (CO_PRESENT, CoPresentStatus),
          "BoardPost": (POST, PostStatus), "ResourceRequest": (REQUEST, RequestStatus)}


def transition(obj, to: str) -> None:
    """Move ``obj`` (a member, co-presentation, post or request) to status ``to`` (the caller saves),
    or raise ``InvalidTransition`` naming both statuses in words."""
    table, labels = TABLES[type(obj).__name__]
    if to not in table[obj.status]:
        raise InvalidTransition(f"Not possible now: it is “{labels(obj.status).label.lower()}” and cannot become "
                                f"“{labels(to).label.lower()}”.", code=f"{type(obj).__name__.lower()}_{obj.status}",
                                object=f"{type(obj).__name__.lower()}:{obj.pk}")
    obj.status = to
