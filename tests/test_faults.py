"""Faults survived (issue 8): Redis down, the database down, a task that did not reach the
broker. Redis is "down" by pointing at a port where nothing listens; the database by a
cursor that raises, as psycopg does when the server is gone."""

import datetime
import socket
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from participation.models import Match
from participation.requests.tasks import matches_notify_unsent
from samen import cache as samen_cache
from samen import jobs
from samen.celery import app as celery_app
from tests.factories import ConsentFactory, ExpertFactory, RequestFactory


def _closed_port() -> int:
    """A port on loopback where nothing listens (taken from the OS, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The cache and the broker point at a Redis that does not answer."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "samen.cache.FallbackRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = url
    samen_cache._down_until.clear()
    yield url
    samen_cache._down_until.clear()


@pytest.fixture
def broker_down(redis_down):
    """Celery sends to the Redis that does not answer, instead of running tasks eagerly."""
    from celery import current_app

    previous_app = current_app._get_current_object()
    celery_app.set_current()  # shared tasks send through the current app
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = redis_down
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    previous_app.set_current()


@pytest.fixture
def eager():
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


# Redis down ----------------------------------------------------------------------------------


def test_dashboard_answers_with_redis_down(coordinator_client, redis_down, settings):
    settings.SAMEN_DASHBOARD_CACHE_SECONDS = 60
    first = coordinator_client.get(reverse("coordinator:dashboard"))
    second = coordinator_client.get(reverse("coordinator:dashboard"))
    assert first.status_code == 200
    assert second.status_code == 200
    assert b"<h1" in second.content


def test_health_names_redis_as_down_and_still_answers_200(client, db, redis_down):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "degraded"
    assert report["parts"]["database"]["status"] == "ok"
    assert report["parts"]["cache"] == {"status": "down", "service": "redis"}
    assert report["parts"]["broker"] == {"status": "down", "service": "redis"}
    assert report["down"] == ["cache", "broker"]


def test_health_reports_redis_down_even_while_the_cache_answers_from_memory(client, db, redis_down):
    from django.core.cache import cache

    cache.set("still-works", 1)
    assert cache.get("still-works") == 1
    response = client.get(reverse("health"))
    assert response.json()["parts"]["cache"]["status"] == "down"


def test_health_is_ok_when_every_part_answers(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["down"] == []
    assert {part["status"] for part in report["parts"].values()} == {"ok"}


# The database down ---------------------------------------------------------------------------


def test_health_answers_503_when_the_database_is_down(client, db):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "down"
    assert report["parts"]["database"]["status"] == "down"
    assert "database" in report["down"]
    assert "server closed" not in response.content.decode()  # no details for the public


# A task that could not reach the broker -------------------------------------------------------


def test_enqueue_with_the_broker_down_logs_and_returns_false(broker_down, caplog):
    assert jobs.enqueue(matches_notify_unsent) is False
    assert "its sweep will send it later" in caplog.text


def test_proposing_with_the_broker_down_saves_and_the_sweep_mails_once_later(
    coordinator_client, broker_down, django_capture_on_commit_callbacks
):
    request = RequestFactory(title="Gastles hogeschool", role="education")
    expert = ExpertFactory(email="later@samen.test", availability_hours_per_month=Decimal("10"))
    ConsentFactory(expert=expert, purpose="participation")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("coordinator:match_propose", args=[request.pk]),
            {"experts": [expert.pk], "expectations": "Eén gastles.", "hours": "2"},
        )
    assert response.status_code == 302
    match = Match.objects.get(request=request, expert=expert)
    assert match.expert_notified_at is None
    assert mail.outbox == []

    # Redis is back (tasks run here); the sweep finds the match once it is a few minutes old.
    celery_app.conf.task_always_eager = True
    assert matches_notify_unsent.apply().get() == 0  # too fresh: its own task may still come
    Match.objects.filter(pk=match.pk).update(
        proposed_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert matches_notify_unsent.apply().get() == 1
    assert matches_notify_unsent.apply().get() == 0
    assert [message.to for message in mail.outbox] == [["later@samen.test"]]
    match.refresh_from_db()
    assert match.expert_notified_at is not None


# Restarts: PostgreSQL, a killed worker ---------------------------------------------------------

_PRINT_RESTART_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from samen.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "conn_max_age": db["CONN_MAX_AGE"],
    "conn_health_checks": db["CONN_HEALTH_CHECKS"],
    "acks_late": app.conf.task_acks_late,
    "reject_on_worker_lost": app.conf.task_reject_on_worker_lost,
    "visibility_timeout": app.conf.broker_transport_options["visibility_timeout"],
    "ignore_result": app.conf.task_ignore_result,
}))
"""


def test_production_checks_kept_connections_and_redelivers_tasks_of_a_killed_worker():
    import json

    from tests.test_settings import _production, _run

    result = _run(["-c", _PRINT_RESTART_SETTINGS], _production())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    # A connection kept across requests is tested first: after a PostgreSQL restart the next
    # request reconnects instead of failing.
    assert values["conn_max_age"] > 0
    assert values["conn_health_checks"] is True
    assert values["acks_late"] is True
    assert values["reject_on_worker_lost"] is True
    # Longer than the longest retry countdown of a mail task (retry_backoff_max, 600 s).
    assert values["visibility_timeout"] > 600
    assert values["ignore_result"] is True
