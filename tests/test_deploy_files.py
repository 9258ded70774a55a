"""docker-compose.yml cannot run here (no Docker engine), so read it and check its shape."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_stack(compose):
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(compose["services"])


@pytest.mark.parametrize("service", ["web", "worker", "postgres", "redis"])
def test_long_running_services_have_health_checks(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ["web", "worker", "beat", "migrate"])
def test_app_services_get_every_production_secret(compose, service):
    env = compose["services"][service]["environment"]
    assert env["DJANGO_ENV"] == "production"
    for name in ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]:
        assert env[name], name
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://redis:")


def test_worker_and_beat_run_celery_on_the_samen_app(compose):
    assert compose["services"]["worker"]["command"][:4] == ["celery", "-A", "samen", "worker"]
    assert compose["services"]["beat"]["command"][:4] == ["celery", "-A", "samen", "beat"]


def test_web_runs_gunicorn_after_migrations(compose):
    web = compose["services"]["web"]
    assert web["command"][0] == "gunicorn"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_dockerfile_collects_static_and_compiles_messages():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert "compilemessages" in dockerfile
    assert "npm ci" in dockerfile
