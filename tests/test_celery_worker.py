"""The production task path end to end: a real Celery worker process consumes a task from Redis and
stores its result in Redis. Redis unreachable: skipped locally, but FAILS when ``CI`` is set."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery

pytestmark = pytest.mark.redis

BROKER = os.environ.get("TEST_CELERY_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")
DEADLINE_SECONDS = 60


def redis_client():
    import redis

    client = redis.Redis.from_url(BROKER, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis is not reachable at {BROKER}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so the worker test must run, not skip)", pytrace=False)
        pytest.skip(reason)
    return client


@pytest.fixture
def worker(tmp_path):
    """A real worker process on a queue of its own; yields (queue, process, log path)."""
    redis = redis_client()
    queue = f"backline-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER,
           "DJANGO_SETTINGS_MODULE": "backline.config.settings"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CELERY), "-A", "backline.config", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
             "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield queue, process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        redis.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_ping_task_runs_on_a_real_worker_through_redis(worker):
    queue, process, log = worker
    # A client app of its own (not backline's, which the other tests keep eager): same broker and backend.
    client = Celery("backline-test-client", broker=BROKER, backend=BROKER)
    client.conf.update(task_always_eager=False, task_serializer="json", accept_content=["json"],
                       result_serializer="json")
    value = uuid.uuid4().hex
    result = client.send_task("backline.core.tasks.ping", args=[value], queue=queue)
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not result.ready():
            assert process.poll() is None, f"the worker exited ({process.returncode}):\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no result after {DEADLINE_SECONDS}s; worker log:\n{log.read_text()}"
            time.sleep(0.2)
        assert result.get(timeout=5) == f"pong:{value}"
        assert result.successful()
        assert "backline.core.tasks.ping" in log.read_text()  # the worker registered and ran our task
    finally:
        result.forget()
        client.close()
