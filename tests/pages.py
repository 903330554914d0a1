"""Helpers for tests of web pages: workspace URLs and query counts that must not grow with the rows."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def url(workspace, rest=""):
    return f"/w/{workspace.slug}/{rest}"


def count_queries(client, path, **extra) -> int:
    client.get(path, **extra)  # warm up: the first visit remembers the workspace in the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **extra)
    assert response.status_code == 200, path
    return len(ctx)


def session_queries() -> int:
    """Queries a logged-in request spends reading its session: one without a shared cache (sessions are
    then read from the database on every request, so a logout holds on every worker), none with Redis
    (read through the cache). Budgets are the page's own queries; this is added to them."""
    return 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0


def assert_constant_queries(client, budgets: dict[str, int], add_rows, assert_max):
    """Each page's query count is the same with few and many rows, and within its budget
    (plus the session's read, see ``session_queries``)."""
    few = {path: count_queries(client, path) for path in budgets}
    add_rows()
    many = {path: count_queries(client, path) for path in budgets}
    assert many == few, f"query counts with few rows {few}, with many {many} (an N+1?)"
    for path, budget in budgets.items():
        with assert_max(budget + session_queries()):
            assert client.get(path).status_code == 200


# The shell's fixed cost on every full page of a logged-in person (docs/benchmarks.md, "Query budgets"):
# the person, their memberships (the workspace switcher and the access check share the read) and the
# notification bell's unread count. The session's read comes on top (``session_queries``).
SHELL_QUERIES = 3
