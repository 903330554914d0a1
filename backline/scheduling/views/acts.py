"""Web pages of an act's schedule: the green zone, the act's events (polls: ``polls``; feeds and share
links: ``sharing``)."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from backline.accounts.permissions import BOOKINGS_VIEW, SCHEDULE_MANAGE, SCHEDULE_VIEW
from backline.accounts.ui import workspace_view
from backline.artists.models import ActMember
from backline.core.errors import DomainError, NotFound
from backline.core.timeutil import FUTURE_DAYS, zone

from .. import feeds, selectors, ui
from ..forms import CancelForm, EventForm
from ..permissions import access_act
from ..services import act_events
from .sharing import sharing_context

GREEN_DAYS = 90  # the schedule's list: green evenings in the next 90 days
GREEN_PAGE = 10
EVENINGS = (dt.time(18), dt.time(2))


def _green_zone(act, *, start: dt.date, end: dt.date):
    return selectors.green_zone_for_act(act, start=start, end=end, window=EVENINGS, min_hours=3)


def green_dates_context(request, act, view, *, last: dt.date) -> dict:
    """One page of the green evenings starting by ``last``, each with what the person may do with it, and
    how many there are."""
    spans = [s for s in view.all_free if s.starts_at.date() <= last]
    page = Paginator(spans, GREEN_PAGE).get_page(request.GET.get("green_page"))
    return {"green_page": page, "green_rows": [(span, ui.date_actions(request.access, act, span)) for span in page],
            "green_total": len(spans), "green_days": GREEN_DAYS}


@workspace_view(SCHEDULE_VIEW)
def act_schedule(request):
    """The act's calendar, its green evenings (paged: to htmx, ``?green_page=`` answers just that list),
    events, polls and sharing."""
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    tz = zone(act.workspace.time_zone)
    today = timezone.localdate(timezone=tz)
    last = today + dt.timedelta(days=GREEN_DAYS - 1)
    view = _green_zone(act, start=today, end=last + dt.timedelta(days=1))  # the last evening runs past midnight
    green = green_dates_context(request, act, view, last=last)
    if request.htmx and request.htmx.target == "green-dates":
        return render(request, "scheduling/_green_dates.html", {"act": act, "zone": view, **green})
    return render(request, "scheduling/act_schedule.html", {
        "act": act, "zone": view, "can_manage": request.access.can(SCHEDULE_MANAGE),
        "can_see_bookings": request.access.can(BOOKINGS_VIEW), "upcoming": _upcoming(request, act),
        "polls": selectors.polls_for_act(act)[:10], **green,
        **sharing_context(request, act=act),
    })


@workspace_view(SCHEDULE_VIEW)
def green_date(request, day):
    """What the act can do with one date (the calendar's click on a green day): when everyone is free
    that evening, and the actions; to htmx just the fragment, else a small page."""
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise NotFound("No such date.") from None
    today = timezone.localdate(timezone=zone(act.workspace.time_zone))
    if not today <= date <= today + dt.timedelta(days=FUTURE_DAYS):
        raise NotFound("Choose a date from today on.")
    view = _green_zone(act, start=date, end=date + dt.timedelta(days=1))  # the evening runs past midnight
    spans = [s for s in view.all_free if s.starts_at.date() == date]
    context = {"act": act, "date": date, "zone": view,
               "rows": [(span, ui.date_actions(request.access, act, span)) for span in spans],
               "missing": [s for s in view.all_but_one if s.starts_at.date() == date]}
    template = "scheduling/_green_date.html" if request.htmx else "scheduling/green_date.html"
    return render(request, template, context)


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
                     initial={"participant_ids": [m.pk for m in members], "kind": "rehearsal", **_prefill(request)})
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


def _prefill(request) -> dict:
    """A new event's title, kind and times from the query (a green date's "pencil it in")."""
    g, out = request.GET, {}
    if g.get("title"):
        out["title"] = g["title"][:160]
    if g.get("kind") in dict(EventForm.base_fields["kind"].choices):
        out["kind"] = g["kind"]
    for key in ("starts_at", "ends_at"):
        with contextlib.suppress(ValueError):
            out[key] = dt.datetime.fromisoformat(g[key]).replace(tzinfo=None) if g.get(key) else None
    return {k: v for k, v in out.items() if v is not None}


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
