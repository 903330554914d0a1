"""The venue side of verification: each venue's level, its vouches, and asking Backline to verify it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

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


def _venue(request, venue_id):
    venue = _venues(request).filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("No such venue.")
    return venue


def _page(request, venue, form):
    requests = list(venue.verification_requests.all()[:5])
    return render(request, "venues/venue_verification.html", {
        "venue": venue, "trust": trust.trust_of(venue), "form": form, "requests": requests,
        "pending": any(r.status == VerificationStatus.SUBMITTED for r in requests),
        "vouches": list(venue.vouches.select_related("act_workspace")[:50]),
        "can_manage": request.access.can(ROSTER_MANAGE)})


@workspace_view(WORKSPACE_VIEW)
def venue_verification(request, venue_id):
    """The venue's level, how to get verified, its requests and the vouches it received."""
    venue = _venue(request, venue_id)
    return _page(request, venue, VerificationRequestForm(workspace=request.access.workspace))


@workspace_view(ROSTER_MANAGE)
@require_POST
def venue_verification_request(request, venue_id):
    """Send evidence for review; a refusal shows the page again with the errors beside the fields."""
    venue = _venue(request, venue_id)
    form = VerificationRequestForm(request.POST, workspace=request.access.workspace)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            verification.verification_request_submit(actor=request.user, venue_id=venue.pk,
                                                     document_ids=[d.pk for d in data.pop("documents")], **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Thank you! Backline's staff will look at your evidence soon.")
            return redirect("venue_verification", request.access.workspace.slug, venue.pk)
    return _page(request, venue, form)
