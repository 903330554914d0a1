"""Sessions behave the same whichever web worker serves a request: logging out on one worker ends the
session on every other one. Each worker process has its own local-memory cache (when REDIS_URL is unset);
here two cache instances stand for two workers' processes."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def on_worker(settings):
    """``on_worker(name)``: the next requests are served by worker ``name``: with the configured
    local-memory cache, a cache of its own; with a shared cache (Redis), the same one for all."""
    configured = dict(django_settings.CACHES["default"])

    def switch(name: str):
        if configured["BACKEND"] == LOCMEM:
            settings.CACHES = {"default": {**configured, "LOCATION": f"worker-{name}"}}
        else:
            settings.CACHES = {"default": configured}

    return switch


def test_a_session_logged_out_on_one_worker_is_refused_on_another(db, on_worker):
    user = UserFactory()
    client = Client()
    page = reverse("profile")
    on_worker("a")
    client.force_login(user)
    assert client.get(page).status_code == 200
    on_worker("b")
    assert client.get(page).status_code == 200  # worker b has read the session too
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    on_worker("a")
    assert client.post(reverse("account_logout")).status_code == 302

    on_worker("b")
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = cookie  # the old cookie (another tab, or a copy)
    response = replay.get(page)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
