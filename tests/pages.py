"""Helpers for tests of web pages: workspace URLs and query counts that must not grow with the rows."""

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


def assert_constant_queries(client, budgets: dict[str, int], add_rows, assert_max):
    """Each page's query count is the same with few and many rows, and within its budget."""
    few = {path: count_queries(client, path) for path in budgets}
    add_rows()
    many = {path: count_queries(client, path) for path in budgets}
    assert many == few, f"query counts with few rows {few}, with many {many} (an N+1?)"
    for path, budget in budgets.items():
        with assert_max(budget):
            assert client.get(path).status_code == 200
