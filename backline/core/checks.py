"""System checks Backline adds to ``manage.py check`` (``--deploy`` for the production ones).

Rate limits (failed logins on the web and the API, sign-ups, outreach) count in the Django cache, and
sessions may be read through it. A local-memory cache lives inside one process: with several web
workers each keeps its own counters (the limits multiply by the number of workers) and its own copy of
a session (a session logged out on one worker still works on another).
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Cache backends whose data lives inside one process (or nowhere): never shared between web workers.
PER_PROCESS_CACHES = frozenset({
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
})
SESSION_ENGINES_ON_CACHE = frozenset({
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
})


def _per_process(alias: str) -> bool:
    return settings.CACHES.get(alias, {}).get("BACKEND") in PER_PROCESS_CACHES


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_for_rate_limits(app_configs=None, **kwargs):
    """``check --deploy`` fails (backline.E001) while rate limits count in a per-process cache."""
    aliases = sorted({"default", getattr(settings, "RATELIMIT_USE_CACHE", "default")})
    return [
        Error(f"The {alias!r} cache ({settings.CACHES.get(alias, {}).get('BACKEND')}) lives inside one process: "
              "with several web workers every rate limit (failed logins, sign-ups, outreach) multiplies by "
              "the number of workers.",
              hint="Set REDIS_URL to a Redis server shared by every web worker (e.g. redis://redis:6379/0).",
              id="backline.E001")
        for alias in aliases if _per_process(alias)
    ]


@register(Tags.caches, Tags.security)
def sessions_not_in_a_per_process_cache(app_configs=None, **kwargs):
    """In every configuration (backline.E002): sessions are never served from a per-process cache,
    where a session logged out on one worker would still work on another."""
    if settings.SESSION_ENGINE in SESSION_ENGINES_ON_CACHE and _per_process(settings.SESSION_CACHE_ALIAS):
        return [Error(f"SESSION_ENGINE {settings.SESSION_ENGINE!r} reads sessions through the per-process "
                      f"{settings.SESSION_CACHE_ALIAS!r} cache: a session logged out on one web worker would "
                      "still work on another.",
                      hint="Use django.contrib.sessions.backends.db, or a shared cache (REDIS_URL).",
                      id="backline.E002")]
    return []
