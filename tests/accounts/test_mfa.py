"""Coordinators and admins see special-category personal data, so when SAMEN_REQUIRE_MFA is on
they must set up a second factor before they can open anything else."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import PASSWORD

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


@pytest.mark.usefixtures("mfa_required")
def test_coordinator_with_totp_authenticator_passes(coordinator, coordinator_client):
    TOTP.activate(coordinator, generate_totp_secret())
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()

    response = coordinator_client.get(reverse("coordinator:dashboard"))
    assert response.status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_admin_with_totp_authenticator_reaches_the_admin_site(admin, admin_client_):
    TOTP.activate(admin, generate_totp_secret())
    response = admin_client_.get(reverse("admin:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("visitor", ["coordinator", "admin"], indirect=True)
def test_without_the_setting_nobody_is_redirected(settings, visitor):
    settings.SAMEN_REQUIRE_MFA = False
    name, client = visitor
    response = client.get(reverse(HOME_PAGES[name]))
    assert response.status_code == 200
