"""Email leaves Backline for real: an invitation goes through Django's SMTP backend to a real SMTP
server (aiosmtpd on a free local port); the development mailbox backend stores mail and shows it."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.services import invitation_create
from backline.core.errors import Conflict
from backline.core.models import MailboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Collector:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1; yields (handler, port)."""
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def smtp_settings(port: int):
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                             EMAIL_PORT=port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False, EMAIL_HOST_USER="",
                             EMAIL_HOST_PASSWORD="", EMAIL_TIMEOUT=10)


def test_invitation_is_sent_through_a_real_smtp_server_with_its_link(smtp_server, make_team, settings,
                                                                     django_capture_on_commit_callbacks):
    handler, port = smtp_server
    workspace, people = make_team(WorkspaceKind.ACT, name="The Senders")
    settings.SITE_URL = "https://backline.example.org"
    with smtp_settings(port), django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = invitation_create(actor=people[Role.OWNER], workspace_id=workspace.pk,
                                       email="Guest@Example.org", role=Role.MEMBER)
    assert len(callbacks) >= 1

    assert len(handler.envelopes) == 1
    envelope = handler.envelopes[0]
    assert envelope.mail_from == "no-reply@backline.local"
    assert envelope.rcpt_tos == ["guest@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["To"] == "guest@example.org"
    assert "The Senders" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"https://backline.example.org/invitations/{invitation.token}/" in body


def test_nothing_reaches_the_smtp_server_when_the_invitation_is_refused(smtp_server, make_team,
                                                                        django_capture_on_commit_callbacks):
    handler, port = smtp_server
    workspace, people = make_team(WorkspaceKind.ACT)
    with smtp_settings(port), django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        invitation_create(actor=people[Role.OWNER], workspace_id=workspace.pk, email=people[Role.MEMBER].email,
                          role=Role.MEMBER)
    assert handler.envelopes == []


# --- the development mailbox ----------------------------------------------------------------------

@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "backline.core.mailbox.MailboxBackend"
    settings.DEV_MAILBOX_ENABLED = True


def send(subject: str, to: str, body: str, html: str = "") -> int:
    message = EmailMultiAlternatives(subject, body, "Backline <no-reply@backline.local>", [to])
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def test_mailbox_backend_stores_the_message(mailbox):
    assert send("Hello there", "fan@example.org", "Open https://example.org/x please.", "<p>Hello</p>") == 1
    stored = MailboxMessage.objects.get()
    assert (stored.subject, stored.to, stored.from_email) == ("Hello there", "fan@example.org",
                                                              "Backline <no-reply@backline.local>")
    assert stored.body == "Open https://example.org/x please."
    assert stored.html == "<p>Hello</p>"


@pytest.fixture
def local_client():
    """A browser on the developer's machine (loopback address and host name): the mailbox is open to it."""
    return Client(HTTP_HOST="localhost:8000")


def test_dev_mailbox_lists_the_message_and_shows_it_with_clickable_links(mailbox, local_client):
    client = local_client
    send("Your invitation", "guest@example.org", "Accept here: https://backline.example.org/invitations/abc/")
    stored = MailboxMessage.objects.get()
    listing = client.get("/dev/mailbox/")
    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Your invitation" in content and "to guest@example.org" in content
    assert f'href="/dev/mailbox/{stored.pk}/"' in content
    detail = client.get(f"/dev/mailbox/{stored.pk}/").content.decode()
    assert '<a href="https://backline.example.org/invitations/abc/"' in detail


def test_dev_mailbox_is_not_found_when_real_mail_is_configured(client, settings):
    settings.DEV_MAILBOX_ENABLED = False
    assert client.get("/dev/mailbox/").status_code == 404


def test_dev_mailbox_queries_are_constant_in_messages(mailbox, local_client, django_assert_max_num_queries):
    client = local_client
    send("First", "a@example.org", "one")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/dev/mailbox/").status_code == 200
        return len(ctx)

    few = count()
    for i in range(30):
        send(f"Message {i}", f"p{i}@example.org", "body")
    many = count()
    assert few == many
    with django_assert_max_num_queries(2):
        response = client.get("/dev/mailbox/")
    assert "Message 29" in response.content.decode()


# --- who may read the mailbox ---------------------------------------------------------------------

REMOTE = {"REMOTE_ADDR": "192.0.2.10", "HTTP_HOST": "192.0.2.1:8000"}  # the server on 0.0.0.0, a visitor from the LAN


@pytest.mark.parametrize("where", [
    {"HTTP_HOST": "127.0.0.1:8000"}, {"HTTP_HOST": "localhost:8000"}, {"HTTP_HOST": "[::1]:8000", "REMOTE_ADDR": "::1"},
], ids=["127.0.0.1", "localhost", "::1"])
def test_dev_mailbox_is_open_to_anonymous_visitors_on_loopback(mailbox, settings, db, where):
    """The development default: `make run` serves on 127.0.0.1, and the developer reads their mail."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "[::1]"]
    response = Client().get("/dev/mailbox/", **where)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Development mailbox" in page
    # A visitor's header has no link to it (the pages that just sent mail point there instead).
    assert "/dev/mailbox/" not in page.split('data-testid="visitor-nav"')[1].split("</div>")[0]


@pytest.mark.parametrize("where", [
    REMOTE,
    {"REMOTE_ADDR": "192.0.2.10", "HTTP_HOST": "localhost:8000"},  # a forged Host from elsewhere
    {"HTTP_HOST": "dev.example.org"},  # a proxy on this machine passing the public name
    {"HTTP_HOST": "localhost:8000", "HTTP_X_FORWARDED_FOR": "198.51.100.7"},  # a proxy rewriting the Host
], ids=["lan", "forged-host", "proxied-host", "proxied-forwarded-for"])
def test_dev_mailbox_refuses_anonymous_visitors_from_elsewhere(mailbox, settings, db, where):
    settings.ALLOWED_HOSTS = ["*"]
    message = MailboxMessage.objects.create(subject="Reset", from_email="a@example.org", to="b@example.org", body="x")
    for url in ("/dev/mailbox/", f"/dev/mailbox/{message.pk}/"):
        response = Client().get(url, **where)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url
    home = Client().get("/", **where).content.decode()
    assert "/dev/mailbox/" not in home  # no link to a page the visitor cannot open


def test_dev_mailbox_from_elsewhere_is_for_staff_only(mailbox, settings, db, login_client):
    settings.ALLOWED_HOSTS = ["*"]
    message = MailboxMessage.objects.create(subject="Reset", from_email="a@example.org", to="b@example.org", body="x")
    for url in ("/dev/mailbox/", f"/dev/mailbox/{message.pk}/"):
        assert login_client(UserFactory()).get(url, **REMOTE).status_code == 404, url
        assert login_client(UserFactory(is_staff=True)).get(url, **REMOTE).status_code == 200, url
