"""Web pages of an act's schedule: the green zone, the act's events (polls: ``polls``; feeds and share
links: ``sharing``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from backline.accounts.permissions import BOOKINGS_VIEW, SCHEDULE_MANAGE, SCHEDULE_VIEW
from backline.accounts.ui import workspace_view
from backline.artists.models import ActMember
from backline.core.errors import DomainError, NotFound
from backline.core.timeutil import zone

from .. import feeds, selectors
from ..forms import CancelForm, EventForm
from ..permissions import access_act
from ..services import act_events
from .sharing import sharing_context


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
        "can_see_bookings": request.access.can(BOOKINGS_VIEW), "upcoming": _upcoming(request, act),
        "polls": selectors.polls_for_act(act)[:10],
        **sharing_context(request, act=act),
    })


def _upcoming(request, act, limit: int = 12) -> list[dict]:
    """The act's next events and shows (holds and offers too, for those who may see bookings), by start."""
    now = timezone.now()
    items = [{"title": e.title, "starts_at": e.starts_at, "kind": e.get_kind_display(),
              "url": reverse("act_event_detail", args=[act.workspace.slug, e.pk])}
             for e in selectors.events_for_act(act, start=now, include_cancelled=False).prefetch_related(None)[:limit]]
    if request.access.can(BOOKINGS_VIEW):
        items += [{"title": item["booking_title"], "starts_at": item["starts_at"], "kind": item["stage"],
                   "url": item.get("url"), "where": item["location"]}
                  for item in feeds.act_schedule_items(act, start=now)[:limit]]
    return sorted(items, key=lambda i: i["starts_at"])[:limit]


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
