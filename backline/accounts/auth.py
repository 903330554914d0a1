"""How API callers are authenticated: a bearer access token (scripts) or the session with CSRF (browser)."""

from django.conf import settings
from django.contrib.auth import authenticate
from django_ratelimit.core import get_usage
from ninja.security import HttpBearer, SessionAuth

from backline.core.errors import RateLimited, Unauthenticated

from .tokens import user_from_access_token


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_from_access_token(token)  # raises Unauthenticated with a precise code
        request.user = user
        return user


API_AUTH = [BearerAuth(), SessionAuth()]


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def check_login(request, *, email: str, password: str):
    """The user for these credentials, or 401. Repeated failures for one address from one client
    are refused with 429 until the window passes (LOGIN_FAILURE_LIMIT, default 5 per 15 minutes)."""
    key = f"{_client_ip(request)}|{(email or '').strip().lower()}"

    def usage(increment: bool):
        return get_usage(request, group="api-login-failures", key=lambda g, r: key,
                         rate=settings.LOGIN_FAILURE_LIMIT, method=["POST"], increment=increment)

    current = usage(False)
    # Peeking (increment=False) reports should_limit only once count > limit, i.e. after limit + 1
    # failures; the limit is the number of failures allowed, so refuse as soon as it is reached.
    if current and (current["should_limit"] or current["count"] >= current["limit"]):
        raise RateLimited("Too many failed logins. Wait a few minutes and try again.",
                          retry_after=max(1, int(current["time_left"])), limit=current["limit"], remaining=0)
    user = authenticate(request, email=(email or "").strip().lower(), password=password)
    if user is None or not user.is_active:
        usage(True)
        raise Unauthenticated("Wrong email or password.", code="invalid_credentials")
    return user
