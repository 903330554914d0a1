"""The media library page and API: listing with constant queries, uploads and refusals shown on the form,
problem+json errors (413/422), and the press-pack zip."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from backline.media import selectors, services
from backline.media.models import Asset

from .conftest import MINIMAL_PDF, picture


def _fill(ws, owner, n):
    for i in range(n):
        services.asset_upload(actor=owner, workspace_id=ws.pk, upload=picture(f"p{i}.jpg", size=(120, 80)),
                              credit=f"Photo: Person {i}")


@pytest.mark.parametrize("kind", ["act", "venue", "promoter", "agency"])
def test_page_for_every_workspace_kind(make_team, login_client, kind):
    ws, people = make_team(kind, f"Media {kind}")
    _fill(ws, people["owner"], 1)
    page = login_client(people["viewer"]).get(f"/w/{ws.slug}/media/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="asset-card"' in html and "Photo: Person 0" in html
    assert 'data-testid="upload-form"' not in html  # viewers only look
    assert "Media library" in html  # in the navigation
    owner_page = login_client(people["owner"]).get(f"/w/{ws.slug}/media/").content.decode()
    assert 'data-testid="upload-form"' in owner_page and "of 200.0" in owner_page.replace("\xa0", " ")


def test_page_queries_are_constant(team, login_client, django_assert_max_num_queries):
    ws, people = team
    client = login_client(people["owner"])
    _fill(ws, people["owner"], 1)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/w/{ws.slug}/media/")
    _fill(ws, people["owner"], 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/w/{ws.slug}/media/")
    assert response.content.decode().count('data-testid="asset-card"') == 7


def test_upload_form_and_refusal_on_the_page(team, login_client):
    ws, people = team
    client = login_client(people["member"])
    ok = client.post(f"/w/{ws.slug}/media/upload/", {
        "files": [picture("one.jpg"), picture("two.png", fmt="PNG")], "kind": "press_photo",
        "credit": "Photo: Mara Stein", "in_press_pack": "on"})
    assert ok.status_code == 302
    assert set(Asset.objects.filter(workspace=ws).values_list("kind", "credit")) == {
        ("press_photo", "Photo: Mara Stein")}
    assert Asset.objects.filter(workspace=ws).count() == 2
    bad = client.post(f"/w/{ws.slug}/media/upload/", {"files": [SimpleUploadedFile("x.jpg", b"not a picture")]})
    assert bad.status_code == 200
    assert "x.jpg is not a JPEG, PNG, WebP or GIF picture" in bad.content.decode()
    assert Asset.objects.filter(workspace=ws).count() == 2


def test_edit_and_delete_on_the_page(team, login_client):
    ws, people = team
    client = login_client(people["coordinator"])
    asset = services.asset_upload(actor=people["owner"], workspace_id=ws.pk, upload=picture())
    client.post(f"/w/{ws.slug}/media/{asset.pk}/", {"title": "Owls live", "credit": "Photo: Jo", "kind": "logo"})
    asset.refresh_from_db()
    assert (asset.title, asset.credit, asset.kind, asset.in_press_pack) == ("Owls live", "Photo: Jo", "logo", False)
    confirm = client.get(f"/w/{ws.slug}/media/{asset.pk}/delete/")
    assert "This cannot be undone" in confirm.content.decode()
    assert Asset.objects.filter(pk=asset.pk).exists()
    client.post(f"/w/{ws.slug}/media/{asset.pk}/delete/")
    assert not Asset.objects.filter(pk=asset.pk).exists()


def test_api_list_upload_patch_delete(team, client, bearer, django_assert_max_num_queries):
    ws, people = team
    headers = bearer(people["owner"])
    created = client.post(f"/api/v1/workspaces/{ws.pk}/media", {"file": picture(size=(2000, 1000)),
                          "kind": "press_photo", "credit": "Photo: Mara Stein"}, **headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["width"], body["height"], body["credit"], body["kind_label"]) == (2000, 1000, "Photo: Mara Stein",
                                                                                    "Press photo")
    assert body["url"] and body["web_url"] and body["thumb_url"]
    _fill(ws, people["owner"], 1)
    with django_assert_max_num_queries(6) as few:
        client.get(f"/api/v1/workspaces/{ws.pk}/media", **headers)
    _fill(ws, people["owner"], 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        listed = client.get(f"/api/v1/workspaces/{ws.pk}/media?kind=photo", **headers).json()
    assert len(listed["items"]) == 6 and listed["storage"]["used_bytes"] == selectors.storage_used(ws.pk)
    url = f"/api/v1/workspaces/{ws.pk}/media/{body['id']}"
    patched = client.patch(url, {"in_press_pack": False, "kind": "logo"}, content_type="application/json", **headers)
    assert patched.json()["in_press_pack"] is False and patched.json()["kind"] == "logo"
    refused = client.patch(url, {"kind": "document"}, content_type="application/json", **headers)
    assert refused.status_code == 422
    assert client.delete(url, **headers).status_code == 204
    assert client.get(url, **headers).status_code == 404


def test_api_refusals_are_problems(team, client, bearer, settings):
    ws, people = team
    headers = bearer(people["owner"])
    url = f"/api/v1/workspaces/{ws.pk}/media"
    fake = client.post(url, {"file": SimpleUploadedFile("cat.jpg", b"meow" * 100)}, **headers)
    assert fake.status_code == 422 and fake["Content-Type"].startswith("application/problem+json")
    assert fake.json()["errors"][0]["field"] == "file"
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    big = client.post(url, {"file": picture(size=(800, 800))}, **headers)
    assert big.status_code == 413 and big.json()["code"] == "file_too_large" and big.json()["limit"] == 1000
    settings.MEDIA_MAX_UPLOAD_BYTES = 15 * 1024 * 1024
    settings.MEDIA_QUOTA_BYTES = 10
    full = client.post(url, {"file": picture()}, **headers)
    assert full.status_code == 413 and full.json()["code"] == "storage_quota_exceeded"
    assert "10 bytes left" in full.json()["errors"][0]["message"].replace("\xa0", " ")
    assert not Asset.objects.filter(workspace=ws).exists()
    missing = client.post(url, {}, **headers)
    assert missing.status_code == 422


def test_press_pack_zip_holds_originals_and_credits(team):
    ws, people = team
    owner = people["owner"]
    a = services.asset_upload(actor=owner, workspace_id=ws.pk, upload=picture("live.jpg"), kind="press_photo",
                              title="Live at Lantern Hall", credit="Photo: Mara Stein")
    services.asset_upload(actor=owner, workspace_id=ws.pk, upload=picture("logo.png", fmt="PNG"), kind="logo",
                          title="Logo")
    services.asset_upload(actor=owner, workspace_id=ws.pk, upload=SimpleUploadedFile("plot.pdf", MINIMAL_PDF),
                          title="Stage plot")
    services.asset_upload(actor=owner, workspace_id=ws.pk, upload=picture("private.jpg"), title="Backstage",
                          in_press_pack=False)
    archive = zipfile.ZipFile(io.BytesIO(selectors.press_pack_zip(ws.pk, title="The Velvet Owls press pack")))
    names = set(archive.namelist())
    assert names == {"photos/live-at-lantern-hall.jpg", "logos/logo.jpg", "documents/stage-plot.pdf", "credits.txt"}
    with a.file.open("rb") as handle:
        assert archive.read("photos/live-at-lantern-hall.jpg") == handle.read()
    credits = archive.read("credits.txt").decode()
    assert "photos/live-at-lantern-hall.jpg: Live at Lantern Hall (Press photo) — Photo: Mara Stein" in credits
    assert "Backstage" not in credits
    assert selectors.press_pack_filename("The Velvet Owls") == "the-velvet-owls-press-pack.zip"


@override_settings(MEDIA_QUOTA_BYTES=200 * 1024 * 1024)
def test_storage_use_words(team):
    ws, people = team
    use = selectors.storage_use(ws.pk)
    assert (use.used, use.left, use.percent) == (0, 200 * 1024 * 1024, 0)
