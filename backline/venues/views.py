from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound

from . import selectors, services
from .forms import StageForm, VenueForm
from .models import Stage, Venue

VENUE_KINDS = ("venue", "promoter")


@login_required
def venue_workspace_new(request):
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            venue = services.venue_workspace_create(actor=request.user, geoname_id=data.pop("city"), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{venue.name} is ready.")
            return redirect("workspace_dashboard", venue.workspace.slug)
    return render(request, "accounts/workspace_form.html", {"form": form, "title": "New venue"})


def _kind_check(request):
    if request.access.workspace.kind not in VENUE_KINDS:
        raise NotFound("Only venue and promoter workspaces keep venues.")


@workspace_view(WORKSPACE_VIEW)
def venue_list(request):
    _kind_check(request)
    return render(request, "venues/venue_list.html", {"venues": selectors.venues_for(request.access),
                                                      "can_manage": request.access.can(ROSTER_MANAGE)})


@workspace_view(ROSTER_MANAGE)
def venue_new(request):
    _kind_check(request)
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            venue = services.venue_create(actor=request.user, workspace_id=request.access.workspace.pk,
                                          geoname_id=data.pop("city"), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{venue.name} added.")
            return redirect("venue_edit", request.access.workspace.slug, venue.pk)
    return render(request, "accounts/workspace_form.html", {"form": form, "title": "Add a venue",
                                                             "cancel_url": f"/w/{request.access.workspace.slug}/venues/"})


def _venue_of(request, venue_id) -> Venue:
    venue = selectors.venues_for(request.access).filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("No such venue.")
    return venue


def _venue_initial(venue: Venue) -> dict:
    initial = {f: getattr(venue, f) for f in ("name", "address", "postal_code", "capacity", "website", "phone",
                                              "description")}
    initial["city"] = venue.geoname_id
    return initial


@workspace_view(ROSTER_MANAGE)
def venue_edit(request, venue_id):
    venue = _venue_of(request, venue_id)
    form = VenueForm(request.POST or None, initial=_venue_initial(venue))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.venue_update(actor=request.user, venue_id=venue.pk, geoname_id=data.pop("city"), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{data['name']} saved.")
            return redirect("venue_edit", request.access.workspace.slug, venue.pk)
    return render(request, "venues/venue_edit.html", {"venue": venue, "form": form, "stage_form": StageForm()})


@workspace_view(ROSTER_MANAGE)
@require_POST
def stage_add(request, venue_id):
    venue = _venue_of(request, venue_id)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_add(actor=request.user, venue_id=venue.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Stage {form.cleaned_data['name']} added.")
            return redirect("venue_edit", request.access.workspace.slug, venue.pk)
    return render(request, "venues/venue_edit.html", {"venue": venue, "form": VenueForm(initial=_venue_initial(venue)),
                                                      "stage_form": form})


@workspace_view(ROSTER_MANAGE)
@require_POST
def stage_remove(request, venue_id, stage_id):
    venue = _venue_of(request, venue_id)
    stage = Stage.objects.filter(pk=stage_id, venue=venue).first()
    if stage is None:
        raise NotFound("No such stage.")
    services.stage_remove(actor=request.user, stage_id=stage.pk)
    messages.success(request, f"Stage {stage.name} removed.")
    return redirect("venue_edit", request.access.workspace.slug, venue.pk)
