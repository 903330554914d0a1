"""An act's events, green zone and conflicts (polls: ``polls``; share links and feeds: ``sharing``)."""


import datetime as dt

from ninja import Router
from ninja.pagination import paginate

from backline.accounts.permissions import SCHEDULE_VIEW
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import LocalTime, OffsetDateTime
from backline.core.errors import Invalid
from backline.core.timeutil import MAX_RANGE_DAYS, NAIVE_MESSAGE

from .. import selectors
from ..permissions import access_act, access_event
from ..services import act_events
from .schemas import ConflictOut, EventIn, EventOut, EventPatchIn, GreenZoneOut, ReasonIn

router = Router(tags=["act schedule"])


def zone_out(view: selectors.GreenZoneView) -> dict:
    def ref(m):
        return {"id": m.pk, "name": m.name}

    def span(s):
        return {"starts_at": s.starts_at, "ends_at": s.ends_at, "hours": s.hours,
                "missing": ref(s.missing) if s.missing else None}

    return {"start": view.start, "end": view.end, "time_zone": view.time_zone,
            "required": [ref(m) for m in view.required], "optional": [ref(m) for m in view.optional],
            "unknown": [ref(m) for m in view.unknown], "all_free": [span(s) for s in view.all_free],
            "all_but_one": [span(s) for s in view.all_but_one], "days": view.days}


def window_of(window_start: dt.time | None, window_end: dt.time | None):
    if (window_start is None) != (window_end is None):
        raise Invalid("Give both ends of the time-of-day window.",
                      errors={"window_end": ["Give both the window's start and end, or neither."]})
    return (window_start, window_end) if window_start is not None else None


@router.get("/acts/{workspace_id}/green-zone", response={200: GreenZoneOut, **ERROR_RESPONSES})
def green_zone(request, workspace_id: int, start: dt.date, end: dt.date, window_start: LocalTime | None = None,
               window_end: LocalTime | None = None, min_hours: float = 0, include_optional: bool = False):
    """When every required member is free (``all_free``) and when all but one are (``all_but_one``,
    naming who is missing), in the act's time zone, for local dates ``start``..``end`` (at most two
    years). ``window_start``/``window_end`` keep a time of day (e.g. 18:00–02:00 for evenings);
    ``min_hours`` drops shorter spans; ``include_optional`` counts substitute members too."""
    _, act = access_act(user=request.auth, workspace_id=workspace_id, capability=SCHEDULE_VIEW)
    view = selectors.green_zone_for_act(act, start=start, end=end, window=window_of(window_start, window_end),
                                        min_hours=min_hours, include_optional=include_optional)
    return zone_out(view)


@router.get("/acts/{workspace_id}/conflicts", response={200: list[ConflictOut], **ERROR_RESPONSES})
def act_conflicts(request, workspace_id: int, starts_at: OffsetDateTime, ends_at: OffsetDateTime):
    """What keeps the line-up from a span, per member. Private blocks and imported events are shown only
    as "Busy", and other acts' commitments as "Busy (another commitment)" (yours are shown in full)."""
    _, act = access_act(user=request.auth, workspace_id=workspace_id, capability=SCHEDULE_VIEW)
    users = [u for u in act.members.values_list("user_id", flat=True) if u]
    return selectors.conflicts_for(user_ids=users, starts_at=starts_at, ends_at=ends_at, viewer=request.auth,
                                   workspace_id=act.workspace_id)


@router.get("/acts/{workspace_id}/events", response={200: list[EventOut], **ERROR_RESPONSES})
@paginate
def event_list(request, workspace_id: int, start: OffsetDateTime | None = None, end: OffsetDateTime | None = None):
    _, act = access_act(user=request.auth, workspace_id=workspace_id, capability=SCHEDULE_VIEW)
    for name, value in (("start", start), ("end", end)):
        if value is not None and value.utcoffset() is None:  # naive: and naive minus aware would be a 500
            raise Invalid(NAIVE_MESSAGE, errors={name: [NAIVE_MESSAGE]})
    if start and end and (end - start).days > MAX_RANGE_DAYS:
        raise Invalid("The range is too long.", errors={"end": [f"Choose at most {MAX_RANGE_DAYS} days."]})
    return selectors.events_for_act(act, start=start, end=end)


@router.post("/acts/{workspace_id}/events", response={201: EventOut, **ERROR_RESPONSES})
def event_create(request, workspace_id: int, payload: EventIn):
    """A rehearsal, recording day or a show booked outside Backline; every participant with an account
    becomes busy then, in all their acts."""
    return 201, act_events.act_event_create(actor=request.auth, workspace_id=workspace_id, **payload.dict())


@router.get("/events/{event_id}", response={200: EventOut, **ERROR_RESPONSES})
def event_detail(request, event_id: int):
    return access_event(user=request.auth, event_id=event_id)[1]


@router.patch("/events/{event_id}", response={200: EventOut, **ERROR_RESPONSES})
def event_update(request, event_id: int, payload: EventPatchIn):
    return act_events.act_event_update(actor=request.auth, event_id=event_id, **payload.dict(exclude_unset=True))


@router.post("/events/{event_id}/cancel", response={200: EventOut, **ERROR_RESPONSES})
def event_cancel(request, event_id: int, payload: ReasonIn):
    """Cancel with a reason: the participants' commitments are released (feeds mark it cancelled)."""
    return act_events.act_event_cancel(actor=request.auth, event_id=event_id, reason=payload.reason)


@router.delete("/events/{event_id}", response={204: None, **ERROR_RESPONSES})
def event_delete(request, event_id: int):
    """Delete the event for good: it leaves every participant's calendar and feed (owners, admins and
    coordinators). Cancel instead to keep it, marked cancelled, with a reason."""
    act_events.act_event_delete(actor=request.auth, event_id=event_id)
    return 204, None
