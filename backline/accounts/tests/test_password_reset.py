"""Password reset through django-allauth's real pages, with the mail read from the development mailbox."""

import re

import pytest
from django.contrib.auth import authenticate, get_user_model

from backline.core.models import MailboxMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-tambourine-42"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s\"<>]+/)")
CSRF_TOKEN = re.compile(rb'(name="csrf-token" content="|name="csrfmiddlewaretoken" value=")[^"]+')


@pytest.fixture(autouse=True)
def mailbox(settings):
    settings.EMAIL_BACKEND = "backline.core.mailbox.MailboxBackend"
    settings.DEV_MAILBOX_ENABLED = True


def _request_reset(client, email):
    return client.post("/accounts/password/reset/", {"email": email})


def test_reset_by_mail_then_log_in_with_the_new_password(client):
    person = UserFactory(email="drummer@example.org")

    response = _request_reset(client, "drummer@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"

    mail = MailboxMessage.objects.get(to="drummer@example.org")
    assert mail.subject == "Reset your Backline password"
    link = RESET_LINK.search(mail.body)
    assert link, mail.body

    # The key page stores the key in the session and redirects to the form without it in the URL.
    response = client.get(link.group(1))
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.get(form_url)
    assert response.status_code == 200
    assert b'name="password1"' in response.content

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert not person.check_password(PASSWORD)

    # The link is spent.
    response = client.get(link.group(1), follow=True)
    assert b'name="password1"' not in response.content

    # The new password opens the login page; the old one no longer does.
    fresh = client.__class__()
    refused = fresh.post("/accounts/login/", {"login": "drummer@example.org", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in fresh.session
    response = fresh.post("/accounts/login/", {"login": "drummer@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert fresh.session["_auth_user_id"] == str(person.pk)
    assert authenticate(email="drummer@example.org", password=NEW_PASSWORD) == person


def test_a_bad_new_password_is_refused_and_changes_nothing(client):
    person = UserFactory(email="bassist@example.org")
    _request_reset(client, person.email)
    link = RESET_LINK.search(MailboxMessage.objects.get(to=person.email).body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert b"too short" in response.content
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_unknown_address_does_not_reveal_whether_the_account_exists(client):
    UserFactory(email="singer@example.org")
    known = _request_reset(client, "singer@example.org")
    unknown = _request_reset(client, "nobody-here@example.org")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    # The same page, byte for byte, once the per-request CSRF token is set aside.
    pages = [CSRF_TOKEN.sub(rb"\1", client.get(r["Location"]).content) for r in (known, unknown)]
    assert pages[0] == pages[1]

    # Whoever owns the unknown address is told there is no account, and gets no reset link.
    assert not get_user_model().objects.filter(email="nobody-here@example.org").exists()
    to_unknown = MailboxMessage.objects.filter(to="nobody-here@example.org")
    assert all(not RESET_LINK.search(m.body) for m in to_unknown)
    assert RESET_LINK.search(MailboxMessage.objects.get(to="singer@example.org").body)
