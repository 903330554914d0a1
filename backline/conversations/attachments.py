"""Files on messages: what may be attached, checked by content rather than by name, and how they are
stored and served.

Allowed: PDF, PNG, JPEG, GIF, WebP, plain text, CSV, iCalendar (.ics) and Office documents (Word,
Excel, PowerPoint, OpenDocument text, spreadsheet and presentation). Binary files are identified by
their magic bytes (the ``filetype`` package), Office documents by opening them as the ZIP packages
they are, text by decoding it as UTF-8; the name's extension must agree with what the content is. Every
refusal is an ``Invalid`` (422) naming the file, raised before anything is written.

Files are stored through Django's default storage (local disk or S3) under an unguessable path and
are only ever served by the access-checked download views, as attachments, never inline."""

from __future__ import annotations

import os
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

from backline.core.downloads import download_response as core_download
from backline.core.errors import Invalid

FIELD = "files"

# extension → the content type stored and served
BINARY_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
TEXT_TYPES = {
    "txt": "text/plain",
    "csv": "text/csv",
    "ics": "text/calendar",
}
OOXML = "application/vnd.openxmlformats-officedocument"
OFFICE_TYPES = {
    "docx": f"{OOXML}.wordprocessingml.document",
    "xlsx": f"{OOXML}.spreadsheetml.sheet",
    "pptx": f"{OOXML}.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
ALLOWED_EXTENSIONS = (*BINARY_TYPES, *TEXT_TYPES, *OFFICE_TYPES)
ACCEPT = ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)  # for <input type=file accept=...>
NAMES = "PDF, PNG, JPEG, GIF, WebP, text, CSV, iCalendar (.ics) and Office documents (docx, xlsx, pptx, odt, ods, odp)"
ZIP_MAGIC = b"PK\x03\x04"
MAX_NAME = 200


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    filename: str
    content_type: str
    size: int


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}".replace(".0 ", " ")
        size /= 1024
    return str(size)  # pragma: no cover


def clean_filename(name: str) -> str:
    """The name as shown and offered for download: no path, no control characters, at most 200 long
    (the extension kept)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name or "file"


def _refuse(filename: str, reason: str):
    raise Invalid(f"“{filename}” cannot be attached: {reason}", errors={FIELD: [f"{filename}: {reason}"]})


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _head(upload, n: int = 8192) -> bytes:
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _check_office(upload, filename: str, ext: str) -> None:
    if _head(upload, 4) != ZIP_MAGIC:
        _refuse(filename, f"it is not a .{ext} document (its content does not match its name).")
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if ext in ("docx", "xlsx", "pptx"):
                ok = "[Content_Types].xml" in names and any(n.startswith(("word/", "xl/", "ppt/")) for n in names)
                expected = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}[ext]
                ok = ok and any(n.startswith(expected) for n in names)
            else:
                ok = "mimetype" in names and package.read("mimetype").decode("ascii", "replace").strip() == OFFICE_TYPES[ext]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RuntimeError):
        ok = False
    finally:
        upload.seek(0)
    if not ok:
        _refuse(filename, f"it is not a .{ext} document (its content does not match its name).")


def _check_text(upload, filename: str, ext: str) -> None:
    data = _read_all(upload)
    if filetype.guess(data[:8192]) is not None or b"\x00" in data:
        _refuse(filename, f"it is not a text file, so it cannot be a .{ext}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(filename, "text files must be UTF-8 encoded.")
    if ext == "ics" and not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        _refuse(filename, "it is not an iCalendar file (it must begin with BEGIN:VCALENDAR).")


def check_upload(uploaded_file) -> tuple[str, int]:
    """(content type, size) of an allowed upload, or ``Invalid`` saying why not. Reads the file and
    leaves it at its start; writes nothing."""
    filename = clean_filename(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size
    limit = settings.MESSAGE_ATTACHMENT_MAX_BYTES
    if size is None or size <= 0:
        _refuse(filename, "the file is empty.")
    if size > limit:
        _refuse(filename, f"it is {human_size(size)}; files may be at most {human_size(limit)}.")
    ext = filename.rpartition(".")[2].lower() if "." in filename else ""
    if ext not in ALLOWED_EXTENSIONS:
        _refuse(filename, f"this type of file is not allowed. Allowed: {NAMES}.")
    if ext in BINARY_TYPES:
        kind = filetype.guess(_head(uploaded_file))
        expected = BINARY_TYPES[ext]
        if kind is None or kind.mime != expected:
            what = f"a {kind.extension.upper()} file" if kind else "not what its name says"
            _refuse(filename, f"its content is {what}, but its name says .{ext}.")
        return expected, size
    if ext in TEXT_TYPES:
        _check_text(uploaded_file, filename, ext)
        return TEXT_TYPES[ext], size
    _check_office(uploaded_file, filename, ext)
    return OFFICE_TYPES[ext], size


def check_uploads(files) -> list[CheckedFile]:
    """Every file checked (and how many), before anything is stored."""
    files = [f for f in (files or []) if f is not None]
    limit = settings.MESSAGE_ATTACHMENTS_PER_MESSAGE
    if len(files) > limit:
        raise Invalid(f"At most {limit} files per message; you chose {len(files)}.",
                      errors={FIELD: [f"At most {limit} files per message."]})
    checked = []
    for upload in files:
        content_type, size = check_upload(upload)
        checked.append(CheckedFile(upload=upload, filename=clean_filename(upload.name), content_type=content_type,
                                   size=size))
    return checked


def download_response(attachment) -> FileResponse:
    """The attachment as a download (``core.downloads``)."""
    return core_download(attachment.file, filename=attachment.filename, content_type=attachment.content_type)
