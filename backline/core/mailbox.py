"""The development mailbox: an email backend that stores messages in the database, and who may read it.

It is the embedded default (no mail server needed): sign-up verification, password resets and
invitations can be read at /dev/mailbox/. Set EMAIL_URL to send real mail instead.

Those messages hold password-reset and invitation links, so the page is open to anyone only on the
developer's own machine: a request from a loopback address, to a loopback host name, that no proxy
forwarded. When the server listens on another address (``runserver 0.0.0.0:8000``, a container, a
proxy in front), every other request needs a logged-in staff user; anonymous visitors are sent to
log in and other users get 404.
"""

import ipaddress

from django.core.mail.backends.base import BaseEmailBackend
from django.http.request import split_domain_port

# Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever REMOTE_ADDR says.
FORWARDING_HEADERS = ("HTTP_FORWARDED", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST", "HTTP_X_REAL_IP")


def _loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def is_local_request(request) -> bool:
    """Made on this machine to a loopback address (127.0.0.1, ::1, localhost), not through a proxy."""
    if any(header in request.META for header in FORWARDING_HEADERS):
        return False
    host, _port = split_domain_port(request.get_host())
    return _loopback(request.META.get("REMOTE_ADDR", "")) and _loopback(host)


def may_read_mailbox(request) -> bool:
    """Anyone on a local request; otherwise only an active staff user."""
    user = getattr(request, "user", None)
    return is_local_request(request) or bool(user and user.is_active and user.is_staff)


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .models import MailboxMessage

        sent = 0
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            MailboxMessage.objects.create(
                subject=message.subject[:300],
                from_email=message.from_email,
                to=", ".join(message.recipients()),
                body=message.body,
                html=html,
            )
            sent += 1
        return sent
