import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backline.core.models import AuditEntry


def _png(size=(32, 32)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, "orange").save(buf, "PNG")
    return SimpleUploadedFile("me.png", buf.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_upload_a_picture_sets_the_avatar_and_audits_it(client, user, bearer):
    response = client.post("/api/v1/me/avatar", {"avatar": _png()}, **bearer(user))
    assert response.status_code == 200
    assert response.json()["avatar_url"].startswith("/media/avatars/")
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")
    assert AuditEntry.objects.filter(action="user.profile_updated", object_id=str(user.pk)).exists()


def test_a_file_that_is_not_a_picture_is_refused_and_changes_nothing(client, user, bearer):
    fake = SimpleUploadedFile("me.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = client.post("/api/v1/me/avatar", {"avatar": fake}, **bearer(user))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "avatar", "message": "Upload a JPEG, PNG or WebP picture."}]
    user.refresh_from_db()
    assert not user.avatar


def test_a_picture_over_the_size_limit_is_refused(client, user, bearer, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = client.post("/api/v1/me/avatar", {"avatar": _png((200, 200))}, **bearer(user))
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "The picture is larger than 100\xa0bytes."


def test_delete_removes_the_avatar(client, user, bearer):
    headers = bearer(user)
    client.post("/api/v1/me/avatar", {"avatar": _png()}, **headers)
    response = client.delete("/api/v1/me/avatar", **headers)
    assert response.status_code == 200
    assert response.json()["avatar_url"] is None
