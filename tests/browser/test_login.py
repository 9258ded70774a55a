"""Logging in through the real login form, for each door, in a real browser."""

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import LearningNetworkFactory

pytestmark = pytest.mark.browser


def _dutch(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


@pytest.mark.parametrize(
    ("door", "landing", "heading"),
    [
        ("expert_user", "expert:home", lambda: _dutch("Hello %(name)s") % {"name": "Esra"}),
        ("lead", "lead:home", lambda: _dutch("My networks")),
        ("coordinator", "coordinator:dashboard", lambda: _dutch("Overview of the networks")),
        ("admin", "admin:index", lambda: _dutch(str(admin.site.index_title))),
    ],
)
def test_each_door_logs_in_and_lands_on_its_own_accessible_home_page(
    request, page, live_server, log_in, assert_accessible, door, landing, heading
):
    user = request.getfixturevalue(door)
    # Something to show, so that axe also checks the dashboard's table and the lead's list.
    network = LearningNetworkFactory(name="Integraal Werken", slug="integraal-werken")
    LearningNetworkFactory(name="Complexe Scheidingen", slug="complexe-scheidingen")
    if door == "lead":
        network.leads.add(user)

    log_in(user.email)

    page.wait_for_url(live_server.url + reverse(landing))
    assert page.locator("h1").inner_text().strip() == heading()
    assert_accessible()


def test_wrong_password_is_announced_and_keeps_the_visitor_on_the_login_page(
    page, live_server, expert_user
):
    page.goto(reverse("account_login"))
    page.get_by_label("E-mailadres").fill(expert_user.email)
    password = page.get_by_label("Wachtwoord")
    password.fill("not-the-password")
    password.press("Enter")
    page.wait_for_load_state()

    assert page.url == live_server.url + reverse("account_login")
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert "wachtwoord" in alert.inner_text().lower()


def test_coordinator_with_an_authenticator_app_logs_in_with_a_code(
    page, live_server, log_in, coordinator, assert_accessible
):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)

    log_in(coordinator.email)
    page.wait_for_url(live_server.url + reverse("mfa_authenticate"))
    assert_accessible()
    code = page.get_by_label("Code")
    code.fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    code.press("Enter")

    page.wait_for_url(live_server.url + reverse("coordinator:dashboard"))


def test_a_session_without_the_second_step_asks_for_a_code_on_an_accessible_page(
    page, live_server, log_in, coordinator, settings, assert_accessible
):
    """A coordinator logged in with the password alone (before they set up the app) is asked
    for a code once the second step is required, and then goes on to the page they asked for."""
    log_in(coordinator.email)
    page.wait_for_url(live_server.url + reverse("coordinator:dashboard"))
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    settings.SAMEN_REQUIRE_MFA = True

    dashboard = reverse("coordinator:dashboard")
    page.goto(dashboard)
    page.wait_for_url(f"{live_server.url}{reverse('mfa_reauthenticate')}?next={dashboard}")
    assert page.locator("h1").count() == 1
    for viewport in [{"width": 360, "height": 740}, {"width": 1280, "height": 720}]:
        page.set_viewport_size(viewport)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert_accessible()

    code = page.get_by_label("Code")
    code.fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    code.press("Enter")
    page.wait_for_url(live_server.url + dashboard)
