"""Web pages for what leaves Backline: iCal feeds (and the public feed file itself), public share links;
and for what comes in: imported calendars."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from backline.accounts.permissions import SCHEDULE_MANAGE, SCHEDULE_VIEW, WORKSPACE_EDIT
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound
from backline.core.pdf import render_pdf
from backline.core.timeutil import zone

from .. import feeds, selectors
from ..forms import ShareLinkForm
from ..models import CalendarFeed, FeedKind
from ..permissions import access_act
from ..services import external_calendars, share_links


def feed_urls(request, feed: CalendarFeed | None) -> dict | None:
    if feed is None:
        return None
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
    return {"feed": feed, "url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def sharing_context(request, *, person: bool = False, act=None) -> dict:
    if person:
        feed = CalendarFeed.objects.filter(kind=FeedKind.PERSON, user=request.user).first()
        return {"person_feed": feed_urls(request, feed)}
    feed = CalendarFeed.objects.filter(kind=FeedKind.ACT, workspace_id=act.workspace_id).first()
    links = []
    if request.access.can(SCHEDULE_MANAGE):
        links = [{"link": link, "url": request.build_absolute_uri(reverse("public_availability", args=[link.token]))}
                 for link in selectors.share_links_for_act(act)]
    today = timezone.localdate(timezone=zone(act.workspace.time_zone))  # the act's today, not the server's
    return {"act_feed": feed_urls(request, feed), "share_links": links, "can_edit_feed": request.access.can(WORKSPACE_EDIT),
            "share_form": ShareLinkForm(initial={"starts_on": today, "ends_on": today + dt.timedelta(days=90)})}


# --- feeds ----------------------------------------------------------------------------------------

@login_required
@require_POST
def my_feed(request):
    feed = feeds.feed_for_person(actor=request.user)
    if request.POST.get("rotate"):
        feeds.feed_rotate(actor=request.user, feed_id=feed.pk)
        messages.success(request, "New feed address made; the old one no longer works.")
    return redirect(reverse("availability") + "#feeds")


@workspace_view(SCHEDULE_VIEW)
@require_POST
def act_feed(request):
    feed = feeds.feed_for_act(actor=request.user, workspace_id=request.access.workspace.pk)
    if request.POST.get("rotate"):
        feeds.feed_rotate(actor=request.user, feed_id=feed.pk)
        messages.success(request, "New feed address made; the old one no longer works.")
    elif "green_zone" in request.POST:
        feeds.feed_set_green_zone(actor=request.user, feed_id=feed.pk, include=request.POST["green_zone"] == "1")
        messages.success(request, "Feed updated.")
    return redirect(reverse("act_schedule", args=[request.access.workspace.slug]) + "#feeds")


@require_safe
def calendar_feed(request, token: str) -> HttpResponse:
    """The public iCal feed file: no login, the secret token in the URL is the credential."""
    try:
        feed = feeds.feed_for_token(token)
    except NotFound:
        raise Http404("No such feed.")
    response = HttpResponse(feeds.render_feed(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feeds.feed_filename(feed)}"'
    patch_cache_control(response, private=True, max_age=300)
    # The URL is a secret: keep it out of search engines and other sites' logs.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response

# --- public share links ---------------------------------------------------------------------------

@workspace_view(SCHEDULE_MANAGE)
@require_POST
def share_link_new(request):
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        share_links.share_link_create(actor=request.user, workspace_id=request.access.workspace.pk, **form.cleaned_data)
        messages.success(request, "Share link made. Send it to promoters; you can revoke it at any time.")
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                                         for f, e in form.errors.items()))
    return redirect(reverse("act_schedule", args=[request.access.workspace.slug]) + "#share")


@workspace_view(SCHEDULE_MANAGE)
@require_POST
def share_link_revoke(request, link_id):
    _, act = access_act(user=request.user, slug=request.access.workspace.slug, memberships=request.my_memberships)
    link = selectors.share_links_for_act(act).filter(pk=link_id).first()
    if link is None:
        raise NotFound("No such share link.")
    share_links.share_link_revoke(actor=request.user, link_id=link.pk)
    messages.success(request, "Link revoked; it no longer opens.")
    return redirect(reverse("act_schedule", args=[request.access.workspace.slug]) + "#share")


def _public_context(token) -> dict:
    """What a promoter sees: the act's name, city and green-zone dates. No member names, no notes."""
    link = share_links.share_link_by_token(token)
    act = link.act
    window = (link.window_start, link.window_end) if link.window_start and link.window_end else None
    start, end = share_links.share_link_days(link)
    view = selectors.green_zone_for_act(act, start=start, end=end, window=window,
                                        min_hours=float(link.min_hours))
    tz = zone(act.workspace.time_zone)
    days: dict[dt.date, list] = {}
    for span in view.all_free:
        days.setdefault(span.starts_at.astimezone(tz).date(), []).append(span)
    return {"act": act, "workspace": act.workspace, "link": link, "days": sorted(days.items()),
            "time_zone": view.time_zone, "pdf_url": reverse("public_availability_pdf", args=[token])}


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, max-age=300"
    return response


def public_availability(request, token):
    return _private(render(request, "scheduling/public_availability.html", _public_context(token)))


def public_availability_pdf(request, token):
    """The same page as a PDF to attach to an email."""
    context = _public_context(token)
    pdf = render_pdf("scheduling/public_availability_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{context["workspace"].slug}-availability.pdf"'
    return _private(response)


# --- imported personal calendars ------------------------------------------------------------------

@login_required
@require_POST
def calendar_import_add(request):
    name, url = request.POST.get("name", "").strip(), request.POST.get("url", "").strip()
    try:
        calendar = external_calendars.external_calendar_add(actor=request.user, name=name or "My calendar", url=url)
    except DomainError as exc:
        messages.error(request, exc.detail if not getattr(exc, "errors", None) else
                       " ".join(m for msgs in exc.errors.values() for m in msgs))
    else:
        calendar.refresh_from_db()
        if calendar.last_error:
            messages.warning(request, f"Saved, but it could not be read yet: {calendar.last_error}")
        else:
            messages.success(request, f"Imported {calendar.event_count} events as private busy time.")
    return redirect(reverse("availability") + "#calendars")


@login_required
@require_POST
def calendar_import_refresh(request, calendar_id):
    calendar = external_calendars.external_calendar_refresh(actor=request.user, calendar_id=calendar_id)
    if calendar.last_error and calendar.status == "error":
        messages.error(request, f"Could not read it: {calendar.last_error} Your earlier import is kept.")
    else:
        messages.success(request, f"Refreshed: {calendar.event_count} events.")
    return redirect(reverse("availability") + "#calendars")


@login_required
@require_POST
def calendar_import_remove(request, calendar_id):
    external_calendars.external_calendar_remove(actor=request.user, calendar_id=calendar_id)
    messages.success(request, "Calendar removed, and its busy times with it.")
    return redirect(reverse("availability") + "#calendars")

