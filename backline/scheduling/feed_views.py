"""The public iCal feed endpoint: no login, the secret token in the URL is the credential."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from backline.core.errors import NotFound

from . import feeds


@require_safe
def calendar_feed(request, token: str) -> HttpResponse:
    try:
        feed = feeds.feed_for_token(token)
    except NotFound:
        raise Http404("No such feed.")
    response = HttpResponse(feeds.render_feed(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feeds.feed_filename(feed)}"'
    patch_cache_control(response, private=True, max_age=300)
    # The URL is a secret: keep it out of search engines and other sites' logs.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
