"""Makers of media-library objects for the matrix worlds. ``asset_id``: a small photo uploaded to the
world's workspace by its owner (a new one on each call)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

MAKERS: dict = {}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}


def _asset(world):
    from PIL import Image

    from backline.media.services import asset_upload

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (90, 30, 120)).save(buffer, "JPEG")
    upload = SimpleUploadedFile("matrix.jpg", buffer.getvalue(), content_type="image/jpeg")
    return asset_upload(actor=world.owner, workspace_id=world.workspace.pk, upload=upload, credit="Photo: Matrix").pk


MAKERS["asset_id"] = _asset
