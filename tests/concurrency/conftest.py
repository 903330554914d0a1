"""The gunicorn fixture of the concurrency tests (see ``server``)."""

import pytest

from . import server as live


@pytest.fixture
def live_server_gunicorn(transactional_db, tmp_path):
    """``start()`` → a running ``live.Server`` against the test database. Call it once the test's data
    is committed (these tests are transactional); every server started is stopped at teardown."""
    started: list[live.Server] = []

    def start() -> live.Server:
        server = live.start(tmp_path)
        started.append(server)
        return server

    yield start
    for server in started:
        live.stop(server)
