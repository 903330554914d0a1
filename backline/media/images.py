"""The upload checker and image processor any app may use.

The type of a file is decided by its content, never by its name or the type the browser declared:
pictures are read with Pillow (JPEG, PNG, WebP, GIF), documents must be PDF (the ``%PDF-`` header,
an end-of-file marker and at least one object; nothing in them is ever run). SVG is refused (it can
carry script). A picture larger than ``MEDIA_MAX_IMAGE_PIXELS`` (a decompression bomb) and a file
larger than ``MEDIA_MAX_UPLOAD_BYTES`` are refused with a clear message.

Pictures are re-encoded: EXIF orientation applied first, then every piece of metadata (EXIF, GPS,
comments, colour profiles) left behind, in three sizes: the original (capped at 3000 px), a web
size (1600 px) and a thumbnail (400 px)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

from backline.core.errors import Invalid

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
PDF_TYPE = "application/pdf"
ORIGINAL_EDGE, WEB_EDGE, THUMB_EDGE = 3000, 1600, 400
ACCEPTED_WORDS = "a JPEG, PNG, WebP or GIF picture, or a PDF document"


class FileTooLarge(Invalid):
    """A file over the size limit: 413 in the API, a form error on the page."""

    status = 413
    code = "file_too_large"
    title = "File too large"


@dataclass
class CheckedUpload:
    """An upload whose content was checked: a picture (``image`` loaded, upright) or a PDF (``data``)."""

    content_type: str
    name: str
    image: Image.Image | None = None
    data: bytes = b""

    @property
    def is_image(self) -> bool:
        return self.image is not None


@dataclass
class Rendition:
    content: ContentFile
    extension: str
    width: int
    height: int


@dataclass
class ProcessedImage:
    content_type: str
    original: Rendition
    web: Rendition
    thumb: Rendition

    @property
    def stored_bytes(self) -> int:
        return sum(r.content.size for r in (self.original, self.web, self.thumb))


def _refuse(field: str, message: str, detail: str = "This file cannot be accepted.") -> Invalid:
    return Invalid(detail, errors={field: [message]})


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text[:2048]


def _check_pdf(data: bytes, field: str, name: str) -> None:
    if b"%%EOF" not in data[-2048:] or b" obj" not in data or b"trailer" not in data and b"/XRef" not in data:
        raise _refuse(field, f"{name} starts like a PDF but is broken or cut short. Export it again and upload it.")
    lowered = data.lower()
    if b"/javascript" in lowered or b"/launch" in lowered:
        raise _refuse(field, f"{name} is a PDF with embedded script or actions; export it again as a plain PDF.")


def check_upload(upload, *, field: str = "file", max_bytes: int | None = None,
                 allow_documents: bool = True) -> CheckedUpload:
    """Check an uploaded file (a Django ``UploadedFile`` or any file with ``size``/``read``/``name``)
    and return it read; raise ``FileTooLarge`` or ``Invalid`` (errors on ``field``) otherwise."""
    name = (getattr(upload, "name", "") or "the file").rsplit("/", 1)[-1][:80]
    limit = settings.MEDIA_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise FileTooLarge(f"{name} is larger than {filesizeformat(limit)}.", limit=limit, errors={field: [
            f"{name} is {filesizeformat(size)}; files may be at most {filesizeformat(limit)}."]})
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise FileTooLarge(f"{name} is larger than {filesizeformat(limit)}.", limit=limit, errors={field: [
            f"{name} is larger than {filesizeformat(limit)}, the most a file may be."]})
    if not data:
        raise _refuse(field, f"{name} is empty.")
    if data.startswith(b"%PDF-"):
        if not allow_documents:
            raise _refuse(field, f"{name} is a PDF; upload a JPEG, PNG or WebP picture here.")
        _check_pdf(data, field, name)
        return CheckedUpload(content_type=PDF_TYPE, name=name, data=data)
    if _looks_like_svg(data[:4096]):
        raise _refuse(field, f"{name} is an SVG drawing, which can carry script and is not accepted. "
                             "Upload it as a PNG picture or a PDF instead.")
    image = _open_image(data, field, name)
    return CheckedUpload(content_type=IMAGE_FORMATS[image.format.upper()], name=name, image=image)


def _open_image(data: bytes, field: str, name: str) -> Image.Image:
    max_pixels = settings.MEDIA_MAX_IMAGE_PIXELS
    bomb = _refuse(field, f"{name} is too large in pixels (more than {max_pixels // 1_000_000} megapixels). "
                          "Scale it down and upload it again.", "The picture is too large.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise bomb
            if (image.format or "").upper() not in IMAGE_FORMATS:
                raise _refuse(field, f"{name} is not {ACCEPTED_WORDS}.")
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise bomb from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(field, f"{name} is not {ACCEPTED_WORDS} (its content is something else, "
                             "whatever its name says).") from exc
    return image


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, then keep only the pixels (no metadata survives)."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, edge: int) -> Rendition:
    image = image.copy()
    image.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG", optimize=True)
        extension = "png"
    else:
        image.save(buffer, "JPEG", quality=85)
        extension = "jpg"
    return Rendition(ContentFile(buffer.getvalue()), extension, image.width, image.height)


def process_image(image: Image.Image) -> ProcessedImage:
    """The three stored sizes of a checked picture: upright, metadata-free, re-encoded (JPEG, or PNG
    for pictures with transparency such as logos)."""
    clean = _upright(image)
    original = _encode(clean, ORIGINAL_EDGE)
    content_type = "image/png" if original.extension == "png" else "image/jpeg"
    return ProcessedImage(content_type=content_type, original=original, web=_encode(clean, WEB_EDGE),
                          thumb=_encode(clean, THUMB_EDGE))
