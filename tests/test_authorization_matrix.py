"""The authorisation matrix (ARCHITECTURE.md, house rule 5): every route the project serves, web and
API, enumerated from the URL resolver and the Ninja API, answers each kind of caller as the table in
tests/authz/table.py declares. A route the table does not know fails the build.

Web: anonymous → 302 to /accounts/login/?next=…; non-member → 404; member whose role lacks the
capability → 403; allowed → 200 (GET) or a 2xx/3xx (POST). API: anonymous → 401 problem+json;
non-member → 404; lacking the capability → 403; allowed → anything but 401/403/404. Which role holds
which capability comes from ``ROLE_CAPABILITIES`` alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, TestCase

from backline.accounts.models import Role
from backline.accounts.permissions import ROLE_CAPABILITIES
from backline.accounts.tokens import issue_access_token, issue_refresh_token
from backline.core.models import MailboxMessage
from tests.authz.routes import OBJECT_PARAMS, WORKSPACE_PARAMS, api_operations, web_routes
from tests.authz.table import (
    ADMIN_LOGOUT,
    ADMIN_PUBLIC,
    ALL_KINDS,
    ALLAUTH_LOGIN_REQUIRED,
    API,
    WEB,
    AssignedOrStaff,
    DevOnly,
    InviteeOnly,
    LoggedIn,
    Member,
    Own,
    Placeholder,
    Public,
    PublicPage,
    SecretLink,
    body_of,
    with_query,
)
from tests.authz.table_email import Webhook
from tests.authz.table_epk import PublishedPage
from tests.authz.world import ANONYMOUS, INVITEE, OUTSIDER, World, Worlds, callers, own_object, secret_token
from tests.factories import PASSWORD, UserFactory

WEB_ROUTES = web_routes()
API_OPERATIONS = api_operations()
API_PATHS = {op.path for op in API_OPERATIONS}

ALLOWED = "allowed"
LOGIN = "redirect to log in"
PROBLEM = "application/problem+json"


def _routes(group):
    return [r for r in WEB_ROUTES if r.group == group]


def _capable(rule: Member, who: str) -> bool:
    return rule.capability in ROLE_CAPABILITIES.get(who, frozenset())


def expected_for(rule: Member, who: str, *, api: bool):
    if who == ANONYMOUS:
        return 401 if api else LOGIN
    if who == OUTSIDER:
        return 404
    return ALLOWED if _capable(rule, who) and who not in rule.not_for else 403


class Matrix:
    """Sends the requests of one test and collects every mismatch, so a failure lists them all."""

    checks = 0  # over the whole run, for the summary line

    def __init__(self):
        self.failures: list[str] = []
        self._web_clients: dict[int | None, Client] = {}  # a logged-in session per person
        self._api_clients: dict[int | None, Client] = {}  # no session: a bearer token per person
        self._tokens: dict[int, str] = {}

    def _web_client(self, user) -> Client:
        key = user.pk if user else None
        if key not in self._web_clients:
            client = Client()
            if user is not None:
                client.force_login(user)
            self._web_clients[key] = client
        return self._web_clients[key]

    def _record(self, ok: bool, what: str, expected, response) -> None:
        Matrix.checks += 1
        if not ok:
            where = f" → {response['Location']}" if response.has_header("Location") else ""
            self.failures.append(f"{what}: expected {expected}, got {response.status_code}{where}")

    def web(self, method: str, url: str, expected, *, user, who: str, data: dict | None = None,
            meta: dict | None = None):
        client = self._web_client(user)
        response = client.get(url, **(meta or {})) if method == "GET" else client.generic(
            method, url, urlencode(data or {}), content_type="application/x-www-form-urlencoded", **(meta or {}))
        status, location = response.status_code, response.get("Location", "")
        if expected == LOGIN:
            ok = status == 302 and location == f"/accounts/login/?next={quote(url, safe='/')}"
        elif expected == ALLOWED:
            ok = status == 200 if method == "GET" else 200 <= status < 400 and not location.startswith("/accounts/login/")
        else:
            ok = status in (expected if isinstance(expected, tuple) else (expected,))
        self._record(ok, f"web {method} {url} as {who}", expected, response)
        return response

    def api(self, method: str, url: str, expected, *, user, who: str, body: dict | None = None):
        headers = {}
        if user is not None:
            if user.pk not in self._tokens:
                self._tokens[user.pk] = issue_access_token(user)[0]
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self._tokens[user.pk]}"
        payload = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        client = self._api_clients.setdefault(user.pk if user else None, Client())
        response = client.generic(method, url, **payload, **headers)
        status = response.status_code
        if expected == ALLOWED:
            ok = status not in (401, 403, 404) and status < 500
        else:
            statuses = expected if isinstance(expected, tuple) else (expected,)
            ok = status in statuses and response["Content-Type"].startswith(PROBLEM)
        self._record(ok, f"api {method} {url} as {who}", expected if expected == ALLOWED else f"{expected} {PROBLEM}",
                     response)
        return response

    def assert_clean(self) -> None:
        assert not self.failures, f"{len(self.failures)} authorisation mismatches:\n" + "\n".join(self.failures)


class _CountReport:
    """Adds the number of checks the matrix made to pytest's closing summary."""

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line(f"authorisation matrix: {Matrix.checks} route × caller checks")


@pytest.fixture(scope="module", autouse=True)
def _report_count(request):
    plugins = request.config.pluginmanager
    if not plugins.has_plugin("authz-matrix-count"):
        plugins.register(_CountReport(), "authz-matrix-count")


@pytest.fixture
def matrix():
    return Matrix()


@pytest.fixture(scope="module")
def shared_worlds(django_db_setup, django_db_blocker):
    """The module's worlds, built once inside an outer transaction that is rolled back at the end.
    Each test runs in a savepoint within it (pytest-django's ``db``), rolled back after the test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):  # events and emails, as in make_team
                built = Worlds()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(*sys.exc_info())
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def worlds(shared_worlds, db):
    return shared_worlds


# --- completeness: the table knows every route, and only real ones ---------------------------------

def test_every_web_route_has_a_declared_expectation():
    undeclared = [r.key for r in _routes("project") if r.key not in WEB]
    undeclared += [f"{r.route} (not an operation of the Ninja API)" for r in _routes("api-operation")
                   if r.api_path() not in API_PATHS]
    assert not undeclared, "Web routes with no entry in tests/authz/table.py WEB: " + ", ".join(undeclared)


def test_every_api_operation_has_a_declared_expectation():
    undeclared = [str(op) for op in API_OPERATIONS if op.key not in API]
    assert not undeclared, "API operations with no entry in tests/authz/table.py API: " + ", ".join(undeclared)


def test_the_table_declares_no_route_that_does_not_exist():
    names = {r.key for r in WEB_ROUTES}
    stale = sorted(set(WEB) - names) + sorted(ALLAUTH_LOGIN_REQUIRED - names) + sorted(ADMIN_PUBLIC - names)
    stale += [f"{m} {p}" for m, p in sorted(set(API) - {op.key for op in API_OPERATIONS})]
    assert not stale, "Declared but not served (remove or rename): " + ", ".join(stale)


def test_every_api_operation_has_a_url_pattern():
    patterns = {r.api_path() for r in _routes("api-operation")}
    assert not API_PATHS - patterns, f"Operations without a URL pattern: {sorted(API_PATHS - patterns)}"


# --- project web routes -----------------------------------------------------------------------------

def _web_member_matrix(matrix: Matrix, route, rule: Member, worlds: Worlds) -> None:
    data = body_of(rule)
    for kind in rule.kinds:
        home, elsewhere = worlds(kind), worlds(kind, "elsewhere")
        for method in rule.methods:
            for who, user in callers(home, elsewhere.owner):
                url = with_query(rule, route.url(**home.kwargs(route.params, fresh=rule.fresh)))
                matrix.web(method, url, expected_for(rule, who, api=False), user=user, who=f"{who} ({kind})", data=data)
        _foreign_objects(matrix, route, rule, home, elsewhere, api=False)
    _wrong_kinds(matrix, route, rule, worlds, api=False)


def _foreign_objects(matrix: Matrix, target, rule: Member, home: World, elsewhere: World, *, api: bool) -> None:
    """Another workspace's object named through this workspace's URL is 404, even for its owner."""
    for param in (p for p in target.params if p in OBJECT_PARAMS):
        url = with_query(rule, target.url(**home.kwargs(target.params, fresh=rule.fresh,
                                                        **{param: elsewhere.value(param)})))
        for method in rule.methods:
            send = matrix.api if api else matrix.web
            send(method, url, 404, user=home.owner, who=f"owner of {home.kind}, {param} of another workspace",
                 **({"body": body_of(rule)} if api else {"data": body_of(rule)}))


def _wrong_kinds(matrix: Matrix, target, rule: Member, worlds: Worlds, *, api: bool) -> None:
    """A kind-restricted route on a workspace of another kind: 404 for roles holding the capability
    (the rest are refused too, 403 or 404). Object ids come from a workspace of the right kind."""
    if not any(p in WORKSPACE_PARAMS for p in target.params) or set(rule.kinds) == set(ALL_KINDS):
        return
    right = worlds(rule.kinds[0])
    for kind in (k for k in ALL_KINDS if k not in rule.kinds):
        wrong = worlds(kind)
        for method in rule.methods:
            for who, user in wrong.people.items():
                overrides = {p: wrong.value(p) for p in target.params if p in WORKSPACE_PARAMS}
                url = with_query(rule, target.url(**right.kwargs(target.params, fresh=rule.fresh, **overrides)))
                expected = 404 if _capable(rule, who) else (403, 404)
                send = matrix.api if api else matrix.web
                send(method, url, expected, user=user, who=f"{who} of a workspace of kind {kind} (wrong kind)",
                     **({"body": body_of(rule)} if api else {"data": body_of(rule)}))


def _web_assigned_or_staff(matrix: Matrix, route, rule: AssignedOrStaff, worlds: Worlds) -> None:
    """Staff pass; everyone else in the workspace gets 404 until they are the performer on the gig."""
    from backline.artists.services import performer_link_user
    from backline.bookings import services as booking_services

    home, elsewhere = worlds("agency"), worlds("agency", "elsewhere")
    booking_services.offer_make(actor=home.owner, booking_id=home.value("booking_id"), deal_type="flat",
                                guarantee="500")  # a quote out: the stage from which performers see their gigs
    url = route.url(**home.kwargs(route.params))
    for who, user in callers(home, elsewhere.owner):
        expected = LOGIN if who == ANONYMOUS else ALLOWED if who != OUTSIDER and _capable(rule, who) else 404
        matrix.web("GET", url, expected, user=user, who=f"{who} (agency)")
    performer = home.people[Role.PERFORMER.value]
    performer_link_user(actor=home.owner, performer_id=home.value("performer_id"), user_id=performer.pk)
    matrix.web("GET", url, ALLOWED, user=performer, who="performer assigned to the gig")
    _foreign_objects(matrix, route, rule, home, elsewhere, api=False)
    _wrong_kinds(matrix, route, rule, worlds, api=False)


def _web_logged_in(matrix: Matrix, route, rule: LoggedIn, worlds: Worlds) -> None:
    home = worlds("agency")  # the kind with every role
    for method in rule.methods:
        for who, user in callers(home, UserFactory()):
            url = with_query(rule, route.url(**home.kwargs(route.params)))
            matrix.web(method, url, LOGIN if who == ANONYMOUS else ALLOWED, user=user, who=who, data=body_of(rule))


def _web_invitation_link(matrix: Matrix, route, rule: InviteeOnly, worlds: Worlds) -> None:
    home = worlds("agency")
    for method in rule.methods:
        for who, user in [*callers(home, UserFactory()), (INVITEE, None)]:
            token = home.value("token", fresh=True)  # answering spends it
            user = home.invitees[token] if who == INVITEE else user
            url = route.url(token=token)
            expected = LOGIN if who == ANONYMOUS else ALLOWED if method == "GET" or who == INVITEE else 403
            matrix.web(method, url, expected, user=user, who=who, data=body_of(rule))


def _own_callers(rule: Own):
    """(who, user, object id): the object's owner, another logged-in person, and anonymous."""
    owner, other = UserFactory(), UserFactory()
    for who, user in (("the object's owner", owner), ("another person", other), (ANONYMOUS, None)):
        yield who, user, own_object(rule.param, owner)  # a fresh object each time: some calls delete it


def _web_own(matrix: Matrix, route, rule: Own) -> None:
    for method in rule.methods:
        for who, user, object_id in _own_callers(rule):
            url = route.url(**{rule.param: object_id})
            expected = LOGIN if user is None else ALLOWED if who == "the object's owner" else 404
            matrix.web(method, url, expected, user=user, who=who, data=body_of(rule))


def _api_own(matrix: Matrix, op, rule: Own) -> None:
    for who, user, object_id in _own_callers(rule):
        url = op.url(**{rule.param: object_id})
        expected = 401 if user is None else ALLOWED if who == "the object's owner" else 404
        matrix.api(op.method, url, expected, user=user, who=who, body=body_of(rule))


def _secret_link(matrix: Matrix, url_for, rule: SecretLink, worlds: Worlds, *, api: bool) -> None:
    """A live token opens the page for anyone, anonymous included; a made-up one is 404."""
    live = secret_token(rule.maker, worlds("act"))
    for who, user in ((ANONYMOUS, None), ("logged in", UserFactory())):
        for token, expected in ((live, 200), ("no-such-token-0123456789", 404)):
            if api:
                response = Client().get(url_for(token=token))
                Matrix.checks += 1
                if response.status_code != expected:
                    matrix.failures.append(f"api GET {url_for(token=token)} as {who}: expected {expected}, "
                                           f"got {response.status_code}")
            else:
                matrix.web("GET", url_for(token=token), expected, user=user, who=who)


def _public_page(matrix: Matrix, url_for, rule: PublicPage, *, api: bool) -> None:
    """Public and unlisted pages open for anyone; a private one only for its team; an unknown address is 404."""
    from tests.authz.makers_stages import PAGE_MAKERS

    pages = PAGE_MAKERS[rule.maker]()
    call = matrix.api if api else matrix.web
    for who, user in ((ANONYMOUS, None), ("a stranger, logged in", UserFactory()), ("the team", pages["team"])):
        for visibility in ("public", "unlisted", "private"):
            expected = 200 if visibility != "private" or who == "the team" else 404
            call("GET", url_for(slug=pages[visibility]), ALLOWED if expected == 200 else 404, user=user,
                 who=f"{who} ({visibility} page)")
        call("GET", url_for(slug="no-such-page-anywhere"), 404, user=user, who=f"{who} (unknown address)")


def _web_dev_only(matrix: Matrix, route, rule: DevOnly, settings) -> None:
    somebody = UserFactory()
    if rule.gate == "DEV_MAILBOX_ENABLED":
        # On the developer's machine (loopback address and host) anyone reads it; a request from elsewhere
        # (the server listening on another address, or behind a proxy) needs staff.
        message = MailboxMessage.objects.create(subject="Hello", from_email="a@example.org", to="b@example.org", body="Hi")
        url = route.url(**({"message_id": message.pk} if route.params else {}))
        staff = UserFactory(is_staff=True)
        local, remote = {"HTTP_HOST": "localhost:8000"}, {"REMOTE_ADDR": "192.0.2.10", "HTTP_HOST": "testserver"}
        settings.DEV_MAILBOX_ENABLED = True
        for who, user, from_elsewhere in ((ANONYMOUS, None, LOGIN), ("logged in", somebody, 404), ("staff", staff, 200)):
            matrix.web("GET", url, 200, user=user, who=f"{who} on loopback", meta=local)
            matrix.web("GET", url, from_elsewhere, user=user, who=f"{who} from elsewhere", meta=remote)
        settings.DEV_MAILBOX_ENABLED = False
        for who, user in ((ANONYMOUS, None), ("logged in", somebody), ("staff", staff)):
            for where, meta in (("on loopback", local), ("from elsewhere", remote)):
                matrix.web("GET", url, 404, user=user, who=f"{who} {where}, DEV_MAILBOX_ENABLED=False", meta=meta)
    elif rule.gate == "PRODUCTION":  # installed outside production only (see the production test below)
        media_root = Path(django_settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        file = media_root / f"authz-matrix-{uuid.uuid4().hex}.txt"
        file.write_text("public in development")
        try:
            for who, user in ((ANONYMOUS, None), ("logged in", somebody)):
                matrix.web("GET", route.url(path=file.name), 200, user=user, who=who)
        finally:
            file.unlink()
    else:
        pytest.fail(f"{route.key}: unknown gate {rule.gate!r}")


def _web_webhook(matrix: Matrix, route, rule: Webhook, settings) -> None:
    """An email provider's webhook: forged or unsigned → 401 for anonymous and logged-in callers alike;
    signed with the provider's key → 200; GET → 405."""
    url = route.url(**rule.configure(settings))
    for who, user in ((ANONYMOUS, None), ("logged in", UserFactory())):
        client = matrix._web_client(user)
        for label, body, content_type, expected in rule.calls():
            response = client.generic("POST", url, body, content_type=content_type)
            matrix._record(response.status_code == expected, f"web POST {url} as {who}, {label}", expected, response)
        matrix.web("GET", url, 405, user=user, who=who)


def _published_page(matrix: Matrix, url_for, rule: PublishedPage, worlds: Worlds, *, api: bool) -> None:
    """An act's press kit at each visibility: public and unlisted answer everyone; private is 404 for
    everyone but the act's members (and, where ``members_see`` is off, for them too)."""
    from django.core.cache import cache

    from backline.artists import epk
    from backline.artists.epk_models import PressKit

    home = worlds("act")
    epk.press_kit_save(actor=home.owner, workspace_id=home.workspace.pk, fields={"booking_email": "b@example.org"})
    stranger = UserFactory()
    who_all = [(ANONYMOUS, None), ("logged in", stranger), *((f"act {role}", u) for role, u in home.people.items())]
    for visibility in ("public", "unlisted", "private"):
        PressKit.objects.filter(act__workspace=home.workspace).update(visibility=visibility)
        for who, user in who_all:
            cache.clear()  # the date request's limit per address
            member = who.startswith("act ")
            hidden = visibility == "private" and not (member and rule.members_see)
            url = url_for(slug=home.workspace.slug)
            for method in rule.methods:
                label = f"{who}, {visibility} press kit"
                if api:
                    matrix.api(method, url, 404 if hidden else ALLOWED, user=user, who=label)
                else:
                    matrix.web(method, url, 404 if hidden else rule.ok, user=user, who=label, data=rule.body)
    cache.clear()
    missing = url_for(slug="no-such-act-page")
    if api:
        matrix.api(rule.methods[0], missing, 404, user=None, who=f"{ANONYMOUS}, no such act")
    else:
        matrix.web(rule.methods[0], missing, 404, user=None, who=f"{ANONYMOUS}, no such act", data=rule.body)


@pytest.mark.parametrize("route", _routes("project"), ids=lambda r: r.key)
def test_web_route_answers_every_caller_as_declared(route, matrix, worlds, settings):
    rule = WEB.get(route.key)
    if rule is None:
        pytest.fail(f"Web route {route.key} ({route.route}) has no declared expectation in tests/authz/table.py")
    if isinstance(rule, Member):
        _web_member_matrix(matrix, route, rule, worlds)
    elif isinstance(rule, AssignedOrStaff):
        _web_assigned_or_staff(matrix, route, rule, worlds)
    elif isinstance(rule, LoggedIn):
        _web_logged_in(matrix, route, rule, worlds)
    elif isinstance(rule, InviteeOnly):
        _web_invitation_link(matrix, route, rule, worlds)
    elif isinstance(rule, Own):
        _web_own(matrix, route, rule)
    elif isinstance(rule, SecretLink):
        _secret_link(matrix, lambda **kw: route.url(**kw), rule, worlds, api=False)
    elif isinstance(rule, PublicPage):
        _public_page(matrix, lambda **kw: route.url(**kw), rule, api=False)
    elif isinstance(rule, DevOnly):
        _web_dev_only(matrix, route, rule, settings)
    elif isinstance(rule, Webhook):
        _web_webhook(matrix, route, rule, settings)
    elif isinstance(rule, PublishedPage):
        _published_page(matrix, lambda **kw: route.url(**kw), rule, worlds, api=False)
    elif isinstance(rule, (Public, Placeholder)):
        anonymous_status = 404 if isinstance(rule, Placeholder) else rule.status
        matrix.web("GET", route.url(), anonymous_status, user=None, who=ANONYMOUS)
        response = matrix.web("GET", route.url(), (404,) if isinstance(rule, Placeholder) else (200, 302),
                              user=UserFactory(), who="logged in")
        assert not response.get("Location", "").startswith("/accounts/login/"), route.key
    else:
        pytest.fail(f"{route.key}: unknown rule {rule!r}")
    matrix.assert_clean()


def test_dev_only_routes_are_closed_in_production():
    """With BACKLINE_ENV=production (and no mail server configured), the development mailbox is off
    and uploaded files are not served by Django."""
    env = {**os.environ, "BACKLINE_ENV": "production", "SECRET_KEY": "p" * 50, "ALLOWED_HOSTS": "backline.example",
           "EMAIL_URL": "mailbox:", "DJANGO_SETTINGS_MODULE": "backline.config.settings"}
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings; from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/media/avatars/x.png'); media = True\nexcept Resolver404:\n    media = False\n"
        "print(json.dumps({'mailbox': settings.DEV_MAILBOX_ENABLED, 'media': media}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=django_settings.BASE_DIR, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"mailbox": False, "media": False}


# --- third-party groups -------------------------------------------------------------------------------

@pytest.mark.parametrize("route", _routes("allauth"), ids=lambda r: r.key)
def test_allauth_route_is_public_or_sends_anonymous_visitors_to_log_in(route, db, matrix):
    url = route.generic_url()
    if route.key in ALLAUTH_LOGIN_REQUIRED:
        matrix.web("GET", url, LOGIN, user=None, who=ANONYMOUS)
        matrix.web("GET", url, (200, 302), user=UserFactory(), who="logged in")
    else:
        response = matrix.web("GET", url, (200, 301, 302), user=None, who=f"{ANONYMOUS} (public or login flow)")
        assert "next=" not in response.get("Location", ""), f"{route.key} sends anonymous visitors to log in"
    matrix.assert_clean()


@pytest.mark.parametrize("route", _routes("admin"), ids=lambda r: r.key)
def test_admin_route_is_for_staff_only(route, db, matrix):
    url = route.generic_url()
    non_staff, staff = UserFactory(), UserFactory(is_staff=True, is_superuser=True)
    if route.key in ADMIN_PUBLIC:
        for who, user in ((ANONYMOUS, None), ("non-staff", non_staff)):
            matrix.web("GET", url, 200, user=user, who=who)
        matrix.assert_clean()
        return
    for who, user in ((ANONYMOUS, None), ("non-staff", non_staff)):
        response = matrix.web("GET", url, 302, user=user, who=who)
        target = "/admin/" if route.key == ADMIN_LOGOUT else f"/admin/login/?next={quote(url, safe='/')}"
        assert response["Location"] == target, f"{route.key} as {who}: sent to {response['Location']}"
    if route.key != ADMIN_LOGOUT:  # a GET does not log staff out (POST only); nothing more to see
        response = matrix.web("GET", url, (200, 302, 403, 404), user=staff, who="staff")
        assert not response.get("Location", "").startswith("/admin/login/"), f"{route.key}: staff sent to log in"
    matrix.assert_clean()


# --- API operations -----------------------------------------------------------------------------------

def _api_member_matrix(matrix: Matrix, op, rule: Member, worlds: Worlds) -> None:
    for kind in rule.kinds:
        home, elsewhere = worlds(kind), worlds(kind, "elsewhere")
        for who, user in callers(home, elsewhere.owner):
            url = with_query(rule, op.url(**home.kwargs(op.params, fresh=rule.fresh)))
            matrix.api(op.method, url, expected_for(rule, who, api=True), user=user, who=f"{who} ({kind})",
                       body=body_of(rule))
        _anonymous_with_an_empty_body(matrix, op, op.url(**home.kwargs(op.params, fresh=rule.fresh)))
        _foreign_objects(matrix, op, _one_method(rule, op), home, elsewhere, api=True)
    _wrong_kinds(matrix, op, _one_method(rule, op), worlds, api=True)


def _anonymous_with_an_empty_body(matrix: Matrix, op, url: str) -> None:
    """Authentication comes before validation: an anonymous write with an empty body is 401, not 422."""
    if op.method != "GET":
        matrix.api(op.method, url, 401, user=None, who=f"{ANONYMOUS}, empty JSON body", body={})


def _one_method(rule: Member, op) -> Member:
    return replace(rule, methods=(op.method,))


def _api_public(op, rule: Public) -> None:
    user, client = UserFactory(), Client()
    if op.path.endswith("/auth/login"):
        response = client.post(op.path, {"email": user.email, "password": PASSWORD}, content_type="application/json")
    elif op.path.endswith("/auth/refresh"):
        client.cookies["backline_refresh"] = issue_refresh_token(user)
        response = client.post(op.path)
    elif op.path.endswith("/auth/logout"):
        response = client.post(op.path)
    else:
        pytest.fail(f"{op}: say in this test how an anonymous caller uses it")
    Matrix.checks += 1
    assert response.status_code == rule.status, f"{op} as {ANONYMOUS}: {response.status_code} {response.content[:200]}"


@pytest.mark.parametrize("op", API_OPERATIONS, ids=str)
def test_api_operation_answers_every_caller_as_declared(op, matrix, worlds):
    rule = API.get(op.key)
    if rule is None:
        pytest.fail(f"API operation {op} has no declared expectation in tests/authz/table.py")
    if isinstance(rule, Member):
        _api_member_matrix(matrix, op, rule, worlds)
    elif isinstance(rule, LoggedIn):
        home = worlds("agency")
        url = op.url(**home.kwargs(op.params))  # a path naming no object (a notification type) comes from the world
        for who, user in callers(home, UserFactory()):
            matrix.api(op.method, with_query(rule, url), 401 if who == ANONYMOUS else ALLOWED, user=user, who=who,
                       body=body_of(rule))
        _anonymous_with_an_empty_body(matrix, op, url)
    elif isinstance(rule, Own):
        _api_own(matrix, op, rule)
    elif isinstance(rule, SecretLink):
        _secret_link(matrix, op.url, rule, worlds, api=True)
    elif isinstance(rule, PublicPage):
        _public_page(matrix, op.url, rule, api=True)
    elif isinstance(rule, InviteeOnly):
        home = worlds("agency")
        for who, user in [*callers(home, UserFactory()), (INVITEE, None)]:
            token = home.value("token", fresh=True)
            user = home.invitees[token] if who == INVITEE else user
            expected = 401 if who == ANONYMOUS else ALLOWED if who == INVITEE else 403
            matrix.api(op.method, op.url(token=token), expected, user=user, who=who)
    elif isinstance(rule, PublishedPage):
        _published_page(matrix, op.url, rule, worlds, api=True)
    elif isinstance(rule, Public):
        _api_public(op, rule)
    else:
        pytest.fail(f"{op}: unknown rule {rule!r}")
    matrix.assert_clean()


def test_a_forged_bearer_token_is_answered_401_problem(db):
    """The API's anonymous answer also covers callers whose credentials are not valid."""
    owner = UserFactory()
    for token in ("not-a-jwt", issue_access_token(owner)[0] + "x"):
        response = Client().get("/api/v1/workspaces", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401 and response["Content-Type"].startswith(PROBLEM), response.content


def test_the_role_table_covers_every_role():
    """Every role has a capability set, so no role silently falls back to 'nothing allowed'."""
    assert set(ROLE_CAPABILITIES) == set(Role.values)
