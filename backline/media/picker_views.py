"""Upload in place from a media picker (``/w/<slug>/media/pick-upload/``). An htmx request gets the picker
back with the new file selected (or the refusal in words, nothing changed); a plain form post uploads and
returns to the form's page, with the outcome as a message."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from backline.accounts.permissions import MEDIA_MANAGE
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError

from . import services
from .picker import KINDS, AssetPicker, PickerSettings, picker_assets, upload_url_for

OUT_OF_DATE = "This upload control is out of date: reload the page and try again."


def _reason(exc: DomainError) -> str:
    errors = [m for messages_ in (getattr(exc, "errors", None) or {}).values() for m in messages_]
    return " ".join(errors) or exc.detail


def _back(request):
    target = request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect("media_library", request.access.workspace.slug)


@workspace_view(MEDIA_MANAGE)
@require_POST
def media_pick_upload(request):
    try:
        picker = PickerSettings.unsign(request.POST.get("picker_upload", ""))
    except signing.BadSignature:
        if request.htmx:
            return HttpResponseBadRequest(OUT_OF_DATE)
        messages.error(request, OUT_OF_DATE)
        return _back(request)
    workspace_id = request.access.workspace.pk
    chosen = [v for v in (request.POST.getlist(picker.name) if picker.multiple else
                          [request.POST.get(picker.name, "")]) if v.isdigit()]
    upload = request.FILES.get(f"picker_file_{picker.name}")
    error, asset = "", None
    if upload is None:
        error = "Choose a file to upload first."
    else:
        try:
            asset = services.asset_upload(actor=request.user, workspace_id=workspace_id, upload=upload,
                                          kind=KINDS[picker.kinds][1])
        except DomainError as exc:
            error = _reason(exc)
        else:
            chosen = [*chosen, str(asset.pk)] if picker.multiple else [str(asset.pk)]
    if not request.htmx:
        if asset:
            messages.success(request, f"“{asset}” was added to your media library: pick it and save the form.")
        else:
            messages.error(request, error)
        return _back(request)
    widget = AssetPicker(kinds=picker.kinds, multiple=picker.multiple, empty_label=picker.empty_label)
    widget.assets = picker_assets(workspace_id, picker.kinds)
    widget.upload_url, widget.upload_error, widget.uploaded = upload_url_for(request), error, asset
    if request.GET.get("next"):  # keep the plain-post return address of the page the picker is on
        widget.upload_url = widget.upload_url.split("?", 1)[0] + "?" + request.GET.urlencode()
    return HttpResponse(widget.render(picker.name, chosen if picker.multiple else (chosen or [""])[0],
                                      attrs={"id": picker.id}))
