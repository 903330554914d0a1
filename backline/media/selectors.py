"""Reads of the media library. Callers have already checked access (``access_workspace`` with
``media.view``, or the owner's choice to publish, as the press kit's public page does)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils.text import slugify

from .models import Asset, AssetKind

PRESS_PACK_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def assets_for(workspace_id: int, kind: str | None = None) -> QuerySet[Asset]:
    """A workspace's assets, newest first; only one ``kind`` when given (one query, no joins)."""
    qs = Asset.objects.filter(workspace_id=workspace_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def assets_to_pick(workspace_id: int, kinds, *, limit: int) -> list[Asset]:
    """The newest ``limit`` assets of ``kinds``, with what a picker card shows (one query)."""
    return list(assets_for(workspace_id).filter(kind__in=list(kinds))
                .only("id", "workspace_id", "kind", "title", "credit", "file", "thumb", "stored_bytes", "width", "height")
                [:limit])


def press_pack_assets(workspace_id: int) -> QuerySet[Asset]:
    return assets_for(workspace_id).filter(in_press_pack=True)


def storage_used(workspace_id: int) -> int:
    """Bytes the workspace's files take in storage (originals, web sizes and thumbnails)."""
    return Asset.objects.filter(workspace_id=workspace_id).aggregate(total=Sum("stored_bytes"))["total"] or 0


@dataclass(frozen=True)
class StorageUse:
    used: int
    quota: int

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.quota)) if self.quota else 100


def storage_use(workspace_id: int) -> StorageUse:
    return StorageUse(used=storage_used(workspace_id), quota=settings.MEDIA_QUOTA_BYTES)


def _zip_name(asset: Asset, taken: set[str]) -> str:
    base = slugify(asset.title) or asset.get_kind_display().lower().replace(" ", "-")
    ext = PRESS_PACK_EXTENSIONS.get(asset.content_type) or asset.file.name.rsplit(".", 1)[-1]
    folder = {AssetKind.LOGO: "logos", AssetKind.DOCUMENT: "documents"}.get(asset.kind, "photos")
    name, n = f"{folder}/{base}.{ext}", 2
    while name in taken:
        name, n = f"{folder}/{base}-{n}.{ext}", n + 1
    taken.add(name)
    return name


def press_pack_zip(workspace_id: int, *, title: str = "Press pack", texts: dict[str, str] | None = None) -> bytes:
    """A zip of the assets marked for the press pack (the stored originals: metadata already gone) with
    a ``credits.txt`` naming each file's title, kind and credit, and any ``texts`` (name → text, such as a
    bio). One query, then one read per file."""
    taken: set[str] = set()
    lines = [title, "=" * len(title), ""]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for asset in press_pack_assets(workspace_id).order_by("kind", "id"):
            name = _zip_name(asset, taken)
            with asset.file.open("rb") as handle:
                archive.writestr(name, handle.read())
            credit = f" — {asset.credit}" if asset.credit else ""
            lines.append(f"{name}: {asset.title or asset.get_kind_display()} ({asset.get_kind_display()}){credit}")
        if len(lines) == 3:
            lines.append("No files are in the press pack yet.")
        archive.writestr("credits.txt", "\n".join(lines) + "\n")
        for name, text in (texts or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def press_pack_filename(name: str) -> str:
    return f"{slugify(name) or 'press'}-press-pack.zip"
