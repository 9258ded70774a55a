"""Settings come from the environment: a safe local default, a production mode that demands its
secrets and passes ``check --deploy``, Dutch first, and strict security headers.

Settings are read once per process, so each environment is tried in a fresh Python process."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.urls import reverse

BASE_DIR = settings.BASE_DIR
REQUIRED_IN_PRODUCTION = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")

# Variables from the test run itself that would leak into the child process's settings.
_OUR_PREFIXES = ("DJANGO_", "SAMEN_", "CELERY_")
_OUR_NAMES = {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL"}

_PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from samen.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "celery_eager": app.conf.task_always_eager,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "require_mfa": settings.SAMEN_REQUIRE_MFA,
    "session_cookie_secure": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "csrf_cookie_secure": getattr(settings, "CSRF_COOKIE_SECURE", False),
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def _secret_key() -> str:
    # django-environ treats a value that starts with "$" as a reference to another variable;
    # see test_production_accepts_a_secret_key_starting_with_a_dollar.
    key = get_random_secret_key()
    while key.startswith("$"):
        key = get_random_secret_key()
    assert len(key) == 50
    return key


def _environment(**variables: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_OUR_PREFIXES) and name not in _OUR_NAMES
    }
    env["DJANGO_SETTINGS_MODULE"] = "samen.settings"
    env.update(variables)
    return env


def _production(**overrides: str) -> dict[str, str]:
    variables = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": _secret_key(),
        "DJANGO_ALLOWED_HOSTS": "samen.example.org",
        "DATABASE_URL": "postgres://samen:geheim@db:5432/samen",
        "REDIS_URL": "redis://redis:6379/0",
    } | overrides
    return _environment(**variables)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def _settings_in(env: dict[str, str]) -> dict:
    result = _run(["-c", _PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_the_deploy_check():
    result = _deploy_check(_production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = _production()
    del env[missing]
    result = _deploy_check(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_an_empty_secret_key():
    result = _deploy_check(_production(DJANGO_SECRET_KEY=""))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_accepts_a_secret_key_starting_with_a_dollar():
    key = "$" + _secret_key()[1:]
    result = _deploy_check(_production(DJANGO_SECRET_KEY=key))
    assert result.returncode == 0, result.stderr


def test_production_hardens_cookies_and_requires_mfa():
    values = _settings_in(_production())
    assert values["debug"] is False
    assert values["session_cookie_secure"] is True
    assert values["csrf_cookie_secure"] is True
    assert values["hsts"] >= 31536000
    assert values["require_mfa"] is True
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False


def test_production_serves_static_files_under_their_hashed_names():
    values = _settings_in(_production())
    assert values["static_storage"] == "samen.storage.ManifestStaticStorage"


def test_without_database_url_samen_runs_on_sqlite_with_eager_tasks():
    values = _settings_in(_environment())
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["celery_eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"].endswith("LocMemCache")
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["require_mfa"] is False


def test_database_and_redis_urls_switch_to_postgresql_and_real_workers():
    values = _settings_in(
        _environment(
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/samen",
            REDIS_URL="redis://127.0.0.1:6379/0",
        )
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/0"
    assert values["cache"].endswith("RedisCache")


def test_an_unknown_django_env_is_refused():
    result = _run(["-c", _PRINT_SETTINGS], _environment(DJANGO_ENV="staging"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ENV" in result.stderr


def test_dutch_first_english_second_amsterdam_time():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_I18N is True
    assert settings.USE_TZ is True


def test_login_page_sends_strict_security_headers(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200

    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


_PRINT_INVITATION_DAYS = """
import django
django.setup()
from django.conf import settings
print(settings.SAMEN_INVITATION_DAYS)
"""


@pytest.mark.parametrize(("variable", "days"), [(None, "14"), ("30", "30")])
def test_an_invitation_is_valid_for_the_days_from_the_environment(variable, days):
    env = _environment() if variable is None else _environment(SAMEN_INVITATION_DAYS=variable)
    result = _run(["-c", _PRINT_INVITATION_DAYS], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == days


def test_an_invitation_valid_for_no_days_is_refused():
    result = _run(["-c", _PRINT_INVITATION_DAYS], _environment(SAMEN_INVITATION_DAYS="0"))
    assert result.returncode != 0
    assert "SAMEN_INVITATION_DAYS" in result.stderr


_PRINT_PAY_RUN_DAY = """
import django
django.setup()
from django.conf import settings
print(settings.SAMEN_PAY_RUN_DAY)
"""


@pytest.mark.parametrize(("variable", "day"), [(None, "25"), ("20", "20")])
def test_the_pay_run_day_comes_from_the_environment(variable, day):
    env = _environment() if variable is None else _environment(SAMEN_PAY_RUN_DAY=variable)
    result = _run(["-c", _PRINT_PAY_RUN_DAY], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == day


@pytest.mark.parametrize("variable", ["0", "32"])
def test_a_pay_run_day_outside_a_month_is_refused(variable):
    result = _run(["-c", _PRINT_PAY_RUN_DAY], _environment(SAMEN_PAY_RUN_DAY=variable))
    assert result.returncode != 0
    assert "SAMEN_PAY_RUN_DAY" in result.stderr
