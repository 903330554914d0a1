import json
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseRedirect, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.urls import Resolver404
from django.utils import timezone

from .api import problem
from .text import control_character, control_message, find_control_character, printable_key
from .views import page_not_found
from .web import safe_back_url

PUBLIC_NAMESPACES = frozenset({"profiles"})


class NotFoundPageMiddleware:
    """With DEBUG on (``make run``, the local demo), an address that matches no page shows the product's
    404 page, as in production, instead of Django's technical page listing every URL pattern. A page that
    was found but raised Http404 itself (a foreign object, a switched-off feature) keeps Django's debug
    page, whose message says why: debugging a view is not hidden; except the public pages (the
    ``PUBLIC_NAMESPACES``: press kits and venue pages), which strangers open, so a private or unknown
    page looks as it will in production. Sits just inside CommonMiddleware, so a missing trailing slash
    is still added first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if settings.DEBUG and response.status_code == 404 and (match is None or match.namespace in PUBLIC_NAMESPACES):
            return page_not_found(request, Resolver404({"path": request.path_info}))
        return response


class UserTimezoneMiddleware:
    """Show times in the viewer's own zone (stored in UTC, rendered in the person's IANA zone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = getattr(getattr(request, "user", None), "time_zone", "") or ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name)) if tz_name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            timezone.deactivate()
        return self.get_response(request)


class ControlCharacterMiddleware:
    """Refuse request input holding a control character (NUL and the other C0 controls but tab, line
    feed and carriage return) before any view sees it: PostgreSQL cannot store NUL, and no person types
    the others. One check for every form and API endpoint, present and future (see ``core.text``).

    Checked: the URL's own values, the query string, a form's fields (Django itself drops unprintable
    characters from uploaded files' names) and a JSON body (any body that parses as JSON: Ninja reads
    bodies as JSON whatever their content type). The API answers 422 problem+json
    (``validation_error``, the field named); a web page answers a 422 page naming the field (an htmx
    request gets the message and is sent back where it came from). Provider webhooks (``/webhooks/``)
    are exempt: their payloads are cleaned where they are read. Listed after the CSRF and
    authentication middleware, so a forged form is still a 403 first."""

    EXEMPT_PREFIXES = ("/webhooks/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.EXEMPT_PREFIXES):
            return None
        found = control_in_request(request, view_kwargs)
        return None if found is None else _refuse(request, *found)


def _in_querydict(data) -> tuple[str, str] | None:
    for key in data:
        if char := control_character(key):
            return printable_key(key), char
        for value in data.getlist(key):
            if isinstance(value, str) and (char := control_character(value)):
                return key, char
    return None


def control_in_request(request, view_kwargs=None) -> tuple[str, str] | None:
    """(field, character) of the first refused control character in the request's input, or None."""
    strings = {k: v for k, v in (view_kwargs or {}).items() if isinstance(v, str)}
    if found := find_control_character(strings) or _in_querydict(request.GET):
        return found
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    try:
        if content_type == "multipart/form-data":
            if request.method != "POST":
                return None  # Django parses multipart bodies of POST only; nothing reads these as a form
            return _in_querydict(request.POST)  # (Django drops unprintable characters from file names)
        if content_type == "application/x-www-form-urlencoded":
            data = request.POST if request.method == "POST" else QueryDict(request.body, encoding=request.encoding)
            return _in_querydict(data)
        body = request.body
    except (RequestDataTooBig, RawPostDataException, MultiPartParserError):
        return None  # the view meets the same problem and answers it
    if not body or body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return find_control_character(json.loads(body))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None  # not JSON, or nested too deep to read: the view (Ninja: 400 malformed_body) reports that


def _refuse(request, field: str, char: str):
    message = control_message(char)
    if request.path_info.startswith("/api/"):
        return problem(request, status=422, code="validation_error", title="Invalid input",
                       detail=f"The field “{field}” contains a control character; remove it and send again.",
                       errors=[{"field": field, "message": message}])
    if getattr(request, "htmx", False):
        messages.error(request, f"{field}: {message}")
        response = HttpResponseRedirect(safe_back_url(request))
        response["HX-Redirect"] = response["Location"]
        return response
    return render(request, "core/invalid_input.html", {"field": field, "message": message}, status=422)
