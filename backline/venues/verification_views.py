"""The venue side of verification: each venue's level, its vouches, and asking Backline to verify it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound

from . import selectors, trust, verification
from .forms import VerificationRequestForm
from .models import VerificationStatus

VENUE_KINDS = ("venue", "promoter")


def _venues(request):
    if request.access.workspace.kind not in VENUE_KINDS:
        raise NotFound("Only venue and promoter workspaces keep venues.")
    return trust.with_trust(selectors.venues_for(request.access).prefetch_related(None))


@workspace_view(WORKSPACE_VIEW)
def verification_overview(request):
    venues = [(v, trust.trust_of(v)) for v in _venues(request)]
    return render(request, "venues/verification_overview.html", {"venues": venues, "required": trust.vouches_required()})


@workspace_view(WORKSPACE_VIEW)
def venue_verification(request, venue_id):
    venue = _venues(request).filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("No such venue.")
    ws = request.access.workspace
    can_manage = request.access.can(ROSTER_MANAGE)
    form = VerificationRequestForm(request.POST or None, workspace=ws)
    if request.method == "POST":
        if not can_manage:
            from backline.core.errors import Forbidden

            raise Forbidden("Your role does not allow this.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                verification.verification_request_submit(actor=request.user, venue_id=venue.pk,
                                                         document_ids=[d.pk for d in data.pop("documents")], **data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "Thank you! Backline's staff will look at your evidence soon.")
                return redirect("venue_verification", ws.slug, venue.pk)
    requests = list(venue.verification_requests.select_related(None)[:5])
    pending = any(r.status == VerificationStatus.SUBMITTED for r in requests)
    vouches = list(venue.vouches.select_related("act_workspace")[:50])
    return render(request, "venues/venue_verification.html", {
        "venue": venue, "trust": trust.trust_of(venue), "form": form, "requests": requests, "pending": pending,
        "vouches": vouches, "can_manage": can_manage})
