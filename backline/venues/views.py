from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound
from backline.media.picker import offer_library

from . import selectors, services
from .forms import StageForm, StageSpecForm, VenueForm, VenuePageForm
from .models import Stage, Venue
from .services import SPEC_FIELDS
from .specs import metres, stage_headline, stage_words

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


def _page_initial(venue: Venue) -> dict:
    return {"slug": venue.slug or "", "visibility": venue.visibility, "genres": ", ".join(venue.genres or [])}


def _edit_page(request, venue, form, page_form, stage_form):
    stages = [(s, stage_headline(s)) for s in venue.stages.all()]
    return render(request, "venues/venue_edit.html", {"venue": venue, "form": form, "page_form": page_form,
                                                      "stage_form": stage_form, "stages": stages})


@workspace_view(ROSTER_MANAGE)
def venue_edit(request, venue_id):
    venue = _venue_of(request, venue_id)
    form = VenueForm(request.POST or None, initial=_venue_initial(venue))
    page_form = VenuePageForm(request.POST or None, initial=_page_initial(venue))
    if request.method == "POST" and form.is_valid() & page_form.is_valid():
        # Only the page settings the form sent: a post without them (an older page, a script) keeps them.
        data = {**form.cleaned_data, **{k: v for k, v in page_form.cleaned_data.items() if k in request.POST}}
        if not data.get("visibility", True):
            data.pop("visibility")
        try:
            services.venue_update(actor=request.user, venue_id=venue.pk, geoname_id=data.pop("city"), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
            page_form.add_domain_error(exc)
        else:
            messages.success(request, f"{data['name']} saved.")
            return redirect("venue_edit", request.access.workspace.slug, venue.pk)
    return _edit_page(request, venue, form, page_form, StageForm())


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
    return _edit_page(request, venue, VenueForm(initial=_venue_initial(venue)),
                      VenuePageForm(initial=_page_initial(venue)), form)


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


def _stage_of(request, venue_id, stage_id) -> tuple[Venue, Stage]:
    venue = _venue_of(request, venue_id)
    stage = (Stage.objects.filter(pk=stage_id, venue=venue)
             .prefetch_related("photos", "documents").first())
    if stage is None:
        raise NotFound("No such stage.")
    return venue, stage


@workspace_view(WORKSPACE_VIEW)
def stage_detail(request, venue_id, stage_id):
    """The stage's spec in words, with its photos and tech pack; anyone in the team reads it."""
    _kind_check(request)
    venue, stage = _stage_of(request, venue_id, stage_id)
    return render(request, "venues/stage_detail.html", {
        "venue": venue, "stage": stage, "headline": stage_headline(stage), "lines": stage_words(stage),
        "can_manage": request.access.can(ROSTER_MANAGE)})


@workspace_view(ROSTER_MANAGE)
def stage_edit(request, venue_id, stage_id):
    _kind_check(request)
    venue, stage = _stage_of(request, venue_id, stage_id)
    initial = {f: getattr(stage, f) for f in ("name", "capacity", *SPEC_FIELDS)}
    for f in ("width_m", "depth_m", "height_m"):  # 6, not 6.00
        initial[f] = metres(initial[f]) or None
    initial.update(photo_ids=[a.pk for a in stage.photos.all()], document_ids=[a.pk for a in stage.documents.all()])
    form = StageSpecForm(request.POST or None, initial=initial)
    offer_library(form, request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for text in ("pa_make", "console", "backline_notes", "lighting", "load_in_notes", "accessibility_notes"):
            data[text] = data[text] or ""
        try:
            services.stage_spec_update(actor=request.user, stage_id=stage.pk, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Stage {data['name']} saved.")
            return redirect("stage_detail", request.access.workspace.slug, venue.pk, stage.pk)
    return render(request, "venues/stage_edit.html", {"venue": venue, "stage": stage, "form": form})
