"""Mail's web pages: the provider's webhooks, the held-mail page and the public opt-out link.

- The email provider's webhooks: /webhooks/email/<provider>/tracking/ and .../inbound/.

    Each call is handed to django-anymail's view for the configured provider (settings.EMAIL_WEBHOOK_PROVIDER),
  which checks the provider's signature or the basic-auth WEBHOOK_SECRET, normalises the payload and sends
  anymail's ``tracking`` or ``inbound`` signal (received in services/tracking.py and services/inbound.py). Around it:

    - only the configured provider answers; any other name is 404;
  - a call anymail cannot verify is refused with 401 (anymail's own answer would be 400) and logged with the
    provider, the caller's address and the reason, never the payload or its secrets;
  - without a key or secret for the provider, every call is refused with 401 ("webhooks not configured")
    instead of failing with a configuration error (or, worse, checking signatures against an empty key).

- The held-mail page (/w/<slug>/inbox/held/): incoming email that could not be trusted to its thread,
  for the workspace's outreach managers to release into the thread or discard. Thin adapters over
  services/held.py; a held email of another workspace is 404.

- The opt-out link every outreach email carries (public: the signed token in the address is the key).

    GET shows "Stop emails from <workspace>?" with a button; POST stops them (an opted-out suppression for
  that workspace and address, idempotent); a POST with ``action=undo`` lifts the recipient's own opt-out
  again (never a bounce or complaint). Mail programs' one-click unsubscribe (RFC 8058: a POST with
  the body ``List-Unsubscribe=One-Click``) is accepted without a CSRF token; every other POST needs one.
  A forged or broken token is 404.
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
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from backline.accounts.models import Workspace
from backline.accounts.permissions import OUTREACH_MANAGE
from backline.accounts.ui import workspace_view
from backline.core.api import problem

from . import selectors
from .models import QuarantineReason, QuarantineStatus, Suppression, SuppressionReason
from .services import held, suppressions
from .services.tracking import thread_link

# --- the provider's webhooks ----------------------------------------------------------------------

logger = logging.getLogger("backline.mail.webhooks")

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


# --- the held-mail page ---------------------------------------------------------------------------

PAGE_SIZE = 25


def _status_filter(request) -> str:
    status = request.GET.get("status") or QuarantineStatus.PENDING
    return status if status in QuarantineStatus.values else QuarantineStatus.PENDING


@workspace_view(OUTREACH_MANAGE)
def quarantine_list(request):
    ws = request.access.workspace
    status = _status_filter(request)
    page = Paginator(selectors.quarantine_list_for(ws, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.thread_url = thread_link(item.thread, ws.slug)
    return render(request, "mail/held/list.html", {
        "page": page, "status": status, "statuses": QuarantineStatus.choices, "reasons": dict(QuarantineReason.choices),
        "pending": selectors.pending_count(ws) if status != QuarantineStatus.PENDING else page.paginator.count})


def _done(request, item, note: str):
    """htmx: the card's replacement (and the tabs, out of band, with the new count); else back to the list."""
    ws = request.access.workspace
    if request.htmx:
        item.thread_url = thread_link(item.thread, ws.slug)
        return render(request, "mail/held/_decided.html", {
            "item": item, "note": note, "status": request.GET.get("status") or QuarantineStatus.PENDING,
            "statuses": QuarantineStatus.choices, "pending": selectors.pending_count(ws)})
    messages.success(request, note)
    return redirect("quarantine_list", ws.slug)


@workspace_view(OUTREACH_MANAGE)
@require_POST
def quarantine_release(request, quarantine_id):
    item, _ = held.quarantine_release(
        actor=request.user, quarantine_id=quarantine_id, workspace_id=request.access.workspace.pk,
        add_contact=request.POST.get("add_contact") in ("1", "on", "true"))
    who = item.from_name or item.from_email
    return _done(request, item, f"The email from {who} was posted to “{item.thread.subject}”.")


@workspace_view(OUTREACH_MANAGE)
@require_POST
def quarantine_discard(request, quarantine_id):
    item = held.quarantine_discard(actor=request.user, quarantine_id=quarantine_id,
                                         workspace_id=request.access.workspace.pk)
    return _done(request, item, f"The email from {item.from_name or item.from_email} was discarded.")


# --- the opt-out link -----------------------------------------------------------------------------

ONE_CLICK = "One-Click"


def _csrf_refusal(request):
    """The CSRF middleware's answer for a POST that needs a token (None when the token is good)."""
    check = CsrfViewMiddleware(lambda req: None)
    return check.process_view(request, None, (), {})


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token never leaves in a Referer; our own form POST keeps its Origin
    return response


@csrf_exempt  # only for RFC 8058 one-click POSTs; other POSTs are checked below
@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, token: str):
    named = suppressions.opt_out_read(token)
    if named is None:
        raise Http404("No such opt-out link.")
    workspace_id, email = named
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        raise Http404("No such opt-out link.")
    one_click = request.method == "POST" and request.POST.get("List-Unsubscribe") == ONE_CLICK
    if request.method == "POST" and not one_click:
        refused = _csrf_refusal(request)
        if refused is not None:
            return refused
    undone = False
    if request.method == "POST" and not one_click and request.POST.get("action") == "undo":
        undone = suppressions.opt_in_again(workspace_id=workspace.pk, email=email)
    elif request.method == "POST":
        suppressions.suppress(workspace_id=workspace.pk, email=email, reason=SuppressionReason.OPTED_OUT)
    existing = Suppression.objects.filter(workspace=workspace, email=email).first()
    context = {"workspace": workspace, "email": email, "token": token, "suppression": existing,
               "done": existing is not None, "undone": undone,
               "just_now": request.method == "POST" and not undone, "one_click": one_click}
    return _private(render(request, "mail/opt_out.html", context))
