"""A real multi-process server for the concurrency tests: gunicorn (several workers, several threads
each, as docs/deployment.md recommends) on a loopback socket, against the test database (or any
``DATABASE_URL``, e.g. a SQLite file); and a volley of simultaneous HTTP requests at it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKERS, THREADS = 3, 4
START_TIMEOUT = 60  # seconds for the workers to answer
REQUEST_TIMEOUT = 60  # seconds for one request (they queue on row locks, never longer than that)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL (CI's PostgreSQL step runs these); SQLite serialises every "
           "write transaction (IMMEDIATE) and its test database lives in this process's memory, out of a server's reach "
           "(test_sqlite_holds.py runs the hold race on a SQLite file)")


def _database_url() -> str:
    """The test database (pytest-django's ``test_<name>``), as the server processes must see it."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


@dataclass
class Results:
    statuses: list[int] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(f"{s // 100}xx" if s != 409 else "409" for s in self.statuses)
        return {k: c.get(k, 0) for k in ("2xx", "409", "4xx", "5xx")}


def environment(database_url: str | None = None) -> dict[str, str]:
    """What a server (or a ``manage.py`` subprocess) needs to share this process's settings: the
    database (the current test database unless ``database_url`` is given) and the signing keys, so a
    token issued here or in a subprocess is valid on the server."""
    env = {**os.environ, "DATABASE_URL": database_url or _database_url(), "DB_CONN_MAX_AGE": "0",
           "SECRET_KEY": settings.SECRET_KEY, "JWT_SIGNING_KEY": settings.JWT_SIGNING_KEY, "DEBUG": "false",
           "DJANGO_SETTINGS_MODULE": "backline.config.settings", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    return env


def start(tmp_path: Path, *, database_url: str | None = None) -> Server:
    """Start gunicorn on a free loopback port (bound here, handed over as a file descriptor, so no
    other process can take it in between) against the current test database, or ``database_url``;
    wait until it answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.set_inheritable(True)
    port = listener.getsockname()[1]
    env = environment(database_url)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "backline.config.wsgi:application", "--bind", f"fd://{listener.fileno()}",
             "--workers", str(WORKERS), "--threads", str(THREADS), "--timeout", str(REQUEST_TIMEOUT),
             "--graceful-timeout", "10", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),),
            start_new_session=True)
    listener.close()
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        _wait_until_up(server)
    except BaseException:
        stop(server)
        raise
    return server


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{server.url}/api/v1/openapi.json", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT}s:\n{server.output()}")


def stop(server: Server) -> None:
    """SIGTERM (the arbiter stops its workers gracefully), then SIGKILL to its own process group."""
    process = server.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # graceful: the arbiter stops its workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the server's own process group only
            process.wait(timeout=10)


def fire(server: Server, requests: list[tuple[str, str, str, dict]], *, deadline: float = 120) -> Results:
    """Send every ``(method, path, token, body)`` at once (one thread each, released together by a
    barrier) and collect the answers. Bounded: each request times out, and so does the whole volley."""
    results = Results()
    barrier = threading.Barrier(len(requests))
    lock = threading.Lock()

    def send(method: str, path: str, token: str, body: dict) -> None:
        request = urllib.request.Request(f"{server.url}{path}", data=json.dumps(body).encode(), method=method,
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            barrier.wait(timeout=30)
            try:
                with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310 - loopback
                    status, payload = response.status, response.read()
            except urllib.error.HTTPError as answer:
                status, payload = answer.code, answer.read()
            try:
                parsed = json.loads(payload or b"{}")
            except ValueError:
                parsed = {"raw": payload[:500].decode(errors="replace")}
            with lock:
                results.statuses.append(status)
                results.bodies.append(parsed)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            with lock:
                results.errors.append(repr(exc))

    threads = [threading.Thread(target=send, args=r, daemon=True) for r in requests]
    for t in threads:
        t.start()
    end = time.monotonic() + deadline
    for t in threads:
        t.join(timeout=max(0.0, end - time.monotonic()))
    if any(t.is_alive() for t in threads):
        results.errors.append(f"the volley did not finish within {deadline}s")
    return results
