"""Upload refusals (type by content, size, bombs, SVG, PDF), EXIF and GPS stripping, the stored sizes,
the quota, and that a refused upload leaves nothing behind."""

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from backline.core.errors import Forbidden, Invalid, NotFound
from backline.media import selectors, services
from backline.media.images import FileTooLarge
from backline.media.models import Asset, AssetKind
from backline.media.services import QuotaExceeded

from .conftest import MINIMAL_PDF, picture


def _files_of(workspace):
    folder = f"library/{workspace.pk}"
    if not default_storage.exists(folder):
        return []
    return default_storage.listdir(folder)[1]


def _gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel 12"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show upright
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    return exif


def test_exif_and_gps_are_stripped_and_orientation_applied(team):
    ws, people = team
    upload = picture(size=(1200, 800), exif=_gps_exif())
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)  # the input does carry GPS
    upload.seek(0)
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=upload, kind="press_photo",
                                  credit="Photo: Mara Stein")
    for field in (asset.file, asset.web, asset.thumb):
        with default_storage.open(field.name) as handle:
            stored = Image.open(handle)
            stored.load()
        assert not stored.getexif(), "no EXIF at all"
        assert "exif" not in stored.info and "icc_profile" not in stored.info
    # Orientation 6 turned the 1200×800 landscape into an upright 800×1200 portrait.
    assert (asset.width, asset.height) == (800, 1200)
    assert asset.credit == "Photo: Mara Stein" and asset.kind == AssetKind.PRESS_PHOTO


def test_three_sizes_are_stored(team):
    ws, people = team
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=picture(size=(4000, 2000)))
    sizes = {}
    for name in ("file", "web", "thumb"):
        with default_storage.open(getattr(asset, name).name) as handle:
            sizes[name] = Image.open(handle).size
    assert sizes == {"file": (3000, 1500), "web": (1600, 800), "thumb": (400, 200)}
    assert asset.stored_bytes == sum(default_storage.size(getattr(asset, n).name) for n in ("file", "web", "thumb"))
    assert asset.kind == AssetKind.PHOTO and asset.content_type == "image/jpeg"


def test_transparent_logo_stays_png(team):
    ws, people = team
    logo = picture("logo.png", size=(600, 300), fmt="PNG", color=(0, 0, 0, 0), mode="RGBA")
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=logo, kind="logo")
    assert asset.content_type == "image/png" and asset.file.name.endswith(".png")


def _refused(team, upload, field_words, *, error=Invalid, kind=None):
    ws, people = team
    with pytest.raises(error) as caught:
        services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=upload, kind=kind)
    message = " ".join(caught.value.errors["file"])
    assert field_words in message, message
    assert not Asset.objects.filter(workspace=ws).exists()
    assert _files_of(ws) == []
    return caught.value


def test_text_renamed_jpg_is_refused(team):
    upload = SimpleUploadedFile("holiday.jpg", b"I am not a picture at all\n" * 20, content_type="image/jpeg")
    _refused(team, upload, "whatever its name says")


def test_svg_with_script_is_refused_with_a_way_out(team):
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
           b'<rect width="10" height="10"/></svg>')
    _refused(team, SimpleUploadedFile("logo.png", svg, content_type="image/png"), "Upload it as a PNG picture or a PDF")


@override_settings(MEDIA_MAX_IMAGE_PIXELS=1_000_000)
def test_decompression_bomb_is_refused(team):
    # 4000×4000 of one colour compresses to a few kB but would unpack to 48 MB of pixels.
    upload = picture("tiny.png", size=(4000, 4000), fmt="PNG", color=(0, 0, 0))
    assert upload.size < 100_000
    _refused(team, upload, "too large in pixels")


def test_pillow_bomb_warning_is_an_error_too(team, settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 10**12  # our own limit out of the way: Pillow's warning still refuses
    old = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 1_000_000
    try:
        _refused(team, picture("wide.png", size=(1500, 1000), fmt="PNG"), "too large in pixels")
    finally:
        Image.MAX_IMAGE_PIXELS = old


def test_fifty_megabyte_upload_is_refused_before_reading(team, tmp_path):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("huge.jpg", "image/jpeg", 0, None)
    upload.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, no memory or disk used
    upload.size = os.fstat(upload.fileno()).st_size
    exc = _refused(team, upload, "files may be at most 15", error=FileTooLarge)
    assert exc.status == 413
    upload.close()


def test_pdf_is_a_document_and_a_fake_pdf_is_refused(team):
    ws, people = team
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk,
                                  upload=SimpleUploadedFile("plot.bin", MINIMAL_PDF, content_type="text/plain"))
    assert asset.kind == AssetKind.DOCUMENT and asset.content_type == "application/pdf" and not asset.thumb
    with default_storage.open(asset.file.name) as handle:
        assert handle.read() == MINIMAL_PDF
    Asset.objects.all().delete()
    default_storage.delete(asset.file.name)
    _refused(team, SimpleUploadedFile("rider.pdf", b"%PDF-1.4\nthen nothing", content_type="application/pdf"),
             "broken or cut short")
    scripted = MINIMAL_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    _refused(team, SimpleUploadedFile("rider.pdf", scripted), "embedded script")


def test_picture_as_document_is_refused(team):
    _refused(team, picture(), "choose Logo, Photo or Press photo", kind="document")


def test_quota_refusal_changes_nothing(team, settings):
    ws, people = team
    services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=picture(size=(300, 200)))
    used = selectors.storage_used(ws.pk)
    files_before = sorted(_files_of(ws))
    settings.MEDIA_QUOTA_BYTES = used + 100
    with pytest.raises(QuotaExceeded) as caught:
        services.asset_upload_many(actor=people["owner"], workspace_id=ws.pk,
                                   uploads=[picture("a.jpg", size=(900, 600)), picture("b.jpg", size=(900, 600))])
    message = caught.value.errors["file"][0].replace("\xa0", " ")
    assert "full" in message and "100 bytes left" in message and caught.value.status == 413
    assert Asset.objects.filter(workspace=ws).count() == 1
    assert sorted(_files_of(ws)) == files_before


def test_one_bad_file_refuses_the_whole_batch(team):
    ws, people = team
    bad = SimpleUploadedFile("notes.jpg", b"plain words", content_type="image/jpeg")
    with pytest.raises(Invalid) as caught:
        services.asset_upload_many(actor=people["owner"], workspace_id=ws.pk, uploads=[picture(), bad])
    assert "notes.jpg" in caught.value.errors["file"][0]
    assert not Asset.objects.filter(workspace=ws).exists() and _files_of(ws) == []


def test_update_and_delete(team, django_capture_on_commit_callbacks):
    ws, people = team
    asset = services.asset_upload(actor=people["member"], workspace_id=ws.pk, upload=picture())
    services.asset_update(actor=people["member"], asset_id=asset.pk, kind="press_photo", credit="Photo: Ada",
                          in_press_pack=False, title="Live at Lantern Hall")
    asset.refresh_from_db()
    assert (asset.kind, asset.credit, asset.in_press_pack) == ("press_photo", "Photo: Ada", False)
    with pytest.raises(Invalid):
        services.asset_update(actor=people["owner"], asset_id=asset.pk, kind="document")
    paths = [asset.file.name, asset.web.name, asset.thumb.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_delete(actor=people["owner"], asset_id=asset.pk)
    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert not any(default_storage.exists(p) for p in paths)


@pytest.mark.parametrize("role,allowed", [("owner", True), ("admin", True), ("coordinator", True),
                                          ("member", True), ("viewer", False)])
def test_who_may_upload_edit_delete(team, role, allowed):
    ws, people = team
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=picture())
    actor = people[role]
    calls = [lambda: services.asset_upload(actor=actor, workspace_id=ws.pk, upload=picture()),
             lambda: services.asset_update(actor=actor, asset_id=asset.pk, credit="Photo: me"),
             lambda: services.asset_delete(actor=actor, asset_id=asset.pk)]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(Forbidden):
                call()


def test_another_workspace_asset_is_not_found(team, make_team):
    ws, people = team
    other, others = make_team("venue", "Lantern Hall")
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=picture())
    with pytest.raises(NotFound):
        services.asset_update(actor=others["owner"], asset_id=asset.pk, credit="mine now")
    with pytest.raises(NotFound):
        services.asset_delete(actor=others["owner"], asset_id=asset.pk, workspace_id=other.pk)
    with pytest.raises(NotFound):
        services.asset_upload(actor=others["owner"], workspace_id=ws.pk, upload=picture())
