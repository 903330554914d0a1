"""Web pages: the notification list (filter, open, mark read, mark all read, delete), the navbar bell's
polled partial, and the preferences page. Thin adapters over the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from backline.core.web import safe_back_url

from . import selectors, services
from .forms import PreferencesForm
from .models import Channel, NotificationType

HTMX_STOP_POLLING = 286  # htmx stops an "every 30s" trigger on this status


def _filters(request) -> dict:
    type = request.GET.get("type")
    return {"type": type if type in NotificationType.values else None,
            "unread": True if request.GET.get("unread") == "1" else None}


@login_required
def notification_list(request):
    filters = _filters(request)
    page = Paginator(selectors.notifications_for(request.user, **filters), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "types": NotificationType.choices, "chosen_type": filters["type"] or "",
        "unread_only": bool(filters["unread"]), "query": request.GET.urlencode()})


def notification_bell(request):
    """The bell alone, for htmx to poll. After logging out, polling stops instead of swapping a log-in page in."""
    if not request.user.is_authenticated:
        if request.htmx:
            return HttpResponse(status=HTMX_STOP_POLLING)
        return redirect_to_login(request.get_full_path())
    return render(request, "notifications/_bell.html")


def _row_response(request, notification, *, deleted: bool = False):
    """For htmx: the changed row (nothing once deleted) and the bell, out of band, with its new count."""
    return render(request, "notifications/_row_swap.html", {"n": notification, "deleted": deleted})


@login_required
@require_POST
def notification_read(request, notification_id):
    """Mark read; with ``open``, go on to what the notification is about."""
    notification = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    if request.POST.get("open"):
        target = notification.url or "/notifications/"
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        return redirect(target if safe else "notification_list")
    if request.htmx:
        return _row_response(request, notification)
    return redirect(safe_back_url(request, fallback="/notifications/"))


@login_required
@require_POST
def notification_delete(request, notification_id):
    services.notification_delete(actor=request.user, notification_id=notification_id)
    if request.htmx:
        return _row_response(request, None, deleted=True)
    messages.success(request, "Notification deleted.")
    return redirect(safe_back_url(request, fallback="/notifications/"))


@login_required
@require_POST
def notification_read_all(request):
    type = request.POST.get("type") or None
    if type is not None and type not in NotificationType.values:
        type = None
    count = services.notification_mark_all_read(actor=request.user, type=type)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read." if count
                     else "Nothing was unread.")
    return redirect(safe_back_url(request, fallback="/notifications/"))


@login_required
def notification_preferences(request):
    preferences = selectors.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():
        current = {type: channel for type, _, channel in preferences}
        changed = 0
        for type, channel in form.cleaned_data.items():
            if channel != current[type]:
                services.preference_set(actor=request.user, type=type, channel=channel)
                changed += 1
        messages.success(request, "Your notification settings are saved." if changed else "Nothing changed.")
        return redirect("notification_preferences")
    rows = [(form[type], label) for type, label, _ in preferences]
    return render(request, "notifications/preferences.html", {"form": form, "rows": rows, "channels": Channel.choices},
                  status=422 if request.method == "POST" else 200)
