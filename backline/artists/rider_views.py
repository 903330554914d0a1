"""The act's rider pages: versions, a draft's editor (the input list as a table of rows), publishing,
one version with what changed since the one before, and the PDF."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound
from backline.core.pdf import render_pdf
from backline.core.stagefit import BacklineItem
from backline.media.picker import offer_library

from . import riders
from .models import RiderKind, RiderStatus
from .rider_forms import HospitalityRiderForm, InputFormSet, TechnicalRiderForm, error_summary

BACKLINE_WORDS = dict(BacklineItem.choices)


def rider_context(rider) -> dict:
    """What the page, the PDF and the booking page show of a version, in words."""
    return {"rider": rider, "is_technical": rider.kind == RiderKind.TECHNICAL,
            "brings": [BACKLINE_WORDS.get(v, v) for v in rider.backline_brings],
            "needs": [BACKLINE_WORDS.get(v, v) for v in rider.backline_needs],
            "mixes": rider.monitor_mixes, "inputs": list(rider.inputs.all())}


def riders_pdf_bytes(act_name: str, versions) -> bytes:
    """One printable document of some rider versions (a booking prints both riders in force)."""
    return render_pdf("artists/riders/rider_pdf.html", {"act_name": act_name, "docs": [rider_context(r) for r in versions]})


@workspace_view(WORKSPACE_VIEW)
def rider_list(request):
    act = riders.act_of(request.access)
    versions = list(riders.riders_for(act))
    kinds = [{"kind": kind, "label": label,
              "current": next((r for r in versions if r.kind == kind and r.status == RiderStatus.CURRENT), None),
              "draft": next((r for r in versions if r.kind == kind and r.status == RiderStatus.DRAFT), None),
              "versions": [r for r in versions if r.kind == kind]} for kind, label in RiderKind.choices]
    return render(request, "artists/riders/list.html",
                  {"kinds": kinds, "can_manage": request.access.can(ROSTER_MANAGE)})


@workspace_view(ROSTER_MANAGE)
@require_POST
def rider_new(request):
    riders.act_of(request.access)  # another kind of workspace: 404
    try:
        rider = riders.rider_draft(actor=request.user, workspace_id=request.access.workspace.pk,
                                   kind=request.POST.get("kind", ""))
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("rider_list", request.access.workspace.slug)
    return redirect("rider_edit", request.access.workspace.slug, rider.pk)


@workspace_view(WORKSPACE_VIEW)
def rider_detail(request, rider_id: int):
    act = riders.act_of(request.access)
    rider = riders.rider_get(act, rider_id)
    changes = riders.changes_between(riders.previous_version(rider), rider)
    return render(request, "artists/riders/detail.html", {**rider_context(rider), "changes": changes,
                  "can_manage": request.access.can(ROSTER_MANAGE)})


@workspace_view(ROSTER_MANAGE)
def rider_edit(request, rider_id: int):
    slug = request.access.workspace.slug
    act = riders.act_of(request.access)
    rider = riders.rider_get(act, rider_id)
    if rider.status != RiderStatus.DRAFT:
        messages.info(request, "A published version never changes: start a new draft to edit it.")
        return redirect("rider_detail", slug, rider.pk)
    technical = rider.kind == RiderKind.TECHNICAL
    form_class = TechnicalRiderForm if technical else HospitalityRiderForm
    data = request.POST if request.method == "POST" else None
    form = form_class(data, initial=form_class.initial_from(rider))
    offer_library(form, request)  # the stage plot's picker, on the technical rider
    rows = InputFormSet(data, prefix="inputs", initial=[
        {"channel": c.channel, "source": c.source, "mic": c.mic, "stand": c.stand, "notes": c.notes}
        for c in rider.inputs.all()]) if technical else None
    if data is not None and form.is_valid() and (rows is None or rows.is_valid()):
        fields = form.service_fields()
        if rows is not None:
            fields["inputs"] = [r for r in rows.cleaned_data if r and not r.get("DELETE")]
            for r in fields["inputs"]:
                r.pop("DELETE", None)
        try:
            riders.rider_update(actor=request.user, workspace_id=act.workspace_id, rider_id=rider.pk, **fields)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if "publish" in request.POST:
                return rider_publish(request, slug=slug, rider_id=rider.pk)
            messages.success(request, "Draft saved.")
            return redirect("rider_edit", slug, rider.pk)
    current = riders.current_riders([act.pk]).get((act.pk, rider.kind))
    return render(request, "artists/riders/edit.html", {"rider": rider, "form": form, "rows": rows,
                                                        "is_technical": technical, "current": current,
                                                        "errors": error_summary(form, rows) if data is not None else []})


def _rider_step(request, rider_id: int, step, done):
    """Run ``step`` (a riders service) on the rider as the member; a refusal goes back to the list as a
    message, a missing rider is 404; ``done(rider)`` gives the message and where to go next."""
    slug = request.access.workspace.slug
    riders.act_of(request.access)  # another kind of workspace: 404
    try:
        rider = step(actor=request.user, workspace_id=request.access.workspace.pk, rider_id=rider_id)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("rider_list", slug)
    text, target = done(rider)
    messages.success(request, text)
    return redirect(*target)


@workspace_view(ROSTER_MANAGE)
@require_POST
def rider_publish(request, rider_id: int):
    slug = request.access.workspace.slug
    return _rider_step(request, rider_id, riders.rider_publish,
                       lambda r: (f"{r} is now in force.", ("rider_detail", slug, r.pk)))


@workspace_view(ROSTER_MANAGE)
@require_POST
def rider_discard(request, rider_id: int):
    slug = request.access.workspace.slug
    return _rider_step(request, rider_id, riders.rider_discard, lambda r: (
        f"The draft of version {r.version} of the {r.get_kind_display().lower()} is thrown away; "
        "the version in force is unchanged.", ("rider_list", slug)))


@workspace_view(WORKSPACE_VIEW)
def rider_pdf(request, rider_id: int):
    return pdf_response(riders.rider_get(riders.act_of(request.access), rider_id))


def pdf_response(rider) -> HttpResponse:
    return pdf_file(riders_pdf_bytes(rider.act.workspace.name, [rider]), f"rider-{rider.kind}-v{rider.version}.pdf")


def pdf_file(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
