"""A real Celery worker, started as a subprocess, takes a task from Redis and does its work in the
test database. Nothing runs eagerly here: the task goes through the broker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.db import connection

from participation.models import Match
from tests.factories import ExpertFactory, MatchFactory

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("SAMEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis at {url} does not answer: {error}"
        if os.environ.get("SAMEN_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    finally:
        client.close()
    return url


def _database_url() -> str:
    """The test database as a URL, so the worker writes where this test reads."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def _stop(worker: subprocess.Popen) -> None:
    """Warm shutdown first (SIGTERM), so the worker closes its broker and database connections."""
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def _forget(url: str, queue: str, task_id: str | None) -> None:
    """Leave no queue or stored result behind in the shared Redis database."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.delete(
            queue,
            f"_kombu.binding.{queue}",
            f"_kombu.binding_permanent.{queue}",
            f"celery-task-meta-{task_id}",
        )
    finally:
        client.close()


def test_worker_takes_a_task_from_redis_and_informs_the_expert(
    transactional_db, redis_url, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("A worker process cannot share an SQLite test database.")
    match = MatchFactory(
        expert=ExpertFactory(consent_to_take_part=True, email="worker-test@samen.test")
    )
    queue = f"samen-test-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        # pytest-django exports the module; settings.SETTINGS_MODULE is None under overrides.
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "DJANGO_ENV": "development",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # django-environ drops the first slash of the path: four slashes for an absolute one.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "samen",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=INFO",
        f"--hostname={queue}@%h",
    ]

    def worker_log() -> str:
        return log_path.read_text(errors="replace") if log_path.exists() else ""

    # Not the current app: tasks of later tests in this process must still go to Samen's app.
    sender = Celery("samen-test-sender", broker=redis_url, set_as_current=False)
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        task_id = None
        try:
            task_id = sender.send_task(
                "participation.requests.tasks.match_notify_expert", args=[match.pk], queue=queue
            ).id
            notified_at = None
            deadline = time.monotonic() + WAIT_SECONDS
            while notified_at is None and time.monotonic() < deadline:
                if worker.poll() is not None:
                    pytest.fail(f"The worker stopped (exit {worker.returncode}):\n{worker_log()}")
                time.sleep(0.5)
                notified_at = (
                    Match.objects.filter(pk=match.pk)
                    .values_list("expert_notified_at", flat=True)
                    .get()
                )
            assert notified_at is not None, (
                f"The worker did not inform the expert within {WAIT_SECONDS} s:\n{worker_log()}"
            )
            # Running eagerly would not write here: the mail came from the worker's settings.
            sent = [path.read_text() for path in mail_dir.glob("*.log")]
            assert len(sent) == 1, f"Expected one mail, found {len(sent)}:\n{worker_log()}"
            assert "worker-test@samen.test" in sent[0]
        finally:
            _stop(worker)
            sender.close()
            _forget(redis_url, queue, task_id)
