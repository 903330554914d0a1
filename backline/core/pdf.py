"""PDF documents from HTML templates (WeasyPrint). Templates carry their own print CSS, and the URL
fetcher refuses everything but inline ``data:`` URIs, so a document never reaches the network or
the file system on anyone's behalf."""

from __future__ import annotations

from django.template.loader import render_to_string


class ExternalResourceRefused(ValueError):
    pass


def _fetch_nothing(url: str, *args, **kwargs):
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ExternalResourceRefused(f"PDF documents load no outside resources ({url[:60]})")


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango, which only documents need

    html = render_to_string(template, context, request=request)
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
