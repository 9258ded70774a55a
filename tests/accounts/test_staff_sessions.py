"""Coordinators and admins see special-category data: their session ends after a while without
activity, after a maximum age, and when the browser closes. Experts and leads keep the normal
session. Time is moved forward by moving the session's own timestamps back."""

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from samen.accounts.middleware import SESSION_ACTIVE_KEY, SESSION_STARTED_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME_PAGES = {
    "expert": "expert:home",
    "lead": "lead:home",
    "coordinator": "coordinator:dashboard",
    "admin": "admin:index",
}
MINUTE = 60
HOUR = 60 * MINUTE


@pytest.fixture(autouse=True)
def own_cache(settings):
    """allauth's rate-limit counters (login) live in the cache; keep them local."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samen-test-staff-sessions",
        }
    }
    from django.core.cache import cache

    cache.clear()


def _move_back(client, *, started: float | None = None, active: float | None = None) -> None:
    """Pretend the login was ``started`` seconds ago and the last request ``active`` ago."""
    session = client.session
    now = time.time()
    if started is not None:
        session[SESSION_STARTED_KEY] = now - started
    if active is not None:
        session[SESSION_ACTIVE_KEY] = now - active
    session.save()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
def test_a_staff_login_starts_the_clock_and_ends_when_the_browser_closes(visitor):
    _name, client = visitor
    session = client.session
    assert time.time() - session[SESSION_STARTED_KEY] < MINUTE
    assert session[SESSION_ACTIVE_KEY] == session[SESSION_STARTED_KEY]
    assert session.get_expire_at_browser_close()


@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
def test_idle_for_longer_than_the_limit_logs_out_with_a_dutch_message(visitor):
    name, client = visitor
    _move_back(client, started=31 * MINUTE, active=31 * MINUTE)
    page = reverse(HOME_PAGES[name])

    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={page}"
    assert "_auth_user_id" not in client.session

    response = client.get(response["Location"])
    assert response.status_code == 200
    content = response.content.decode()
    assert "Je bent uitgelogd omdat je 30 minuten niets hebt gedaan." in content
    # Logged out for real: the page asks for the login again.
    assert client.get(page).status_code == 302


@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
def test_idle_for_less_than_the_limit_keeps_the_session_and_moves_the_clock(visitor):
    name, client = visitor
    _move_back(client, started=29 * MINUTE, active=29 * MINUTE)

    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 200
    assert time.time() - client.session[SESSION_ACTIVE_KEY] < MINUTE
    # Twenty-nine minutes later, counted from this request, still logged in.
    _move_back(client, active=29 * MINUTE)
    assert client.get(reverse(HOME_PAGES[name])).status_code == 200


def test_activity_is_written_at_most_once_a_minute(coordinator_client):
    """No session write per request: a request within the minute leaves the stamp alone."""
    _move_back(coordinator_client, active=30)
    before = coordinator_client.session[SESSION_ACTIVE_KEY]

    response = coordinator_client.get(reverse("coordinator:dashboard"))
    assert response.status_code == 200
    assert coordinator_client.session[SESSION_ACTIVE_KEY] == before
    assert not response.wsgi_request.session.modified

    _move_back(coordinator_client, active=61)
    response = coordinator_client.get(reverse("coordinator:dashboard"))
    assert response.wsgi_request.session.modified
    assert coordinator_client.session[SESSION_ACTIVE_KEY] > before


@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
def test_a_session_older_than_the_maximum_ends_even_when_busy(visitor):
    name, client = visitor
    _move_back(client, started=12 * HOUR + MINUTE, active=10)

    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    with translation.override("nl"):
        assert _messages(response) == [
            "Je bent uitgelogd omdat je 12 uur ingelogd was. Log opnieuw in om verder te gaan."
        ]


def test_a_session_just_under_the_maximum_goes_on(coordinator_client):
    _move_back(coordinator_client, started=12 * HOUR - MINUTE, active=10)
    assert coordinator_client.get(reverse("coordinator:dashboard")).status_code == 200


def test_the_limits_come_from_the_settings(settings, coordinator_client):
    settings.SAMEN_STAFF_IDLE_MINUTES = 5
    settings.SAMEN_STAFF_SESSION_HOURS = 1
    _move_back(coordinator_client, started=10 * MINUTE, active=4 * MINUTE)
    assert coordinator_client.get(reverse("coordinator:dashboard")).status_code == 200

    _move_back(coordinator_client, active=6 * MINUTE)
    response = coordinator_client.get(reverse("coordinator:dashboard"))
    assert response.status_code == 302
    assert "_auth_user_id" not in coordinator_client.session


def test_a_post_after_the_idle_time_changes_nothing_and_goes_to_the_login(coordinator_client):
    _move_back(coordinator_client, started=31 * MINUTE, active=31 * MINUTE)
    response = coordinator_client.post(reverse("coordinator:dashboard"), {"x": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in coordinator_client.session


def test_an_htmx_request_after_the_idle_time_loads_the_whole_login_page(coordinator_client):
    _move_back(coordinator_client, started=31 * MINUTE, active=31 * MINUTE)
    response = coordinator_client.get(
        reverse("coordinator:dashboard"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("account_login")
    assert "_auth_user_id" not in coordinator_client.session


def test_a_session_without_a_clock_gets_one(coordinator_client):
    """Sessions from before these limits (or of a user who just became a coordinator)."""
    session = coordinator_client.session
    del session[SESSION_STARTED_KEY]
    del session[SESSION_ACTIVE_KEY]
    session.set_expiry(None)
    session.save()

    assert coordinator_client.get(reverse("coordinator:dashboard")).status_code == 200
    session = coordinator_client.session
    assert time.time() - session[SESSION_STARTED_KEY] < MINUTE
    assert session.get_expire_at_browser_close()


@pytest.mark.parametrize("visitor", ["expert", "lead"], indirect=True)
def test_experts_and_leads_keep_the_normal_session(visitor):
    name, client = visitor
    assert SESSION_STARTED_KEY not in client.session
    _move_back(client, started=13 * HOUR, active=13 * HOUR)

    assert client.get(reverse(HOME_PAGES[name])).status_code == 200
    assert "_auth_user_id" in client.session


def _log_in(client, user, *, remember: bool):
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("account_login"), data)
    assert response.status_code == 302
    return response


def test_remember_me_does_not_keep_a_coordinator_logged_in(client, coordinator):
    _log_in(client, coordinator, remember=True)
    client.get(reverse("coordinator:dashboard"))
    assert client.session.get_expire_at_browser_close()
    assert time.time() - client.session[SESSION_STARTED_KEY] < MINUTE


def test_remember_me_keeps_an_expert_logged_in(client, expert_user):
    _log_in(client, expert_user, remember=True)
    client.get(reverse("expert:home"))
    assert not client.session.get_expire_at_browser_close()


def test_the_login_form_says_remember_me_is_not_for_coordinators(client):
    response = client.get(reverse("account_login"))
    assert (
        "Coördinatoren en beheerders worden altijd uitgelogd als de browser sluit."
        in response.content.decode()
    )
