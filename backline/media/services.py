"""Writes for the media library: upload (checked, re-encoded, within the workspace's quota), edit, delete.

Files go through Django's default storage. Nothing half-written survives an error: the files a failed
upload wrote are removed before the error leaves the service, and a deleted asset's files are removed
only once the deletion is committed."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from backline.accounts.models import Workspace
from backline.accounts.permissions import MEDIA_MANAGE, access_workspace
from backline.core import audit
from backline.core.errors import Invalid

from .images import CheckedUpload, check_upload, process_image
from .models import Asset, AssetKind
from .permissions import access_asset
from .selectors import storage_used

ASSET_FIELDS = ("kind", "title", "credit", "in_press_pack")
IMAGE_KINDS = (AssetKind.LOGO, AssetKind.PHOTO, AssetKind.PRESS_PHOTO)


class QuotaExceeded(Invalid):
    """The workspace's storage is full: 413 in the API, a form error on the page."""

    status = 413
    code = "storage_quota_exceeded"
    title = "Storage full"


@dataclass
class _Prepared:
    checked: CheckedUpload
    kind: str
    files: dict  # field name → (ContentFile, extension)
    width: int | None
    height: int | None
    content_type: str

    @property
    def stored_bytes(self) -> int:
        return sum(content.size for content, _ in self.files.values())


def _kind_for(checked: CheckedUpload, kind: str | None, field: str) -> str:
    if not checked.is_image:
        if kind and kind != AssetKind.DOCUMENT:
            raise Invalid("A PDF is kept as a document.", errors={field: [
                f"{checked.name} is a PDF document; choose Document as its kind, or upload a picture."]})
        return AssetKind.DOCUMENT
    if kind == AssetKind.DOCUMENT:
        raise Invalid("Documents are PDF files.", errors={field: [
            f"{checked.name} is a picture; choose Logo, Photo or Press photo, or upload a PDF as a document."]})
    if kind and kind not in AssetKind.values:
        raise Invalid("Unknown kind.", errors={"kind": ["Choose Logo, Photo, Press photo or Document."]})
    return kind or AssetKind.PHOTO


def _prepare(upload, kind: str | None, field: str) -> _Prepared:
    checked = check_upload(upload, field=field)
    kind = _kind_for(checked, kind, field)
    if not checked.is_image:
        return _Prepared(checked, kind, {"file": (ContentFile(checked.data), "pdf")}, None, None, checked.content_type)
    processed = process_image(checked.image)
    files = {name: (r.content, r.extension) for name, r in
             (("file", processed.original), ("web", processed.web), ("thumb", processed.thumb))}
    return _Prepared(checked, kind, files, processed.original.width, processed.original.height, processed.content_type)


def _check_quota(workspace_id: int, adding: int, field: str) -> None:
    quota = settings.MEDIA_QUOTA_BYTES
    used = storage_used(workspace_id)
    if used + adding > quota:
        left = max(quota - used, 0)
        message = (f"Your media library is full: {filesizeformat(used)} of {filesizeformat(quota)} used, "
                   f"{filesizeformat(left)} left, and this needs {filesizeformat(adding)}. "
                   "Delete files you no longer need first.")
        raise QuotaExceeded("Not enough storage left.", errors={field: [message]}, limit=quota,
                            remaining=left)


def _store(asset: Asset, prepared: _Prepared, written: list[str]) -> None:
    folder = f"library/{asset.workspace_id}"
    for name, (content, extension) in prepared.files.items():
        path = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", content)
        written.append(path)
        getattr(asset, name).name = path


def _remove(paths: Iterable[str]) -> None:
    for path in paths:
        if path:
            with contextlib.suppress(OSError):  # a file already gone is what we wanted
                default_storage.delete(path)


def asset_upload_many(*, actor, workspace_id: int, uploads: list, kind: str | None = None, title: str = "",
                      credit: str = "", in_press_pack: bool = True, field: str = "file") -> list[Asset]:
    """Upload several files at once, all or nothing: one refused file refuses them all (its name in
    the message) and leaves neither rows nor stored files."""
    access_workspace(user=actor, workspace_id=workspace_id, capability=MEDIA_MANAGE)
    if not uploads:
        raise Invalid("No file.", errors={field: ["Choose at least one file to upload."]})
    prepared = [_prepare(upload, kind, field) for upload in uploads]
    written: list[str] = []
    try:
        with transaction.atomic():
            # One upload at a time per workspace, so two cannot both fit in the last megabytes.
            Workspace.objects.select_for_update().filter(pk=workspace_id).first()
            access_workspace(user=actor, workspace_id=workspace_id, capability=MEDIA_MANAGE)
            _check_quota(workspace_id, sum(p.stored_bytes for p in prepared), field)
            assets = []
            for item in prepared:
                asset = Asset(workspace_id=workspace_id, kind=item.kind, title=(title or "").strip()[:120],
                              credit=(credit or "").strip(), in_press_pack=in_press_pack,
                              content_type=item.content_type, width=item.width, height=item.height,
                              stored_bytes=item.stored_bytes, uploaded_by=actor)
                if not asset.title:
                    asset.title = item.checked.name.rsplit(".", 1)[0][:120]
                _store(asset, item, written)
                asset.full_clean(exclude=["workspace", "uploaded_by"])
                asset.save()
                audit.record(actor=actor, action="asset.uploaded", obj=asset,
                             after=audit.snapshot(asset, ASSET_FIELDS), workspace_id=workspace_id)
                assets.append(asset)
    except BaseException:
        _remove(written)
        raise
    return assets


def asset_upload(*, actor, workspace_id: int, upload, kind: str | None = None, title: str = "", credit: str = "",
                 in_press_pack: bool = True) -> Asset:
    """Check, re-encode and store one file in the workspace's library. ``kind`` may be left empty:
    a PDF is a document, a picture a photo. Raises ``Invalid`` (field ``file``), ``FileTooLarge`` or
    ``QuotaExceeded`` (both 413), ``NotFound``/``Forbidden``."""
    return asset_upload_many(actor=actor, workspace_id=workspace_id, uploads=[upload], kind=kind, title=title,
                             credit=credit, in_press_pack=in_press_pack)[0]


def asset_update(*, actor, asset_id: int, workspace_id: int | None = None, **changes) -> Asset:
    """Change ``title``, ``credit``, ``in_press_pack`` and, between picture kinds, ``kind``."""
    audit.check_known_fields(changes, ASSET_FIELDS)
    with transaction.atomic():
        asset = access_asset(user=actor, asset_id=asset_id, capability=MEDIA_MANAGE, workspace_id=workspace_id,
                             lock=True).asset
        kind = changes.get("kind")
        if kind is not None and kind != asset.kind and (asset.kind not in IMAGE_KINDS or kind not in IMAGE_KINDS):
            raise Invalid("This kind cannot be changed.", errors={"kind": [
                    "A picture may be a logo, a photo or a press photo; a document stays a document."]})
        return audit.apply_audited_changes(asset, actor=actor, action="asset.updated", fields=ASSET_FIELDS,
                                           changes=changes, workspace_id=asset.workspace_id,
                                           exclude=["workspace", "uploaded_by", "file", "web", "thumb"])


def asset_delete(*, actor, asset_id: int, workspace_id: int | None = None) -> None:
    """Delete the asset; its stored files go once the deletion is committed."""
    with transaction.atomic():
        asset = access_asset(user=actor, asset_id=asset_id, capability=MEDIA_MANAGE, workspace_id=workspace_id,
                             lock=True).asset
        paths = [asset.file.name, asset.web.name, asset.thumb.name]
        audit.record(actor=actor, action="asset.deleted", obj=asset, before=audit.snapshot(asset, ASSET_FIELDS),
                     workspace_id=asset.workspace_id)
        asset.delete()
        transaction.on_commit(lambda: _remove(paths))
