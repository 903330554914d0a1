"""Web pages of an act's date polls: propose slots, answer, close, reopen, decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import SCHEDULE_MANAGE, SCHEDULE_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound
from backline.core.timeutil import zone

from .. import selectors
from ..forms import PollForm
from ..models import Answer
from ..permissions import access_act
from ..services import polls


@workspace_view(SCHEDULE_MANAGE)
def poll_new(request):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    form = PollForm(request.POST or None, initial={"kind": "rehearsal"})
    if request.method == "POST" and form.is_valid():
        try:
            slots = form.parsed_slots(zone(act.workspace.time_zone))
            poll = polls.poll_create(actor=request.user, workspace_id=act.workspace_id, options=slots,
                                     title=form.cleaned_data["title"], kind=form.cleaned_data["kind"],
                                     notes=form.cleaned_data["notes"])
        except DomainError as exc:
            form.add_domain_error(exc)
        except ValidationError as exc:  # a slot line that does not parse
            form.add_error("slots", exc.messages)
        else:
            messages.success(request, "Poll opened; the line-up can answer now.")
            return redirect("poll_detail", act.workspace.slug, poll.pk)
    return render(request, "scheduling/event_form.html", {"form": form, "act": act, "title": "New date poll",
                                                          "submit_label": "Open poll"})


def _poll_of(act, poll_id):
    poll = selectors.polls_for_act(act).filter(pk=poll_id).first()
    if poll is None:
        raise NotFound("No such poll.")
    return poll


@workspace_view(SCHEDULE_VIEW)
def poll_detail(request, poll_id):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    poll = _poll_of(act, poll_id)
    results = selectors.poll_results(poll, viewer=request.user)
    return render(request, "scheduling/poll_detail.html", {
        "act": act, "poll": poll, "results": results, "can_manage": request.access.can(SCHEDULE_MANAGE),
        "tz": act.workspace.time_zone, "answer_choices": Answer.choices})


@workspace_view(SCHEDULE_VIEW)
@require_POST
def poll_answer(request, poll_id):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    poll = _poll_of(act, poll_id)
    answers = {}
    for key, value in request.POST.items():
        if key.startswith("option-") and key.removeprefix("option-").isdigit():
            answers[int(key.removeprefix("option-"))] = value
    polls.poll_answer(actor=request.user, poll_id=poll.pk, answers=answers)
    messages.success(request, "Thanks, your answers are saved.")
    return redirect("poll_detail", act.workspace.slug, poll.pk)


@workspace_view(SCHEDULE_MANAGE)
@require_POST
def poll_action(request, poll_id, action):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    poll = _poll_of(act, poll_id)
    if action == "decide":
        try:
            option_id = int(request.POST.get("option_id", ""))
        except ValueError:
            messages.error(request, "Choose a date.")
            return redirect("poll_detail", act.workspace.slug, poll.pk)
        poll = polls.poll_decide(actor=request.user, poll_id=poll.pk, option_id=option_id)
        messages.success(request, "Decided: the event is in everyone's calendar.")
        return redirect("act_event_detail", act.workspace.slug, poll.event_id)
    if action == "close":
        polls.poll_close(actor=request.user, poll_id=poll.pk)
    elif action == "reopen":
        polls.poll_reopen(actor=request.user, poll_id=poll.pk)
    else:
        raise NotFound("No such action.")
    return redirect("poll_detail", act.workspace.slug, poll.pk)
