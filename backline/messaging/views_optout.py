"""The opt-out link every outreach email carries (public: the signed token in the address is the key).

GET shows "Stop emails from <workspace>?" with a button; POST stops them (an opted-out suppression for
that workspace and address, idempotent); a POST with ``action=undo`` lifts the recipient's own opt-out
again (never a bounce or complaint). Mail programs' one-click unsubscribe (RFC 8058: a POST with
the body ``List-Unsubscribe=One-Click``) is accepted without a CSRF token; every other POST needs one.
A forged or broken token is 404."""

from __future__ import annotations

from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from backline.accounts.models import Workspace

from . import outbox
from .models import Suppression, SuppressionReason

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
    named = outbox.opt_out_read(token)
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
        undone = outbox.opt_in_again(workspace_id=workspace.pk, email=email)
    elif request.method == "POST":
        outbox.suppress(workspace_id=workspace.pk, email=email, reason=SuppressionReason.OPTED_OUT)
    existing = Suppression.objects.filter(workspace=workspace, email=email).first()
    context = {"workspace": workspace, "email": email, "token": token, "suppression": existing,
               "done": existing is not None, "undone": undone,
               "just_now": request.method == "POST" and not undone, "one_click": one_click}
    return _private(render(request, "messaging/optout/page.html", context))
