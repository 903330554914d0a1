"""Web-side plumbing: domain errors become 404/403 pages or a message, never a 500."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

from .errors import DomainError, Forbidden, NotFound, Unauthenticated


def safe_back_url(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if request.path.startswith("/api/") or not isinstance(exc, DomainError):
            return None
        if isinstance(exc, NotFound):
            return defaults.page_not_found(request, exc)
        if isinstance(exc, (Forbidden, Unauthenticated)):
            return defaults.permission_denied(request, exc)
        # A refused action (409, 422…): say why and go back to where the person was.
        messages.error(request, exc.detail)
        response = HttpResponseRedirect(safe_back_url(request))
        if getattr(request, "htmx", False):
            response = HttpResponseRedirect(safe_back_url(request))
            response["HX-Redirect"] = response["Location"]
        return response
