"""The gunicorn fixtures of the concurrency tests (see ``server``)."""

import pytest

from . import server as live


@pytest.fixture
def gunicorn(tmp_path):
    """``start(database_url=...)`` → a running ``live.Server`` against that database (the test
    database by default); every server started is stopped at teardown, whatever the test did."""
    started: list[live.Server] = []

    def start(**options) -> live.Server:
        server = live.start(tmp_path, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        live.stop(server)


@pytest.fixture
def live_server_gunicorn(transactional_db, gunicorn):
    """``start()`` → a running ``live.Server`` against the test database. Call it once the test's data
    is committed (these tests are transactional)."""
    return gunicorn
