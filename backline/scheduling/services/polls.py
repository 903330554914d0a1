"""Date polls: an act admin proposes candidate slots, members answer, the winner becomes an event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from backline.accounts.permissions import SCHEDULE_MANAGE, SCHEDULE_VIEW
from backline.core import audit
from backline.core.errors import Forbidden, Invalid, InvalidTransition
from backline.core.events import emit
from backline.core.timeutil import check_planned

from .. import events
from ..models import Answer, DatePoll, DatePollOption, DatePollVote, EventKind, PollStatus
from ..permissions import access_act, access_poll, line_up_entry
from ..workflow import transition
from .act_events import act_event_create

MAX_OPTIONS = 20


def poll_create(*, actor, workspace_id: int, title: str, options: list[tuple[dt.datetime, dt.datetime]],
                notes: str = "", kind: str = EventKind.REHEARSAL) -> DatePoll:
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = ["Give the poll a title."]
    if kind not in EventKind.values:
        errors["kind"] = [f"Choose one of {', '.join(EventKind.values)}."]
    if not 1 <= len(options) <= MAX_OPTIONS:
        errors["options"] = [f"Propose between 1 and {MAX_OPTIONS} dates."]
    now = timezone.now()
    for i, (start, end) in enumerate(options):
        if start.tzinfo is None or end.tzinfo is None or end <= start:
            errors["options"] = [f"Option {i + 1}: the end must be after the start."]
        elif end - start > dt.timedelta(days=2):
            errors["options"] = [f"Option {i + 1}: a slot can be at most two days long."]
        elif start < now:
            errors["options"] = [f"Option {i + 1} is in the past."]
        else:
            try:
                check_planned(options=[start, end])
            except Invalid as exc:
                errors["options"] = [f"Option {i + 1}: {exc.errors['options'][0]}"]
    if len(set(options)) != len(options):
        errors["options"] = ["The same slot is proposed twice."]
    if errors:
        raise Invalid("Please correct the poll.", errors=errors)
    with transaction.atomic():
        _, act = access_act(user=actor, workspace_id=workspace_id, capability=SCHEDULE_MANAGE)
        poll = DatePoll.objects.create(act=act, title=title[:160], notes=(notes or "").strip()[:2000], kind=kind,
                                       created_by=actor)
        DatePollOption.objects.bulk_create(
            [DatePollOption(poll=poll, starts_at=s, ends_at=e) for s, e in sorted(options)])
        audit.record(actor=actor, action="poll.created", obj=poll, workspace_id=workspace_id,
                     after={"title": title, "options": [[s, e] for s, e in sorted(options)]})
        emit(events.poll_opened, poll_id=poll.pk, workspace_id=workspace_id, actor_id=actor.pk)
    return poll


def poll_answer(*, actor, poll_id: int, answers: dict[int, str]) -> list[DatePollVote]:
    """The actor's own answers (yes / maybe / no) for some or all options of an open poll."""
    with transaction.atomic():
        _, poll = access_poll(user=actor, poll_id=poll_id, capability=SCHEDULE_VIEW, lock=True)
        if poll.status != PollStatus.OPEN:
            raise InvalidTransition("This poll is closed.", code=f"poll_{poll.status}")
        member = line_up_entry(user=actor, act=poll.act)
        if member is None:
            raise Forbidden("Only members of the line-up answer date polls.")
        options = {o.pk: o for o in poll.options.all()}
        bad = [k for k in answers if k not in options]
        wrong = [v for v in answers.values() if v not in Answer.values]
        if bad or wrong or not answers:
            raise Invalid("Invalid answers.", errors={"answers": [
                "Answer yes, maybe or no for options of this poll." if (bad or wrong) else "Give at least one answer."]})
        current = {v.option_id: v for v in DatePollVote.objects.filter(option__poll=poll, member=member)}
        before = {k: v.answer for k, v in current.items()}
        votes = []
        for option_id, answer in sorted(answers.items()):
            vote = current.get(option_id) or DatePollVote(option_id=option_id, member=member)
            vote.answer = answer
            vote.save()
            votes.append(vote)
        audit.record(actor=actor, action="poll.answered", obj=poll, workspace_id=poll.act.workspace_id,
                     before={"member": member.pk, **{str(k): v for k, v in before.items()}},
                     after={"member": member.pk, **{str(k): v for k, v in answers.items()}})
    return votes


def _move(actor, poll_id: int, to: str, action: str) -> DatePoll:
    with transaction.atomic():
        _, poll = access_poll(user=actor, poll_id=poll_id, capability=SCHEDULE_MANAGE, lock=True)
        before = {"status": poll.status}
        transition("poll", poll, to)
        poll.save()
        audit.record(actor=actor, action=action, obj=poll, workspace_id=poll.act.workspace_id, before=before,
                     after={"status": poll.status})
    return poll


def poll_close(*, actor, poll_id: int) -> DatePoll:
    return _move(actor, poll_id, PollStatus.CLOSED, "poll.closed")


def poll_reopen(*, actor, poll_id: int) -> DatePoll:
    return _move(actor, poll_id, PollStatus.OPEN, "poll.reopened")


def poll_decide(*, actor, poll_id: int, option_id: int, title: str | None = None, location: str = "") -> DatePoll:
    """Turn the winning slot into an act event for the whole line-up, in one step."""
    with transaction.atomic():
        _, poll = access_poll(user=actor, poll_id=poll_id, capability=SCHEDULE_MANAGE, lock=True)
        option = poll.options.filter(pk=option_id).first()
        if option is None:
            raise Invalid("Unknown option.", errors={"option_id": ["Choose one of this poll's dates."]})
        before = {"status": poll.status}
        transition("poll", poll, PollStatus.DECIDED)
        event = act_event_create(actor=actor, workspace_id=poll.act.workspace_id, title=(title or poll.title),
                                 kind=poll.kind, starts_at=option.starts_at, ends_at=option.ends_at, location=location,
                                 notes=poll.notes)
        poll.decided_option, poll.event = option, event
        poll.save()
        audit.record(actor=actor, action="poll.decided", obj=poll, workspace_id=poll.act.workspace_id, before=before,
                     after={"status": poll.status, "option": option.pk, "event": event.pk})
    return poll
