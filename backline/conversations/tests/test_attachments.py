"""Attachments: allowed types pass by content, everything else (oversize, too many, a disallowed type,
a file whose content does not match its name) is refused with a 422 that changes nothing: no message,
no file left in storage. Files are served only to the thread's parties, as downloads."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backline.accounts.models import Role
from backline.conversations import services as threads
from backline.conversations.attachments import check_upload, clean_filename
from backline.conversations.models import Attachment, Message
from backline.core.errors import Invalid

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04" + b"\x00" * 16
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Backline//EN\r\nEND:VCALENDAR\r\n"


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        if kind in ("docx", "xlsx", "pptx"):
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr({"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}[kind], "<x/>")
        else:
            mime = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}[kind]
            z.writestr("mimetype", f"application/vnd.oasis.opendocument.{mime}")
            z.writestr("content.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize("name, data, content_type", [
    ("rider.pdf", PDF, "application/pdf"),
    ("stage.png", PNG, "image/png"),
    ("band.JPG", JPEG, "image/jpeg"),
    ("band.jpeg", JPEG, "image/jpeg"),
    ("loop.gif", GIF, "image/gif"),
    ("poster.webp", WEBP, "image/webp"),
    ("setlist.txt", "Setlist: Intro, Ångström, Encore\n".encode(), "text/plain"),
    ("guests.csv", b"name,plus\nAna,1\n", "text/csv"),
    ("show.ics", ICS, "text/calendar"),
    ("contract.docx", office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("budget.xlsx", office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("deck.pptx", office("pptx"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("rider.odt", office("odt"), "application/vnd.oasis.opendocument.text"),
    ("budget.ods", office("ods"), "application/vnd.oasis.opendocument.spreadsheet"),
])
def test_allowed_types_pass_by_their_content(name, data, content_type):
    assert check_upload(upload(name, data)) == (content_type, len(data))


@pytest.mark.parametrize("name, data, reason", [
    ("rider.pdf", b"<html><script>alert(1)</script></html>", "its content is not what its name says"),
    ("photo.jpg", PNG, "its content is a PNG file, but its name says .jpg"),
    ("photo.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "but its name says .png"),
    ("contract.docx", b"PK\x03\x04 not really a zip", "not a .docx document"),
    ("contract.docx", office("odt"), "not a .docx document"),
    ("rider.odt", office("docx"), "not a .odt document"),
    ("notes.txt", PNG, "not a text file"),
    ("notes.txt", "Grüße".encode("latin-1"), "must be UTF-8"),
    ("show.ics", b"SUMMARY:No calendar here\r\n", "must begin with BEGIN:VCALENDAR"),
    ("page.html", b"<html></html>", "this type of file is not allowed"),
    ("logo.svg", b"<svg onload='alert(1)'/>", "this type of file is not allowed"),
    ("setup.exe", b"MZ\x90\x00", "this type of file is not allowed"),
    ("noextension", PDF, "this type of file is not allowed"),
    ("empty.pdf", b"", "the file is empty"),
])
def test_disallowed_and_disguised_files_are_refused(name, data, reason):
    with pytest.raises(Invalid) as refused:
        check_upload(upload(name, data))
    assert reason in refused.value.errors["files"][0]
    assert refused.value.status == 422


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MESSAGE_ATTACHMENT_MAX_BYTES = 1024
    assert check_upload(upload("ok.txt", b"a" * 1024))[1] == 1024
    with pytest.raises(Invalid) as refused:
        check_upload(upload("big.txt", b"a" * 1025))
    assert "files may be at most 1 KB" in refused.value.errors["files"][0]


def test_names_lose_paths_and_control_characters():
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("C:\\Users\\me\\rider.pdf") == "rider.pdf"
    assert clean_filename("ri\x00der\n.pdf") == "rider.pdf"
    assert clean_filename("a" * 300 + ".pdf").endswith(".pdf") and len(clean_filename("a" * 300 + ".pdf")) == 200


@pytest.fixture
def chat(world):
    return threads.direct_thread_start(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk,
                                       to_workspace_ids=[world["act_ws"].pk], subject="Rider", body="Hello")


def test_files_are_stored_with_the_message(world, chat, media):
    message = threads.message_post(actor=world["band"][Role.MEMBER], thread_id=chat.pk, body="Our rider and plot",
                                   files=[upload("rider.pdf", PDF), upload("stage plot.png", PNG)])
    files = list(message.attachments.order_by("id"))
    assert [(a.filename, a.content_type, a.size) for a in files] == [("rider.pdf", "application/pdf", len(PDF)),
                                                                      ("stage plot.png", "image/png", len(PNG))]
    assert all(a.file.name.startswith("messaging/attachments/") for a in files)
    assert len(stored_files(media)) == 2
    only_files = threads.message_post(actor=world["band"][Role.MEMBER], thread_id=chat.pk, body="",
                                      files=[upload("setlist.txt", b"Intro\n")])
    assert only_files.body == "" and only_files.attachments.count() == 1


@pytest.mark.parametrize("files", [
    [upload("rider.pdf", PDF), upload("evil.pdf", b"<script>")],  # one bad file refuses them all
    [upload(f"f{i}.txt", b"x") for i in range(6)],  # too many
    [upload("big.pdf", PDF + b"0" * 2048)],  # too big (limit lowered below)
])
def test_a_refused_upload_leaves_no_message_and_no_file(world, chat, media, settings, files):
    settings.MESSAGE_ATTACHMENT_MAX_BYTES = 2048
    before = Message.objects.count()
    with pytest.raises(Invalid) as refused:
        threads.message_post(actor=world["band"][Role.MEMBER], thread_id=chat.pk, body="Files", files=files)
    assert "files" in refused.value.errors
    assert Message.objects.count() == before and not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_failure_after_storing_removes_the_stored_files(world, chat, media, monkeypatch):
    from backline.conversations import services

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.message_post(actor=world["band"][Role.MEMBER], thread_id=chat.pk, body="x",
                              files=[upload("rider.pdf", PDF)])
    assert stored_files(media) == [] and not Attachment.objects.exists()


def test_downloads_are_for_the_parties_only_and_never_inline(world, chat, login_client, outsider, bearer):
    message = threads.message_post(actor=world["band"][Role.MEMBER], thread_id=chat.pk, body="Rider",
                                   files=[upload("rider.pdf", PDF)])
    attachment = message.attachments.get()
    web = f"/w/{world['venue_ws'].slug}/inbox/{chat.pk}/attachments/{attachment.pk}/"
    response = login_client(world["buyer"][Role.VIEWER]).get(web)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="rider.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    api = f"/api/v1/threads/{chat.pk}/attachments/{attachment.pk}"
    assert login_client(outsider).get(web).status_code == 404
    assert login_client(outsider).get(f"/w/{world['venue_ws'].slug}/inbox/{chat.pk}/attachments/{attachment.pk}/")\
        .status_code == 404
    assert login_client(world["buyer"][Role.OWNER]).get(api, **bearer(world["buyer"][Role.OWNER])).status_code == 200
    assert login_client(outsider).get(api, **bearer(outsider)).status_code == 404
    # another thread's id with this file: 404
    other = threads.direct_thread_start(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk,
                                        to_workspace_ids=[world["act_ws"].pk], subject="Other", body="Hi")
    assert login_client(world["buyer"][Role.OWNER]).get(
        f"/w/{world['venue_ws'].slug}/inbox/{other.pk}/attachments/{attachment.pk}/").status_code == 404


def test_a_file_storage_no_longer_holds_is_a_404_not_a_server_error(world, chat, login_client, bearer):
    message = threads.message_post(actor=world["band"][Role.MEMBER], thread_id=chat.pk, body="Rider",
                                   files=[upload("rider.pdf", PDF)])
    attachment = message.attachments.get()
    attachment.file.storage.delete(attachment.file.name)
    owner = world["buyer"][Role.OWNER]
    response = login_client(owner).get(f"/api/v1/threads/{chat.pk}/attachments/{attachment.pk}", **bearer(owner))
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    page = login_client(owner).get(f"/w/{world['venue_ws'].slug}/inbox/{chat.pk}/attachments/{attachment.pk}/")
    assert page.status_code == 404


def test_an_upload_refused_over_the_api_and_the_web_is_422_and_changes_nothing(world, chat, bearer, login_client, media):
    member = world["band"][Role.MEMBER]
    before = Message.objects.count()
    response = login_client(member).post(f"/api/v1/threads/{chat.pk}/messages/upload",
                                         {"body": "Look", "files": [upload("photo.jpg", PNG)]}, **bearer(member))
    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["errors"][0]["field"] == "files" and "photo.jpg" in problem["errors"][0]["message"]
    page = login_client(member).post(f"/w/{world['act_ws'].slug}/inbox/{chat.pk}/post/",
                                     {"body": "Look", "files": [upload("photo.jpg", PNG)]})
    assert page.status_code == 422 and "photo.jpg" in page.content.decode()
    assert Message.objects.count() == before and stored_files(media) == []
    ok = login_client(member).post(f"/api/v1/threads/{chat.pk}/messages/upload",
                                   {"body": "Stage plot", "files": [upload("plot.png", PNG), upload("rider.pdf", PDF)]},
                                   **bearer(member))
    assert ok.status_code == 201, ok.content
    assert [a["filename"] for a in ok.json()["attachments"]] == ["plot.png", "rider.pdf"]


def test_the_development_media_route_never_serves_attachments(world, chat, login_client, media):
    message = threads.message_post(actor=world["band"][Role.MEMBER], thread_id=chat.pk, body="Rider",
                                   files=[upload("rider.pdf", PDF)])
    stored = message.attachments.get().file.name
    assert (media / stored).is_file()
    for client in (Client(), login_client(world["buyer"][Role.OWNER])):  # not even a party: only the checked download
        for path in (stored, f"./{stored}", f"/{stored}", f"avatars/../{stored}"):
            assert client.get(f"/media/{path}").status_code == 404, path
    (media / "avatars").mkdir(parents=True, exist_ok=True)
    (media / "avatars" / "me.png").write_bytes(PNG)
    assert login_client(world["buyer"][Role.OWNER]).get("/media/avatars/me.png").status_code == 200
