"""docker-compose.yml cannot run here (no Docker engine), so read it and check its shape."""

import ipaddress
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_stack(compose):
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(compose["services"])


@pytest.mark.parametrize("service", ["proxy", "web", "worker", "postgres", "redis"])
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


# The TLS proxy in front of gunicorn -------------------------------------------------------------


@pytest.fixture(scope="module")
def caddyfile() -> str:
    return (ROOT / "deploy" / "Caddyfile").read_text()


def _published(service: dict) -> set[str]:
    """The host side of each published port, as "80", "443", ..."""
    ports = set()
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            ports.add(str(entry["published"]))
        else:
            # "443:443/udp", "127.0.0.1:8000:8000": the container port is the last part.
            ports.add(str(entry).split("/")[0].split(":")[-2])
    return ports


def test_only_the_proxy_publishes_ports(compose):
    services = compose["services"]
    assert {"80", "443"} <= _published(services["proxy"])
    for name, service in services.items():
        if name != "proxy":
            assert not service.get("ports"), f"{name} publishes {service['ports']}"


def test_web_has_no_published_port_and_shares_only_the_edge_network_with_the_proxy(compose):
    services = compose["services"]
    assert "ports" not in services["web"]
    assert services["proxy"]["networks"] == ["edge"]
    on_edge = {name for name, s in services.items() if "edge" in s.get("networks", [])}
    assert on_edge == {"proxy", "web"}


def test_gunicorn_takes_forwarded_headers_only_from_the_edge_network(compose):
    command = compose["services"]["web"]["command"]
    allowed = next(a.split("=", 1)[1] for a in command if a.startswith("--forwarded-allow-ips="))
    subnet = compose["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert allowed == subnet
    # "${SAMEN_EDGE_SUBNET:-172.30.80.0/24}": the default is a private range.
    default = re.fullmatch(r"\$\{SAMEN_EDGE_SUBNET:-(.+)\}", subnet).group(1)
    assert ipaddress.ip_network(default).is_private


def test_the_proxy_runs_the_caddyfile_and_keeps_its_certificates(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("caddy:2")
    volumes = proxy["volumes"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in volumes
    assert any(v.endswith(":/data") for v in volumes)
    assert proxy["environment"]["SAMEN_DOMAIN"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_caddyfile_proxies_to_gunicorn_with_a_body_limit_and_timeouts(caddyfile):
    assert "{$SAMEN_DOMAIN:localhost} {" in caddyfile
    assert "reverse_proxy web:8000" in caddyfile
    max_size = re.search(r"max_size (\d+)MB", caddyfile)
    assert max_size, "request_body max_size is missing"
    # The import's own limit is reached before the proxy's, so its Dutch message is shown.
    assert int(max_size.group(1)) * 1000 * 1000 > settings.SAMEN_IMPORT_MAX_BYTES
    for directive in ("read_header", "read_body", "idle", "request_buffers"):
        assert re.search(rf"^\s*{directive} \S+", caddyfile, re.MULTILINE), directive


def test_worker_and_beat_services_exist_and_stay_off_the_edge(compose):
    services = compose["services"]
    for name in ("worker", "beat"):
        assert name in services
        assert services[name]["networks"] == ["backend"]
