"""A workspace's media library: logos, photos, press photos with credits, documents. Images are
re-encoded on upload (EXIF and GPS gone) into a web size and a thumbnail; every file goes through
Django's default storage (local disk, or S3 by configuration)."""

import uuid

from django.conf import settings
from django.db import models

from backline.accounts.models import Workspace
from backline.core.models import TimeStamped


class AssetKind(models.TextChoices):
    LOGO = "logo", "Logo"
    PHOTO = "photo", "Photo"
    PRESS_PHOTO = "press_photo", "Press photo"
    DOCUMENT = "document", "Document"


def _asset_path(instance: "Asset", filename: str) -> str:
    # Never the uploader's file name: an unguessable name in the workspace's folder.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{instance.workspace_id}/{uuid.uuid4().hex}.{ext}"


class Asset(TimeStamped):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=16, choices=AssetKind.choices)
    title = models.CharField(max_length=120, blank=True)
    credit = models.CharField(max_length=160, blank=True, help_text="Photographer or designer, shown with the image")
    # The stored original (for images: re-encoded without metadata), a web size and a thumbnail.
    file = models.FileField(upload_to=_asset_path, max_length=200)
    web = models.FileField(upload_to=_asset_path, max_length=200, blank=True)
    thumb = models.FileField(upload_to=_asset_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=80)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Bytes of all stored files of this asset (original + web + thumbnail): what the quota counts.
    stored_bytes = models.PositiveBigIntegerField(default=0)
    in_press_pack = models.BooleanField(default=True, help_text="Offered in the press pack download")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "kind"])]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_image(self) -> bool:
        return self.kind != AssetKind.DOCUMENT
