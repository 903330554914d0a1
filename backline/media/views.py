"""The media library page: a grid of cards, a kind filter, the upload form, edit and delete."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import MEDIA_MANAGE, MEDIA_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError

from . import selectors, services
from .forms import AssetEditForm, AssetUploadForm
from .models import AssetKind
from .permissions import access_asset


def _library(request, *, upload_form=None):
    workspace = request.access.workspace
    kind = request.GET.get("kind") or ""
    if kind not in AssetKind.values:
        kind = ""
    assets = list(selectors.assets_for(workspace.pk, kind or None))
    can_manage = request.access.can(MEDIA_MANAGE)
    return render(request, "media/library.html", {
        "assets": assets, "kind": kind, "kinds": AssetKind.choices, "can_manage": can_manage,
        "use": selectors.storage_use(workspace.pk),
        "upload_form": (upload_form or AssetUploadForm()) if can_manage else None,
        "image_kinds": services.IMAGE_KINDS,
    })


@workspace_view(MEDIA_VIEW)
def media_library(request):
    return _library(request)


@workspace_view(MEDIA_MANAGE)
@require_POST
def media_upload(request):
    form = AssetUploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assets = services.asset_upload_many(
                actor=request.user, workspace_id=request.access.workspace.pk, uploads=data["files"],
                kind=data["kind"] or None, credit=data["credit"], in_press_pack=data["in_press_pack"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{len(assets)} file{'s' if len(assets) != 1 else ''} added to the library.")
            return redirect("media_library", request.access.workspace.slug)
    return _library(request, upload_form=form)


@workspace_view(MEDIA_MANAGE)
@require_POST
def media_edit(request, asset_id):
    asset = access_asset(user=request.user, asset_id=asset_id, capability=MEDIA_MANAGE,
                         workspace_id=request.access.workspace.pk).asset
    form = AssetEditForm(request.POST)
    if form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "kind" or (v and asset.is_image)}
        try:
            services.asset_update(actor=request.user, asset_id=asset.pk, **changes)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"{changes.get('title') or asset} saved.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("media_library", request.access.workspace.slug)


@workspace_view(MEDIA_MANAGE)
def media_delete(request, asset_id):
    asset = access_asset(user=request.user, asset_id=asset_id, capability=MEDIA_MANAGE,
                         workspace_id=request.access.workspace.pk).asset
    if request.method == "POST":
        services.asset_delete(actor=request.user, asset_id=asset.pk)
        messages.success(request, f"{asset} deleted.")
        return redirect("media_library", request.access.workspace.slug)
    return render(request, "media/delete.html", {"asset": asset})
