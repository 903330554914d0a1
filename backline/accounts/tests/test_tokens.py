"""API authentication: login, access tokens, refresh rotation with reuse detection, logout, rate limit."""

import base64
import json
import threading
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from backline.accounts.api import REFRESH_COOKIE
from backline.accounts.models import RefreshToken
from backline.accounts.tokens import issue_access_token
from tests.factories import PASSWORD, UserFactory

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # What is under test is the endpoints' logic, not PBKDF2's cost (a dozen logins per test would take
    # seconds each); Django's testing docs suggest a fast hasher for exactly this.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db, _fast_password_hashing):
    return UserFactory(password=make_password(PASSWORD))


def login(client, email, password=PASSWORD, **extra):
    return client.post("/api/v1/auth/login", {"email": email, "password": password},
                       content_type="application/json", **extra)


def me(client, token):
    return client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def refresh(raw):
    """Present ``raw`` as the refresh cookie from a fresh client (no cookie jar carried over)."""
    client = Client()
    client.cookies[REFRESH_COOKIE] = raw
    return client.post("/api/v1/auth/refresh")


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(user, **overrides):
    now = int(timezone.now().timestamp())
    return {"sub": str(user.pk), "iat": now, "exp": now + 600, "typ": "access", "jti": "x", **overrides}


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["detail"] and body["type"].endswith(code)
    return body


# --- login ----------------------------------------------------------------------------------------

def test_login_returns_an_access_token_and_sets_an_httponly_refresh_cookie(client, user):
    response = login(client, user.email.upper())

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == int(settings.JWT_ACCESS_TTL.total_seconds())
    payload = jwt.decode(body["access_token"], settings.JWT_SIGNING_KEY, algorithms=["HS256"])
    assert (payload["sub"], payload["typ"]) == (str(user.pk), "access")
    cookie = response.cookies[REFRESH_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/api/v1/auth/" and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == int(settings.JWT_REFRESH_TTL.total_seconds())
    stored = RefreshToken.objects.get(user=user)
    assert stored.token_hash != cookie.value and len(stored.token_hash) == 64  # only the hash is kept


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_login_with_wrong_credentials_is_a_401_problem(client, user, password):
    response = login(client, user.email, password)
    status, code = (401, "invalid_credentials") if password else (422, "validation_error")
    assert_problem(response, status, code)
    assert REFRESH_COOKIE not in response.cookies
    assert not RefreshToken.objects.exists()


def test_login_of_an_unknown_or_inactive_account_is_refused_alike(client, user):
    inactive = UserFactory(is_active=False, password=make_password(PASSWORD))
    assert_problem(login(client, "nobody@example.org"), 401, "invalid_credentials")
    assert_problem(login(client, inactive.email), 401, "invalid_credentials")
    assert not RefreshToken.objects.exists()


def test_login_with_a_malformed_email_is_a_422_with_field_errors(client, db):
    body = assert_problem(login(client, "not-an-email"), 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["email"]


def test_five_failed_logins_lock_the_address_out_even_with_the_right_password(client, user):
    for _ in range(settings_limit()):
        assert_problem(login(client, user.email, "wrong-password"), 401, "invalid_credentials")

    refused = login(client, user.email, "wrong-password")
    body = assert_problem(refused, 429, "rate_limited")
    assert 0 < int(refused["Retry-After"]) == body["retry_after"] <= 15 * 60  # when the window ends
    assert (body["limit"], body["remaining"]) == (settings_limit(), 0)
    assert_problem(login(client, user.email), 429, "rate_limited")
    assert not RefreshToken.objects.exists()
    # The lock is per address and client: another client (address) still gets in.
    assert login(client, user.email, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_failures_below_the_limit_do_not_lock_a_correct_login(client, user):
    for _ in range(settings_limit() - 1):
        login(client, user.email, "wrong-password")
    assert login(client, user.email).status_code == 200


def settings_limit() -> int:
    return int(settings.LOGIN_FAILURE_LIMIT.split("/")[0])


# --- access tokens --------------------------------------------------------------------------------

def test_me_with_a_bearer_token_returns_the_caller(client, user):
    token = login(client, user.email).json()["access_token"]
    response = me(Client(), token)
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["email"]) == (user.pk, user.email)


def test_me_without_credentials_is_a_401_problem(client, db):
    response = client.get("/api/v1/auth/me")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@override_settings(JWT_ACCESS_TTL=timedelta(seconds=-1))
def test_an_expired_access_token_is_a_401_token_expired(client, user):
    token = login(client, user.email).json()["access_token"]
    assert_problem(me(client, token), 401, "token_expired")


def test_a_tampered_signature_is_refused(client, user):
    token = issue_access_token(user)[0]
    header, payload, signature = token.split(".")
    forged_signature = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert_problem(me(client, f"{header}.{payload}.{forged_signature}"), 401, "token_invalid")
    # A payload swapped for another user's id under the original signature fails too.
    forged_payload = b64(claims(user, sub=str(user.pk + 1)))
    assert_problem(me(client, f"{header}.{forged_payload}.{signature}"), 401, "token_invalid")


def test_a_token_signed_with_another_key_is_refused(client, user):
    token = jwt.encode(claims(user), "someone-elses-key-that-is-long-enough-for-hs256", algorithm="HS256")
    assert_problem(me(client, token), 401, "token_invalid")


def test_an_unsigned_alg_none_token_is_refused(client, user):
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims(user))}."
    assert_problem(me(client, token), 401, "token_invalid")


@pytest.mark.parametrize("change", [{"typ": "refresh"}, {"sub": "999999999"}])
def test_a_validly_signed_token_of_the_wrong_type_or_for_nobody_is_refused(client, user, change):
    token = jwt.encode(claims(user, **change), settings.JWT_SIGNING_KEY, algorithm="HS256")
    assert_problem(me(client, token), 401, "token_invalid")


def test_a_token_without_an_expiry_is_refused(client, user):
    payload = claims(user)
    del payload["exp"]
    token = jwt.encode(payload, settings.JWT_SIGNING_KEY, algorithm="HS256")
    assert_problem(me(client, token), 401, "token_invalid")


def test_an_access_token_stops_working_when_the_account_is_deactivated(client, user):
    token = login(client, user.email).json()["access_token"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_problem(me(client, token), 401, "token_invalid")


# --- refresh and logout ---------------------------------------------------------------------------

def test_refresh_rotates_the_cookie_and_issues_a_new_access_token(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value

    response = refresh(first)

    assert response.status_code == 200
    second = response.cookies[REFRESH_COOKIE]
    assert second.value != first and second["httponly"] and second["path"] == "/api/v1/auth/"
    assert me(client, response.json()["access_token"]).json()["id"] == user.pk
    tokens = RefreshToken.objects.filter(user=user).order_by("id")
    assert [t.used_at is not None for t in tokens] == [True, False]
    assert tokens[0].family == tokens[1].family


def _after_the_grace_window():
    """Age every rotation past JWT_REFRESH_GRACE, as if the spent token came back later."""
    RefreshToken.objects.filter(used_at__isnull=False).update(
        used_at=timezone.now() - settings.JWT_REFRESH_GRACE - timedelta(seconds=1))


def test_reusing_a_spent_refresh_token_revokes_the_whole_family(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value
    second = refresh(first).cookies[REFRESH_COOKIE].value
    other_login = login(Client(), user.email).cookies[REFRESH_COOKIE].value  # another session, another family
    _after_the_grace_window()

    assert_problem(refresh(first), 401, "refresh_reused")

    # The legitimate holder's newer token of the same family is dead too …
    assert_problem(refresh(second), 401, "refresh_revoked")
    assert not RefreshToken.objects.filter(user=user, family=RefreshToken.objects.earliest("id").family,
                                           revoked_at__isnull=True).exists()
    # … but a separate login is untouched.
    assert refresh(other_login).status_code == 200


def test_refresh_without_a_cookie_or_with_garbage_is_a_401(client, db):
    assert_problem(client.post("/api/v1/auth/refresh"), 401, "refresh_missing")
    assert_problem(refresh("not-a-token"), 401, "refresh_invalid")


def test_an_expired_refresh_token_is_refused(client, user):
    raw = login(client, user.email).cookies[REFRESH_COOKIE].value
    RefreshToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_problem(refresh(raw), 401, "refresh_expired")
    assert RefreshToken.objects.count() == 1


def test_logout_revokes_the_family_and_clears_the_cookie(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value
    second = refresh(first).cookies[REFRESH_COOKIE].value
    logout_client = Client()
    logout_client.cookies[REFRESH_COOKIE] = second

    response = logout_client.post("/api/v1/auth/logout")

    assert response.status_code == 204
    cleared = response.cookies[REFRESH_COOKIE]
    assert cleared.value == "" and cleared["path"] == "/api/v1/auth/" and cleared["max-age"] == 0
    assert not RefreshToken.objects.filter(revoked_at__isnull=True).exists()
    assert_problem(refresh(second), 401, "refresh_revoked")


# --- refreshing from several tabs: the grace window ------------------------------------------------

def _pair(response):
    assert response.status_code == 200, response.content
    return response.json()["access_token"], response.cookies[REFRESH_COOKIE].value


def test_the_same_cookie_refreshed_again_within_the_grace_window_gets_the_same_pair(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value

    answers = [_pair(refresh(first)) for _ in range(10)]  # ten tabs, one after another

    assert len(set(answers)) == 1
    access, second = answers[0]
    assert me(Client(), access).json()["id"] == user.pk
    tokens = RefreshToken.objects.filter(user=user).order_by("id")
    assert [(t.used_at is not None, t.revoked_at) for t in tokens] == [(True, None), (False, None)]
    # The shared successor is an ordinary token: it rotates on, and the family stays alive.
    third = _pair(refresh(second))[1]
    assert third not in (first, second)
    assert refresh(third).status_code == 200


def test_a_replay_in_the_grace_window_answers_the_access_token_of_the_first_answer(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value
    original = refresh(first)
    RefreshToken.objects.filter(used_at__isnull=False).update(used_at=timezone.now() - timedelta(seconds=10))
    replayed = refresh(first)
    # Issued at the rotation: the same claims, so the same token, with the seconds it has left.
    access = original.json()["access_token"]
    payload = jwt.decode(access, settings.JWT_SIGNING_KEY, algorithms=["HS256"])
    assert replayed.json()["access_token"] != access  # its iat moved with the aged rotation …
    replayed_payload = jwt.decode(replayed.json()["access_token"], settings.JWT_SIGNING_KEY, algorithms=["HS256"])
    assert replayed_payload["jti"] == payload["jti"] and replayed_payload["exp"] == payload["exp"] - 10
    assert replayed.json()["expires_in"] <= int(settings.JWT_ACCESS_TTL.total_seconds()) - 9  # … and what is left
    assert replayed.cookies[REFRESH_COOKIE].value == original.cookies[REFRESH_COOKIE].value


def test_reuse_after_the_grace_window_is_refused_and_revokes_the_family(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value
    second = _pair(refresh(first))[1]
    assert _pair(refresh(first))[1] == second  # in the window
    _after_the_grace_window()

    assert_problem(refresh(first), 401, "refresh_reused")

    assert not RefreshToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert_problem(refresh(second), 401, "refresh_revoked")


def test_the_grace_window_does_not_revive_a_logged_out_family(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value
    second = _pair(refresh(first))[1]
    logout_client = Client()
    logout_client.cookies[REFRESH_COOKIE] = second
    assert logout_client.post("/api/v1/auth/logout").status_code == 204

    assert_problem(refresh(first), 401, "refresh_reused")
    assert not RefreshToken.objects.filter(revoked_at__isnull=True).exists()


@override_settings(JWT_REFRESH_GRACE=timedelta(0))
def test_without_a_grace_window_any_second_use_is_a_reuse(client, user):
    first = login(client, user.email).cookies[REFRESH_COOKIE].value
    assert refresh(first).status_code == 200
    RefreshToken.objects.filter(used_at__isnull=False).update(used_at=timezone.now() + timedelta(seconds=1))
    assert_problem(refresh(first), 401, "refresh_reused")  # even at the very instant of the rotation


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads on separate connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_refreshes_with_one_cookie_all_get_the_same_pair(_fast_password_hashing):
    """Ten requests, each on its own thread and database connection, released at once: the row lock
    makes them queue; the first rotates and the nine others get its answer."""
    user = UserFactory(password=make_password(PASSWORD))
    first = login(Client(), user.email).cookies[REFRESH_COOKIE].value
    barrier = threading.Barrier(10)
    answers: list = [None] * 10

    def attempt(i):
        try:
            barrier.wait(timeout=30)
            response = refresh(first)
            answers[i] = (response.status_code, response.json().get("access_token") or response.json().get("code"),
                          response.cookies[REFRESH_COOKIE].value if REFRESH_COOKIE in response.cookies else None)
        except BaseException as exc:  # noqa: BLE001 - every outcome is gathered and asserted on
            answers[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not any(t.is_alive() for t in threads), "a refresh hung"
    assert [a[0] if isinstance(a, tuple) else a for a in answers] == [200] * 10, answers
    assert len(set(answers)) == 1, answers
    tokens = RefreshToken.objects.filter(user=user).order_by("id")
    assert [(t.used_at is not None, t.revoked_at) for t in tokens] == [(True, None), (False, None)]
