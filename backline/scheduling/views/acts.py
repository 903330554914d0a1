"""Web pages: a person's availability, an act's schedule (green zone, events, polls)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from backline.accounts.permissions import SCHEDULE_MANAGE, SCHEDULE_VIEW
from backline.accounts.ui import workspace_view
from backline.artists.models import ActMember
from backline.core.errors import DomainError, NotFound
from backline.core.timeutil import zone

from .. import selectors
from ..forms import CancelForm, DefaultStateForm, EventForm, PollForm, RuleEditForm, RuleForm
from ..models import Answer, AvailabilityRule, ExternalCalendar, PersonSchedule
from ..permissions import access_act, own_rule
from ..services import act_events, polls
from ..services import availability as availability_services  # not to be confused with the view `availability`
from .sharing import sharing_context

# --- a person's availability ----------------------------------------------------------------------


def _availability_context(request, rule_form=None):
    schedule = PersonSchedule.objects.filter(user=request.user).first()
    today = timezone.localdate(timezone=zone(request.user.time_zone))
    return {
        "rules": AvailabilityRule.objects.filter(user=request.user),
        "rule_form": rule_form or RuleForm(initial={"starts_on": today, "state": "free", "repeat": "weekly"}),
        "default_form": DefaultStateForm(initial={"default_state": schedule.default_state if schedule else "unknown"}),
        "calendars": ExternalCalendar.objects.filter(user=request.user),
        "commitments": selectors.upcoming_commitments(request.user),
        **sharing_context(request, person=True),
    }


@login_required
def availability(request):
    return render(request, "scheduling/availability.html", _availability_context(request))


@login_required
@require_POST
def availability_rule_new(request):
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            availability_services.availability_rule_create(actor=request.user, **form.service_kwargs())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Pattern added.")
            return redirect("availability")
    return render(request, "scheduling/availability.html", _availability_context(request, rule_form=form), status=422)


@login_required
def availability_rule_edit(request, rule_id):
    rule = own_rule(user=request.user, rule_id=rule_id)
    form = RuleEditForm(request.POST or None, initial=RuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        try:
            availability_services.availability_rule_update(actor=request.user, rule_id=rule.pk,
                                                           from_date=form.cleaned_data["from_date"], **form.service_kwargs())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Pattern saved.")
            return redirect("availability")
    status = 422 if request.method == "POST" else 200  # as for a new pattern: a refused form is not a success
    return render(request, "scheduling/rule_form.html", {"form": form, "rule": rule}, status=status)


@login_required
@require_POST
def availability_rule_delete(request, rule_id):
    from_date = request.POST.get("from_date") or None
    try:
        from_date = dt.date.fromisoformat(from_date) if from_date else None
    except ValueError:
        messages.error(request, "That is not a date.")
        return redirect("availability")
    availability_services.availability_rule_delete(actor=request.user, rule_id=rule_id, from_date=from_date)
    messages.success(request, "Pattern ended." if from_date else "Pattern deleted.")
    return redirect("availability")


@login_required
@require_POST
def availability_default(request):
    form = DefaultStateForm(request.POST)
    if form.is_valid():
        availability_services.schedule_set_default(actor=request.user, default_state=form.cleaned_data["default_state"])
        messages.success(request, "Saved.")
    else:
        messages.error(request, "Choose free, busy or unknown.")
    return redirect("availability")


# --- an act's schedule ----------------------------------------------------------------------------

@workspace_view(SCHEDULE_VIEW)
def act_schedule(request):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    tz = zone(act.workspace.time_zone)
    today = timezone.localdate(timezone=tz)
    start, end = today, today + dt.timedelta(days=89)
    window = (dt.time(18), dt.time(2)) if request.GET.get("evenings", "1") == "1" else None
    view = selectors.green_zone_for_act(act, start=start, end=end, window=window, min_hours=3)
    return render(request, "scheduling/act_schedule.html", {
        "act": act, "zone": view, "can_manage": request.access.can(SCHEDULE_MANAGE),
        "events": selectors.events_for_act(act, start=timezone.now(), include_cancelled=False)[:10],
        "polls": selectors.polls_for_act(act)[:10],
        **sharing_context(request, act=act),
    })


def _members(act):
    return list(ActMember.objects.filter(act=act))


@workspace_view(SCHEDULE_MANAGE)
def act_event_new(request):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    members = _members(act)
    tz = zone(act.workspace.time_zone)
    form = EventForm(request.POST or None, members=members,
                     initial={"participant_ids": [m.pk for m in members], "kind": "rehearsal"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            act_events.act_event_create(actor=request.user, workspace_id=act.workspace_id,
                                        starts_at=_aware(data.pop("starts_at"), tz), ends_at=_aware(data.pop("ends_at"), tz),
                                        time_zone=act.workspace.time_zone, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Event added; everyone taking part is now busy then.")
            return redirect("act_schedule", act.workspace.slug)
    return render(request, "scheduling/event_form.html", {"form": form, "act": act, "title": "New event"})


def _aware(value: dt.datetime, tz) -> dt.datetime:
    """A datetime-local input is wall-clock time in the act's zone (the form read it in the server's)."""
    if timezone.is_aware(value):
        value = timezone.make_naive(value)
    return value.replace(tzinfo=tz)


def _event_of(act, event_id):
    event = selectors.events_for_act(act).filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such event.")
    return event


def _in_zone(value: dt.datetime, tz) -> dt.datetime:
    """``value`` in ``tz``, or in UTC when it lies at the very end of the calendar (a row stored before
    dates were bounded): its page must still open, so that it can be deleted."""
    try:
        return value.astimezone(tz)
    except OverflowError:
        return value


@workspace_view(SCHEDULE_VIEW)
def act_event_detail(request, event_id):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    event = _event_of(act, event_id)
    tz = zone(event.time_zone)
    starts = _in_zone(event.starts_at, tz)
    return render(request, "scheduling/event_detail.html", {
        "act": act, "event": event, "can_manage": request.access.can(SCHEDULE_MANAGE),
        "starts": starts, "ends": _in_zone(event.ends_at, tz), "zone_name": event.time_zone if starts.tzinfo is tz else "UTC"})


@workspace_view(SCHEDULE_MANAGE)
def act_event_edit(request, event_id):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    event = _event_of(act, event_id)
    tz = zone(event.time_zone)
    form = EventForm(request.POST or None, members=_members(act), initial={
        "title": event.title, "kind": event.kind, "starts_at": _in_zone(event.starts_at, tz).replace(tzinfo=None),
        "ends_at": _in_zone(event.ends_at, tz).replace(tzinfo=None), "location": event.location, "notes": event.notes,
        "participant_ids": [m.pk for m in event.participants.all()]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            act_events.act_event_update(actor=request.user, event_id=event.pk, starts_at=_aware(data.pop("starts_at"), tz),
                                        ends_at=_aware(data.pop("ends_at"), tz), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Event saved; calendars that subscribe will update.")
            return redirect("act_event_detail", act.workspace.slug, event.pk)
    return render(request, "scheduling/event_form.html", {"form": form, "act": act, "title": f"Change {event.title}"})


@workspace_view(SCHEDULE_MANAGE)
@require_POST
def act_event_cancel(request, event_id):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    event = _event_of(act, event_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for cancelling.")
    else:
        act_events.act_event_cancel(actor=request.user, event_id=event.pk, reason=form.cleaned_data["reason"])
        messages.success(request, "Event cancelled; everyone's commitment is released.")
    return redirect("act_event_detail", act.workspace.slug, event.pk)


@workspace_view(SCHEDULE_MANAGE)
@require_POST
def act_event_delete(request, event_id):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    event = _event_of(act, event_id)
    act_events.act_event_delete(actor=request.user, event_id=event.pk)
    messages.success(request, "Event deleted; it is gone from everyone's calendar.")
    return redirect("act_schedule", act.workspace.slug)


# --- date polls -----------------------------------------------------------------------------------

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
