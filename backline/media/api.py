"""The media library: a workspace's logos, photos, press photos and documents."""

from __future__ import annotations

from typing import Literal

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from backline.accounts.permissions import MEDIA_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.api.problems import Problem

from . import selectors, services
from .models import Asset
from .permissions import access_asset

router = Router(tags=["media"])
UPLOAD_RESPONSES = {**ERROR_RESPONSES, 413: Problem}
KindName = Literal["logo", "photo", "press_photo", "document"]
ImageKindName = Literal["logo", "photo", "press_photo"]


def _url(field) -> str | None:
    return field.url if field else None


class AssetOut(Schema):
    id: int
    workspace_id: int
    kind: str = Field(description="logo, photo, press_photo or document")
    kind_label: str
    title: str
    credit: str
    content_type: str
    width: int | None = Field(description="of the stored original, in pixels (pictures only)")
    height: int | None
    stored_bytes: int = Field(description="original, web size and thumbnail together: what the quota counts")
    in_press_pack: bool
    url: str = Field(description="the stored original (pictures: re-encoded, metadata removed, at most 3000 px)")
    web_url: str | None = Field(description="1600 px on the long edge (pictures only)")
    thumb_url: str | None = Field(description="400 px on the long edge (pictures only)")
    created_at: str

    @staticmethod
    def resolve_kind_label(obj: Asset) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_url(obj: Asset) -> str:
        return obj.file.url

    @staticmethod
    def resolve_web_url(obj: Asset) -> str | None:
        return _url(obj.web)

    @staticmethod
    def resolve_thumb_url(obj: Asset) -> str | None:
        return _url(obj.thumb)

    @staticmethod
    def resolve_created_at(obj: Asset) -> str:
        return obj.created_at.isoformat()


class StorageOut(Schema):
    used_bytes: int
    quota_bytes: int
    left_bytes: int


class AssetListOut(Schema):
    items: list[AssetOut]
    storage: StorageOut


class AssetPatchIn(Schema):
    title: str | None = Field(None, max_length=120)
    credit: str | None = Field(None, max_length=160)
    kind: ImageKindName | None = Field(None, description="between picture kinds only")
    in_press_pack: bool | None = None


@router.get("/workspaces/{workspace_id}/media", response={200: AssetListOut, **ERROR_RESPONSES})
def media_list(request, workspace_id: int, kind: KindName | None = None):
    """The workspace's media library, newest first (one kind when ``kind`` is given), with the storage
    used and left."""
    access_workspace(user=request.auth, workspace_id=workspace_id, capability=MEDIA_VIEW)
    use = selectors.storage_use(workspace_id)
    return {"items": list(selectors.assets_for(workspace_id, kind)),
            "storage": {"used_bytes": use.used, "quota_bytes": use.quota, "left_bytes": use.left}}


@router.post("/workspaces/{workspace_id}/media", response={201: AssetOut, **UPLOAD_RESPONSES})
def media_upload(request, workspace_id: int, file: UploadedFile | None = File(None, description=(
        "JPEG, PNG, WebP or GIF picture, or PDF document; at most MEDIA_MAX_UPLOAD_BYTES (default 15 MB). "
        "The type is read from the content; SVG is refused.")),
                 kind: KindName | None = Form(None, description="empty: a picture is a photo, a PDF a document"),
                 title: str = Form("", max_length=120), credit: str = Form("", max_length=160),
                 in_press_pack: bool = Form(True)):
    """Upload one file (``multipart/form-data``). Pictures are re-encoded without EXIF or GPS in three
    sizes. 413 when the file or the workspace's storage quota is too large, 422 when it is not an
    accepted type; nothing is stored then."""
    assets = services.asset_upload_many(actor=request.auth, workspace_id=workspace_id, uploads=[file] if file else [],
                                        kind=kind, title=title, credit=credit, in_press_pack=in_press_pack)
    return 201, assets[0]


@router.get("/workspaces/{workspace_id}/media/{asset_id}", response={200: AssetOut, **ERROR_RESPONSES})
def media_detail(request, workspace_id: int, asset_id: int):
    return access_asset(user=request.auth, asset_id=asset_id, workspace_id=workspace_id).asset


@router.patch("/workspaces/{workspace_id}/media/{asset_id}", response={200: AssetOut, **ERROR_RESPONSES})
def media_update(request, workspace_id: int, asset_id: int, payload: AssetPatchIn):
    """Change the title, credit, press-pack choice, or the kind between logo, photo and press photo."""
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    return services.asset_update(actor=request.auth, asset_id=asset_id, workspace_id=workspace_id, **changes)


@router.delete("/workspaces/{workspace_id}/media/{asset_id}", response={204: None, **ERROR_RESPONSES})
def media_delete(request, workspace_id: int, asset_id: int):
    """Delete the file and its sizes from storage."""
    services.asset_delete(actor=request.auth, asset_id=asset_id, workspace_id=workspace_id)
    return 204, None


