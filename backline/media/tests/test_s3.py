"""The library on S3: moto's server mode speaks the S3 protocol on a local port; the default storage is
pointed at it (django-storages' S3Storage), a photo goes through ``asset_upload`` and is read back with
boto3, without its EXIF."""

import io
import socket

import pytest
from PIL import Image

from backline.media import selectors, services

from .conftest import picture

moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")
boto3 = pytest.importorskip("boto3")

BUCKET = "backline-media-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch):
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "eu-central-1"}.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-central-1")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "eu-central-1",
                    "access_key": "testing", "secret_key": "testing", "default_acl": None, "querystring_auth": True},
    }}
    yield client
    server.stop()


def test_upload_to_s3_and_read_back_without_exif(team, s3, django_capture_on_commit_callbacks):
    ws, people = team
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (52.0, 31.0, 12.0)
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk, kind="press_photo",
                                  upload=picture(size=(2000, 1000), exif=exif), credit="Photo: Mara Stein")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {asset.file.name, asset.web.name, asset.thumb.name}
    body = s3.get_object(Bucket=BUCKET, Key=asset.web.name)["Body"].read()
    stored = Image.open(io.BytesIO(body))
    assert stored.size == (1600, 800) and not stored.getexif()
    assert asset.thumb.url.startswith("http://127.0.0.1:")  # a signed URL on the storage, not our /media/
    assert "credits.txt" in selectors.press_pack_zip(ws.pk).decode("latin-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_delete(actor=people["owner"], asset_id=asset.pk)
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)
