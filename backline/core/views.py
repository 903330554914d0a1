from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views import defaults

from .api import problem
from .mailbox import may_read_mailbox
from .models import MailboxMessage


def _mailbox_view(view):
    """Only while no real mail server is configured, and only for whom ``may_read_mailbox`` lets in:
    anyone on the developer's machine (loopback), otherwise staff (anonymous: log in; others: 404)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.DEV_MAILBOX_ENABLED:
            raise Http404("The development mailbox is off (EMAIL_URL sends real mail).")
        if not may_read_mailbox(request):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404("The development mailbox is for staff when the server is not on loopback.")
        return view(request, *args, **kwargs)

    return wrapped


@_mailbox_view
def dev_mailbox(request):
    """Every email the embedded default 'sent'. Only exists while no real mail server is configured."""
    page = Paginator(MailboxMessage.objects.all(), 25).get_page(request.GET.get("page"))
    return render(request, "core/mailbox.html", {"page": page})


@_mailbox_view
def dev_mailbox_message(request, message_id):
    message = get_object_or_404(MailboxMessage, pk=message_id)
    return render(request, "core/mailbox_message.html", {"message": message})


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    """The project's handler404: an unknown path under /api/ answers problem+json like every API error;
    web pages keep Django's page (the site's 404 template)."""
    if request.path_info.startswith("/api/"):
        return problem(request, status=404, code="not_found", detail="Not found.")
    return defaults.page_not_found(request, exception)
