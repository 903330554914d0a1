"""PDF documents from HTML templates (WeasyPrint). Templates carry their own print CSS, and the URL
fetcher refuses everything but inline ``data:`` URIs, so a document never reaches the network or
the file system on anyone's behalf."""

from __future__ import annotations

import base64

from django.core.files.storage import default_storage
from django.template.loader import render_to_string

IMAGE_BYTES_MAX = 3 * 1024 * 1024


class ExternalResourceRefused(ValueError):
    pass


def _fetcher():
    """WeasyPrint's own fetcher (it must be one: WeasyPrint reads its settings), refusing every URL
    that is not an inline ``data:`` URI. A refused resource is left out of the document."""
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ExternalResourceRefused(f"PDF documents load no outside resources ({url[:60]})")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols={"data"})


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango, which only documents need

    html = render_to_string(template, context, request=request)
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()


def render_pdf_fitting(template: str, contexts, *, request=None, pages: int = 1) -> bytes:
    """The document of the first of ``contexts`` (each shorter than the one before) that fits on ``pages``
    pages, or of the last one: a one-sheet fits its page by leaving out what it must, never by spilling."""
    from weasyprint import HTML

    document = None
    for context in contexts:
        document = HTML(string=render_to_string(template, context, request=request), url_fetcher=_fetcher()).render()
        if len(document.pages) <= pages:
            break
    if document is None:
        raise ValueError("No context to render.")
    return document.write_pdf()


def image_data_uri(field) -> str:
    """An image from storage as a ``data:`` URI, the only kind of resource a document loads ("" for no
    file, an unreadable one, or bytes that are not PNG, JPEG or WebP)."""
    if not field:
        return ""
    try:
        with default_storage.open(field.name, "rb") as fh:
            raw = fh.read(IMAGE_BYTES_MAX)
    except OSError:
        return ""
    mime = "image/png" if raw[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg" if raw[:2] == b"\xff\xd8" else \
        "image/webp" if raw[8:12] == b"WEBP" else ""
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}" if mime else ""
