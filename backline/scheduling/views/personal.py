"""Web pages of a person's own availability: the default state and recurring patterns. The page also
lists the person's commitments, imported calendars and feed (their actions are in ``sharing``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from backline.core.errors import DomainError
from backline.core.timeutil import zone

from .. import selectors
from ..forms import DefaultStateForm, RuleEditForm, RuleForm
from ..models import AvailabilityRule, ExternalCalendar, PersonSchedule
from ..permissions import own_rule
from ..rrule_words import day_text, describe
from ..services import availability as availability_services  # not to be confused with the view `availability`
from .sharing import sharing_context


def _in_words(rule: AvailabilityRule) -> AvailabilityRule:
    """The rule with ``words``: its pattern as a sentence ("Every Monday and Tuesday until 30 June 2027")."""
    rule.words = describe(rule.rrule, starts_on=rule.starts_on, ends_on=rule.ends_on)
    rule.skipped_days = [day_text(dt.date.fromisoformat(d)) if isinstance(d, str) and len(d) == 10 else d
                         for d in rule.exdates or []]
    return rule


def _availability_context(request, rule_form=None):
    schedule = PersonSchedule.objects.filter(user=request.user).first()
    today = timezone.localdate(timezone=zone(request.user.time_zone))
    return {
        "rules": [_in_words(r) for r in AvailabilityRule.objects.filter(user=request.user)],
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
    return render(request, "scheduling/rule_form.html", {"form": form, "rule": _in_words(rule)}, status=status)


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
