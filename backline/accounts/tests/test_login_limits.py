"""The web log-in limiter answers like the API's: 429 with Retry-After, and still the log-in page
(the form and why it refused)."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.test import Client

from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the limiter is under test
    return UserFactory(password=make_password(PASSWORD))


def log_in(client, email, password="wrong-password", **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def test_a_wrong_password_below_the_limit_is_the_page_with_its_error(client, user):
    response = log_in(client, user.email)
    assert response.status_code == 200
    assert "Retry-After" not in response


def test_too_many_failed_logins_answer_429_with_retry_after_and_the_form(client, user, settings):
    settings.ACCOUNT_LOGIN_ATTEMPTS_LIMIT = 5
    settings.ACCOUNT_LOGIN_ATTEMPTS_TIMEOUT = 300
    for _ in range(5):
        assert log_in(client, user.email).status_code == 200

    refused = log_in(client, user.email)

    assert refused.status_code == 429
    assert 295 <= int(refused["Retry-After"]) <= 300  # until the oldest counted failure leaves the window
    page = refused.content.decode()
    assert "Too many failed login attempts" in page and 'name="password"' in page
    assert "Try again in 5 minutes" in page and "Forgot your" in page  # how long, and the other way in
    # The right password is refused too while the limit lasts.
    assert log_in(client, user.email, PASSWORD).status_code == 429


def test_retry_after_counts_down_with_the_oldest_failure(client, user, settings, monkeypatch):
    import time

    settings.ACCOUNT_LOGIN_ATTEMPTS_LIMIT = 2
    settings.ACCOUNT_LOGIN_ATTEMPTS_TIMEOUT = 300
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    log_in(client, user.email)
    monkeypatch.setattr(time, "time", lambda: start + 100)
    log_in(client, user.email)
    monkeypatch.setattr(time, "time", lambda: start + 120)
    assert log_in(client, user.email)["Retry-After"] == "180"  # the first failure leaves at 300


def test_allauths_other_limits_answer_429_with_retry_after(user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}  # log-in attempts per client, whatever their outcome
    client = Client()
    log_in(client, user.email)
    log_in(client, user.email)
    refused = log_in(client, user.email)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many attempts" in refused.content.decode()
