"""Coordinators and admins see special-category personal data, so when SAMEN_REQUIRE_MFA is on
they must set up a second factor before they can open anything else, and pass that second step
in every session: a session opened with the password alone is sent to enter a code."""

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

HOME_PAGES = {
    "expert": "expert:home",
    "lead": "lead:home",
    "coordinator": "coordinator:dashboard",
    "admin": "admin:index",
}


@pytest.fixture
def mfa_required(settings):
    settings.SAMEN_REQUIRE_MFA = True


@pytest.fixture(autouse=True)
def own_cache(settings):
    """allauth's rate-limit counters (reauthentication) live in the cache; keep them local."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samen-test-mfa",
        }
    }


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
@pytest.mark.parametrize("url_name", ["home", "coordinator_home"])
def test_coordinator_and_admin_without_authenticator_are_sent_to_set_up_totp(visitor, url_name):
    name, client = visitor
    url = reverse(HOME_PAGES[name]) if url_name == "coordinator_home" else reverse("home")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
def test_setting_up_totp_is_reachable_without_a_redirect_loop(visitor):
    _name, client = visitor
    activate = reverse("mfa_activate_totp")
    # allauth asks for the password again before a second factor is added.
    response = client.get(activate)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    assert client.get(response["Location"]).status_code == 200
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == activate

    response = client.get(activate)
    assert response.status_code == 200
    assert "mfa/totp/activate_form.html" in [t.name for t in response.templates]


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("visitor", ["expert", "lead"], indirect=True)
def test_expert_and_lead_are_not_asked_for_a_second_factor(visitor):
    name, client = visitor
    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 200


def _code(secret: str, *, step: int = 0) -> str:
    """The app's code now (step 0) or in the next half minute; allauth takes each code once."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@pytest.fixture
def staff(request, coordinator, admin):
    """A coordinator or an admin with an authenticator app set up: (name, user, secret)."""
    user = {"coordinator": coordinator, "admin": admin}[request.param]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return request.param, user, secret


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("staff", ["coordinator", "admin"], indirect=True)
def test_mfa_set_up_but_a_session_without_the_second_step_is_sent_to_enter_a_code(staff, client):
    """Having an authenticator is not enough: a session opened without a code (as Django's
    admin login form did) must pass the second step before anything opens."""
    name, user, secret = staff
    client.force_login(user)
    page = reverse(HOME_PAGES[name])

    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next={page}"

    # The code from the app, and the page opens.
    response = client.post(response["Location"], {"code": _code(secret)})
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.get(page).status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_a_session_that_passed_the_second_step_is_checked_without_a_query(coordinator, client):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    client.force_login(coordinator)
    client.post(reverse("mfa_reauthenticate"), {"code": _code(secret)})

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("coordinator:dashboard")).status_code == 200
    assert not [q["sql"] for q in queries if "mfa_authenticator" in q["sql"]]


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("staff", ["coordinator", "admin"], indirect=True)
def test_a_wrong_code_keeps_the_session_out(staff, client):
    name, user, secret = staff
    client.force_login(user)
    page = reverse(HOME_PAGES[name])
    wrong = "000000" if _code(secret) != "000000" else "111111"

    response = client.post(f"{reverse('mfa_reauthenticate')}?next={page}", {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(page).status_code == 302


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("staff", ["coordinator", "admin"], indirect=True)
def test_a_session_with_the_password_only_is_sent_to_enter_a_code(staff, client):
    """A login with the password, then the second step asked at login left unanswered: the
    session does not count as logged in with two steps."""
    name, user, secret = staff
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Without the code nobody is logged in; the door's page sends to the login.
    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("staff", ["coordinator", "admin"], indirect=True)
def test_login_with_password_and_code_reaches_the_door(staff, client):
    name, user, secret = staff
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 200


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("staff", ["coordinator", "admin"], indirect=True)
def test_the_second_step_of_one_user_does_not_count_for_another(staff, client):
    """Another login in the same browser starts without the second step of the one before."""
    name, user, secret = staff
    client.force_login(user)
    client.post(reverse("mfa_reauthenticate"), {"code": _code(secret)})
    assert client.get(reverse(HOME_PAGES[name])).status_code == 200

    other_user = UserFactory(
        email=f"tweede-{name}@samen.test", role=user.role, is_staff=user.is_staff
    )
    TOTP.activate(other_user, generate_totp_secret())
    client.force_login(other_user)
    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
def test_without_the_setting_nobody_is_redirected(settings, visitor):
    settings.SAMEN_REQUIRE_MFA = False
    name, client = visitor
    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 200
