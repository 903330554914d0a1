"""The pages a visitor meets first (log in, sign up, password reset) speak Backline's words: sentence
case, one wording (Log in, Sign up), the form's action as the primary button, a real address to write
to, one short password hint, and no developer tools in a visitor's header."""

import re

import pytest

pytestmark = pytest.mark.django_db
LOCAL = {"HTTP_HOST": "localhost:8000"}  # the developer's machine, where the development mailbox is open


def submit_button(page: str) -> str:
    return re.search(r'<button[^>]*type="submit"[^>]*class="([^"]+)"', page, flags=re.S).group(1)


def test_the_password_reset_page_is_in_sentence_case_with_a_primary_button_and_a_mail_link(client, settings):
    settings.SUPPORT_EMAIL = "help@backline.example"
    page = client.get("/accounts/password/reset/").content.decode()
    assert "<title>Reset your password · Backline</title>" in page
    assert ">Reset your password</h1>" in page and "Password Reset" not in page
    assert "btn-primary" in submit_button(page)
    assert '<a href="mailto:help@backline.example">help@backline.example</a>' in page
    assert "Please contact us" not in page


def test_after_asking_for_a_reset_the_page_links_the_support_address(client, settings):
    settings.SUPPORT_EMAIL = "help@backline.example"
    page = client.get("/accounts/password/reset/done/").content.decode()
    assert "Check your email" in page and "mailto:help@backline.example" in page


def test_the_support_address_defaults_to_the_senders_domain():
    from django.conf import settings

    domain = settings.SUPPORT_EMAIL.split("@")[1]
    assert f"support@{domain}" == settings.SUPPORT_EMAIL and f"@{domain}" in settings.DEFAULT_FROM_EMAIL


def test_sign_up_shows_one_short_password_hint_and_the_rule_only_when_it_fails(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "At least 10 characters; not a common password." in page
    assert "entirely numeric" not in page and "too similar" not in page
    page = client.post("/accounts/signup/", {"name": "Nina", "email": "new@example.org", "password1": "4815162342",
                                             "password2": "4815162342"}).content.decode()
    assert "entirely numeric" in page


def test_choosing_a_new_password_shows_the_same_hint(login_client, user):
    page = login_client(user).get("/accounts/password/change/").content.decode()
    assert "At least 10 characters; not a common password." in page


def test_a_visitor_never_sees_the_development_mailbox_in_the_header(client, settings):
    settings.DEV_MAILBOX_ENABLED = True
    for url in ("/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        page = client.get(url, **LOCAL).content.decode()
        assert "/dev/mailbox/" not in page, url
        assert "Mailbox" not in page, url


def test_where_mail_was_just_sent_the_demo_says_where_to_read_it(client, settings):
    settings.DEV_MAILBOX_ENABLED = True
    for url in ("/accounts/password/reset/done/", "/accounts/confirm-email/"):
        page = client.get(url, **LOCAL).content.decode()
        assert 'data-testid="dev-mailbox-link"' in page and "/dev/mailbox/" in page, url
    settings.DEV_MAILBOX_ENABLED = False  # a real mail server: nothing to point at
    assert "/dev/mailbox/" not in client.get("/accounts/password/reset/done/", **LOCAL).content.decode()


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_one_wording_for_logging_in_and_signing_up(client, url):
    page = client.get(url).content.decode()
    for old in ("Sign In", "Sign in", "Signup", "Sign Up", "Log In", "Login<", "Sign Out", "Logout<"):
        assert old not in page, (url, old)


def test_no_account_page_says_contact_us_without_saying_where():
    from django.template.loader import get_template

    for name in ("account/password_reset.html", "account/password_reset_done.html", "account/verification_sent.html",
                 "account/verified_email_required.html"):
        source = get_template(name).template.source
        assert "contact us" not in source.lower() and "account/_help.html" in source, name
