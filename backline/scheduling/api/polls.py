"""Date polls: propose slots, answer (pre-filled from your availability), decide."""


import datetime as dt

from ninja import Field, Router, Schema

from backline.accounts.permissions import SCHEDULE_VIEW
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id, OffsetDateTime

from .. import selectors
from ..permissions import access_act, access_poll
from ..services import polls

router = Router(tags=["date polls"])


class SlotIn(Schema):
    starts_at: OffsetDateTime
    ends_at: OffsetDateTime


class PollIn(Schema):
    title: str = Field(min_length=1, max_length=160)
    kind: str = "rehearsal"
    notes: str = Field("", max_length=2000)
    options: list[SlotIn] = Field(min_length=1, max_length=20)


class AnswerIn(Schema):
    option_id: Id
    answer: str = Field(description="yes, maybe or no")


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(min_length=1)


class DecideIn(Schema):
    option_id: Id
    title: str | None = Field(None, max_length=160)
    location: str = Field("", max_length=200)


class VoteOut(Schema):
    member_id: int
    member_name: str
    answer: str


class OptionOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    yes: int
    maybe: int
    no: int
    votes: list[VoteOut]
    suggestion: str | None = Field(None, description="your pre-filled answer, from your availability")


class PollOut(Schema):
    id: int
    title: str
    kind: str
    notes: str
    status: str
    options: list[OptionOut]
    not_answered: list[str]
    decided_option_id: int | None
    event_id: int | None


class PollSummaryOut(Schema):
    id: int
    title: str
    status: str
    created_at: dt.datetime


def poll_out(results: selectors.PollResults) -> dict:
    names = {m.pk: m.name for m in results.members}
    p = results.poll
    return {
        "id": p.pk, "title": p.title, "kind": p.kind, "notes": p.notes, "status": p.status,
        "decided_option_id": p.decided_option_id, "event_id": p.event_id,
        "not_answered": [m.name for m in results.not_answered],
        "options": [{"id": o.option.pk, "starts_at": o.option.starts_at, "ends_at": o.option.ends_at,
                     "yes": o.count("yes"), "maybe": o.count("maybe"), "no": o.count("no"), "suggestion": o.suggestion,
                     "votes": [{"member_id": k, "member_name": names.get(k, "?"), "answer": v}
                               for k, v in sorted(o.answers.items())]} for o in results.options],
    }


def _results(request, poll_id: int) -> dict:
    _, poll = access_poll(user=request.auth, poll_id=poll_id, capability=SCHEDULE_VIEW)
    return poll_out(selectors.poll_results(poll, viewer=request.auth))


@router.get("/acts/{workspace_id}/polls", response={200: list[PollSummaryOut], **ERROR_RESPONSES})
def poll_list(request, workspace_id: int):
    _, act = access_act(user=request.auth, workspace_id=workspace_id, capability=SCHEDULE_VIEW)
    return selectors.polls_for_act(act)


@router.post("/acts/{workspace_id}/polls", response={201: PollOut, **ERROR_RESPONSES})
def poll_create(request, workspace_id: int, payload: PollIn):
    poll = polls.poll_create(actor=request.auth, workspace_id=workspace_id, title=payload.title,
                             kind=payload.kind, notes=payload.notes,
                             options=[(o.starts_at, o.ends_at) for o in payload.options])
    return 201, _results(request, poll.pk)


@router.get("/polls/{poll_id}", response={200: PollOut, **ERROR_RESPONSES})
def poll_detail(request, poll_id: int):
    """Who answered what, who has not answered, and your suggested answers from your availability."""
    return _results(request, poll_id)


@router.put("/polls/{poll_id}/answers", response={200: PollOut, **ERROR_RESPONSES})
def poll_answer(request, poll_id: int, payload: AnswersIn):
    polls.poll_answer(actor=request.auth, poll_id=poll_id,
                      answers={a.option_id: a.answer for a in payload.answers})
    return _results(request, poll_id)


@router.post("/polls/{poll_id}/close", response={200: PollOut, **ERROR_RESPONSES})
def poll_close(request, poll_id: int):
    polls.poll_close(actor=request.auth, poll_id=poll_id)
    return _results(request, poll_id)


@router.post("/polls/{poll_id}/reopen", response={200: PollOut, **ERROR_RESPONSES})
def poll_reopen(request, poll_id: int):
    polls.poll_reopen(actor=request.auth, poll_id=poll_id)
    return _results(request, poll_id)


@router.post("/polls/{poll_id}/decide", response={200: PollOut, **ERROR_RESPONSES})
def poll_decide(request, poll_id: int, payload: DecideIn):
    """Turn a slot into an act event for the whole line-up."""
    polls.poll_decide(actor=request.auth, poll_id=poll_id, option_id=payload.option_id, title=payload.title,
                      location=payload.location)
    return _results(request, poll_id)
