"""The email provider's webhooks: /webhooks/email/<provider>/tracking/ and .../inbound/.

Each call is handed to django-anymail's view for the configured provider (settings.EMAIL_WEBHOOK_PROVIDER),
which checks the provider's signature or the basic-auth WEBHOOK_SECRET, normalises the payload and sends
anymail's ``tracking`` or ``inbound`` signal (received in tracking.py and inbound.py). Around it:

- only the configured provider answers; any other name is 404;
- a call anymail cannot verify is refused with 401 (anymail's own answer would be 400) and logged with the
  provider, the caller's address and the reason, never the payload or its secrets;
- without a key or secret for the provider, every call is refused with 401 ("webhooks not configured")
  instead of failing with a configuration error (or, worse, checking signatures against an empty key).
"""

from __future__ import annotations

import logging
import warnings

from anymail.exceptions import (
    AnymailConfigurationError,
    AnymailError,
    AnymailInsecureWebhookWarning,
    AnymailWebhookValidationFailure,
)
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

from backline.core.api import problem

logger = logging.getLogger("backline.messaging.webhooks")

_W = "anymail.webhooks"
# provider name (as in the URL and EMAIL_WEBHOOK_PROVIDER) → (tracking view, inbound view)
PROVIDERS: dict[str, tuple[str, str]] = {
    "mailgun": (f"{_W}.mailgun.MailgunTrackingWebhookView", f"{_W}.mailgun.MailgunInboundWebhookView"),
    "postmark": (f"{_W}.postmark.PostmarkTrackingWebhookView", f"{_W}.postmark.PostmarkInboundWebhookView"),
    "sendgrid": (f"{_W}.sendgrid.SendGridTrackingWebhookView", f"{_W}.sendgrid.SendGridInboundWebhookView"),
    "mailjet": (f"{_W}.mailjet.MailjetTrackingWebhookView", f"{_W}.mailjet.MailjetInboundWebhookView"),
    "sparkpost": (f"{_W}.sparkpost.SparkPostTrackingWebhookView", f"{_W}.sparkpost.SparkPostInboundWebhookView"),
    "brevo": (f"{_W}.brevo.BrevoTrackingWebhookView", f"{_W}.brevo.BrevoInboundWebhookView"),
    "resend": (f"{_W}.resend.ResendTrackingWebhookView", f"{_W}.resend.ResendInboundWebhookView"),
    "mailersend": (f"{_W}.mailersend.MailerSendTrackingWebhookView", f"{_W}.mailersend.MailerSendInboundWebhookView"),
    "postal": (f"{_W}.postal.PostalTrackingWebhookView", f"{_W}.postal.PostalInboundWebhookView"),
    # Mandrill posts tracking and inbound events to one view; both our addresses lead to it.
    "mandrill": (f"{_W}.mandrill.MandrillCombinedWebhookView", f"{_W}.mandrill.MandrillCombinedWebhookView"),
    "amazon_ses": (f"{_W}.amazon_ses.AmazonSESTrackingWebhookView", f"{_W}.amazon_ses.AmazonSESInboundWebhookView"),
}
KINDS = ("tracking", "inbound")

# Attributes in which anymail's views keep a provider's signing key. An empty one would make anymail check
# signatures against an empty key (which anybody can compute), so it counts as "not configured".
_SIGNING_KEYS = ("webhook_signing_key", "signing_secret", "api_key_bytes", "webhook_key")
# Optional signature checkers: when present, they secure the view without basic auth.
_SIGNATURE_CHECKERS = ("_svix_webhook", "webhook_verification_key")


class NotConfigured(Exception):
    """The provider's webhook key or secret is missing: every call is refused."""


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _refuse(request: HttpRequest, provider: str, kind: str, reason: str, detail: str,
            code: str = "webhook_unverified") -> HttpResponse:
    logger.warning("Refused %s %s webhook from %s: %s", provider, kind, _client_address(request), reason,
                   extra={"provider": provider, "webhook": kind, "remote_addr": _client_address(request),
                          "reason": reason})
    response = problem(request, status=401, code=code, detail=detail, title="Unauthorized")
    response["WWW-Authenticate"] = 'Basic realm="backline-webhooks"'
    return response


def _view_for(provider: str, kind: str):
    """An instance of anymail's view for the provider, built from the current settings (so
    ``override_settings`` in tests and a changed secret both take effect), or NotConfigured."""
    view_class = import_string(PROVIDERS[provider][KINDS.index(kind)])
    with warnings.catch_warnings():
        # anymail warns (and then accepts anything) when a view has neither basic auth nor a signature
        # key; we decide that case ourselves just below.
        warnings.simplefilter("ignore", AnymailInsecureWebhookWarning)
        try:
            view = view_class()
        except AnymailConfigurationError as exc:  # a required key is missing
            raise NotConfigured(str(exc).splitlines()[0]) from exc
    has_basic_auth = bool(getattr(view, "basic_auth", None))
    for attr in _SIGNING_KEYS:
        if hasattr(view, attr) and not getattr(view, attr):
            # Mandrill defers its "missing key" error to the first POST; Mailgun would sign with b"".
            raise NotConfigured(f"empty {attr.replace('_bytes', '')}")
    has_signature = any(getattr(view, attr, None) for attr in (*_SIGNING_KEYS, *_SIGNATURE_CHECKERS))
    if not (has_basic_auth or has_signature) or (getattr(view, "warn_if_no_basic_auth", False) and not has_basic_auth):
        raise NotConfigured("no WEBHOOK_SECRET and no signing key")
    return view


def _handle(request: HttpRequest, provider: str, kind: str) -> HttpResponse:
    provider = provider.lower()
    if provider not in PROVIDERS or provider != (settings.EMAIL_WEBHOOK_PROVIDER or "").lower():
        raise Http404("No such webhook.")
    if request.method not in ("POST", "HEAD"):
        return HttpResponseNotAllowed(["POST", "HEAD"])
    try:
        view = _view_for(provider, kind)
    except NotConfigured as exc:
        return _refuse(request, provider, kind, f"webhooks not configured ({exc})",
                       "Email webhooks are not configured on this server.", code="webhooks_not_configured")
    view.setup(request, provider=provider)
    try:
        return view.dispatch(request)
    except AnymailWebhookValidationFailure as exc:
        return _refuse(request, provider, kind, str(exc).splitlines()[0] if str(exc) else "validation failed",
                       "The webhook call could not be verified.")
    except AnymailConfigurationError as exc:
        # Verified, but not a payload this address takes (e.g. tracking events sent to the inbound URL).
        logger.error("Misrouted %s %s webhook from %s: %s", provider, kind, _client_address(request),
                     str(exc).splitlines()[0])
        return problem(request, status=400, code="webhook_misrouted", detail=str(exc).splitlines()[0])
    except AnymailError as exc:  # a malformed payload (anymail's parsers raise AnymailAPIError)
        logger.warning("Malformed %s %s webhook from %s: %s", provider, kind, _client_address(request),
                       type(exc).__name__)
        return problem(request, status=400, code="webhook_malformed", detail="The webhook payload could not be read.")


@csrf_exempt
def tracking_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """Delivery and engagement events (delivered, opened, bounced, complained, ...)."""
    return _handle(request, provider, "tracking")


@csrf_exempt
def inbound_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """Incoming mail: replies to a thread's reply address."""
    return _handle(request, provider, "inbound")
