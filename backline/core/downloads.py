"""A stored file as a download: never rendered by the browser, never sniffed into something else. A
file that storage no longer holds (lost, or removed by hand) is a 404, not a server error."""

from __future__ import annotations

from django.http import FileResponse, Http404


def download_response(field, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("The file is no longer stored.")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
