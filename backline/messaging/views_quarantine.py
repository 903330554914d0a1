"""The held-mail page (/w/<slug>/inbox/held/): incoming email that could not be trusted to its thread,
for the workspace's outreach managers to release into the thread or discard. Thin adapters over
quarantine.py; a held email of another workspace is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import OUTREACH_MANAGE
from backline.accounts.ui import workspace_view

from . import quarantine
from .models import QuarantineReason, QuarantineStatus
from .tracking import thread_link

PAGE_SIZE = 25


def _status_filter(request) -> str:
    status = request.GET.get("status") or QuarantineStatus.PENDING
    return status if status in QuarantineStatus.values else QuarantineStatus.PENDING


@workspace_view(OUTREACH_MANAGE)
def quarantine_list(request):
    ws = request.access.workspace
    status = _status_filter(request)
    page = Paginator(quarantine.quarantine_list_for(ws, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.thread_url = thread_link(item.thread, ws.slug)
    return render(request, "messaging/quarantine/list.html", {
        "page": page, "status": status, "statuses": QuarantineStatus.choices, "reasons": dict(QuarantineReason.choices),
        "pending": quarantine.pending_count(ws) if status != QuarantineStatus.PENDING else page.paginator.count})


def _done(request, item, note: str):
    """htmx: the card's replacement (and the tabs, out of band, with the new count); else back to the list."""
    ws = request.access.workspace
    if request.htmx:
        item.thread_url = thread_link(item.thread, ws.slug)
        return render(request, "messaging/quarantine/_decided.html", {
            "item": item, "note": note, "status": request.GET.get("status") or QuarantineStatus.PENDING,
            "statuses": QuarantineStatus.choices, "pending": quarantine.pending_count(ws)})
    messages.success(request, note)
    return redirect("quarantine_list", ws.slug)


@workspace_view(OUTREACH_MANAGE)
@require_POST
def quarantine_release(request, quarantine_id):
    item, _ = quarantine.quarantine_release(
        actor=request.user, quarantine_id=quarantine_id, workspace_id=request.access.workspace.pk,
        add_contact=request.POST.get("add_contact") in ("1", "on", "true"))
    who = item.from_name or item.from_email
    return _done(request, item, f"The email from {who} was posted to “{item.thread.subject}”.")


@workspace_view(OUTREACH_MANAGE)
@require_POST
def quarantine_discard(request, quarantine_id):
    item = quarantine.quarantine_discard(actor=request.user, quarantine_id=quarantine_id,
                                         workspace_id=request.access.workspace.pk)
    return _done(request, item, f"The email from {item.from_name or item.from_email} was discarded.")
