"""Without a shared cache, rate limits and sessions are per web worker: ``check --deploy`` says so."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from backline.core.checks import sessions_not_in_a_per_process_cache, shared_cache_for_rate_limits

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/5"}}
PRODUCTION = {"BACKLINE_ENV": "production", "SECRET_KEY": "ci-check-deploy-0123456789abcdefghijklmnopqrstuvwxyz",
              "ALLOWED_HOSTS": "backline.example.org", "EMAIL_URL": "smtp://mail.example.org:587/?tls=True",
              "DJANGO_SETTINGS_MODULE": "backline.config.settings"}


def _check_deploy(**overrides):
    """``make check-deploy``'s command in a fresh interpreter; ``None`` removes a variable."""
    # What the test process set for itself (DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests, …) is not the deployment's.
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL") and not k.startswith("DJANGO_")}
    env.update(PRODUCTION)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env,
                          cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)


def test_check_deploy_with_production_settings_fails_without_a_shared_cache():
    done = _check_deploy(REDIS_URL=None)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "backline.E001" in done.stderr and "REDIS_URL" in done.stderr, done.stderr


def test_check_deploy_with_production_settings_passes_with_redis():
    done = _check_deploy(REDIS_URL="redis://127.0.0.1:6379/5")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize("backend", ["locmem.LocMemCache", "dummy.DummyCache"])
def test_a_per_process_cache_for_rate_limits_is_an_error(settings, backend):
    settings.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}"}}
    [error] = shared_cache_for_rate_limits()
    assert error.id == "backline.E001" and "REDIS_URL" in error.hint


def test_a_shared_cache_for_rate_limits_passes(settings):
    settings.CACHES = REDIS
    assert shared_cache_for_rate_limits() == []


def test_sessions_are_never_read_from_a_per_process_cache(settings):
    settings.CACHES = LOCMEM
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    [error] = sessions_not_in_a_per_process_cache()
    assert error.id == "backline.E002"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert sessions_not_in_a_per_process_cache() == []
    settings.CACHES, settings.SESSION_ENGINE = REDIS, "django.contrib.sessions.backends.cached_db"
    assert sessions_not_in_a_per_process_cache() == []


def test_the_configured_sessions_pass_the_check():
    """Whatever the environment (REDIS_URL or not), settings.py picks a session engine that passes."""
    assert sessions_not_in_a_per_process_cache() == []
