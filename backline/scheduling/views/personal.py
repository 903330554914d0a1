"""Web pages of a person's own availability: the default state and recurring patterns. The page also
lists the person's commitments, imported calendars and feed (their actions are in ``sharing``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from backline.core.errors import DomainError
from backline.core.timeutil import zone

from .. import selectors
from ..forms import DefaultStateForm, RuleEditForm, RuleForm
from ..models import AvailabilityRule, ExternalCalendar, PersonSchedule
from ..permissions import own_rule
from ..services import availability as availability_services  # not to be confused with the view `availability`
from .sharing import sharing_context


def _availability_context(request, rule_form=None):
    schedule = PersonSchedule.objects.filter(user=request.user).first()
    today = timezone.localdate(timezone=zone(request.user.time_zone))
    rules = list(AvailabilityRule.objects.filter(user=request.user))
    clashes = selectors.pattern_clashes(rules)
    for rule in rules:
        rule.clashes = clashes.get(rule.pk, [])
    return {
        "rules": rules,
        "rule_form": rule_form or RuleForm(initial={"starts_on": today, "state": "free", "repeat": "weekly"}),
        "default_form": DefaultStateForm(initial={"default_state": schedule.default_state if schedule else "unknown"}),
        "calendars": ExternalCalendar.objects.filter(user=request.user),
        "commitments": selectors.upcoming_commitments(request.user),
        **sharing_context(request, person=True),
    }


def _say_clashes(request, rule) -> None:
    """Saved, and told plainly where the pattern overlaps one of the other kind, and which wins."""
    for text in selectors.pattern_clashes(AvailabilityRule.objects.filter(user=request.user)).get(rule.pk, []):
        messages.warning(request, text)


@login_required
def availability(request):
    return render(request, "scheduling/availability.html", _availability_context(request))


@login_required
@require_POST
def availability_rule_new(request):
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            rule = availability_services.availability_rule_create(actor=request.user, **form.service_kwargs())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Pattern added.")
            _say_clashes(request, rule)
            return redirect("availability")
    return render(request, "scheduling/availability.html", _availability_context(request, rule_form=form), status=422)


@login_required
def availability_rule_edit(request, rule_id):
    rule = own_rule(user=request.user, rule_id=rule_id)
    form = RuleEditForm(request.POST or None, initial=RuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        try:
            saved = availability_services.availability_rule_update(actor=request.user, rule_id=rule.pk,
                                                                   from_date=form.cleaned_data["from_date"],
                                                                   **form.service_kwargs())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Pattern saved.")
            _say_clashes(request, saved)
            return redirect("availability")
    status = 422 if request.method == "POST" else 200  # as for a new pattern: a refused form is not a success
    return render(request, "scheduling/rule_form.html", {"form": form, "rule": rule}, status=status)


@login_required
@require_GET
def availability_rule_summary(request):
    """The builder's choices read back as one sentence, in the server's words (``rrule_words``), as the
    person changes them: the sentence alone for htmx, a page otherwise. Nothing is saved; choices that
    do not make a pattern yet answer 422 with what is missing."""
    form = RuleForm(request.GET)
    rule = None
    if form.is_valid():
        try:
            rule = availability_services.availability_rule_preview(actor=request.user, **form.service_kwargs())
        except DomainError as exc:
            form.add_domain_error(exc)
    template = "scheduling/_rule_summary.html" if request.htmx else "scheduling/rule_summary.html"
    return render(request, template, {"form": form, "preview": rule, **_still_to_do(form)}, status=200 if rule else 422)


_TO_CHOOSE = {"state": "free or busy", "start_time": "a start time", "end_time": "an end time",
              "starts_on": "the first day", "repeat": "how it repeats"}


def _still_to_do(form) -> dict:
    """What keeps the choices from being a pattern, in words: what is still to choose ("a start time and an
    end time") and any other problem ("Number of times: Ensure this value is at most 500.")."""
    missing, problems = [], []
    for name, errors in form.errors.as_data().items():
        field = form.fields.get(name)
        for error in errors:
            if error.code == "required" and name in _TO_CHOOSE:
                missing.append(_TO_CHOOSE[name])
            else:
                label = (field.label or name.replace("_", " ").capitalize()) if field else ""
                problems.extend(f"{label}: {m}" if label else m for m in error.messages)
    text = " and ".join([", ".join(missing[:-1]), missing[-1]]) if len(missing) > 1 else "".join(missing)
    return {"missing": text, "problems": problems}


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
