from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views import defaults

from .api import problem
from .models import MailboxMessage


def _mailbox_enabled():
    if not settings.DEV_MAILBOX_ENABLED:
        raise Http404("The development mailbox is off (EMAIL_URL sends real mail).")


def dev_mailbox(request):
    """Every email the embedded default 'sent'. Only exists while no real mail server is configured."""
    _mailbox_enabled()
    page = Paginator(MailboxMessage.objects.all(), 25).get_page(request.GET.get("page"))
    return render(request, "core/mailbox.html", {"page": page})


def dev_mailbox_message(request, message_id):
    _mailbox_enabled()
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
