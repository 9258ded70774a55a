"""Two-step login is optional for experts (and leads): an expert without it logs in with the
password alone; one who set it up is asked for the code at every login. They set it up, get
recovery codes and turn it off through allauth's pages, in Samen's layout and in Dutch."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_cache(settings):
    """allauth's rate-limit counters and used codes live in the cache; keep them local."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samen-test-expert-mfa",
        }
    }


@pytest.fixture(autouse=True, params=[False, True], ids=["mfa-optional", "mfa-required"])
def required_for_staff(request, settings):
    """The same for experts whether or not staff must use two steps."""
    settings.SAMEN_REQUIRE_MFA = request.param


def _code(secret: str, *, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def _log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_an_expert_without_the_second_step_logs_in_with_the_password(client, expert_user):
    response = _log_in(client, expert_user)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(expert_user.pk)
    assert client.get(reverse("expert:home")).status_code == 200


def test_an_expert_with_the_second_step_is_asked_for_the_code(client, expert_user):
    secret = generate_totp_secret()
    TOTP.activate(expert_user, secret)

    response = _log_in(client, expert_user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in before the code
    assert client.get(reverse("expert:home")).status_code == 302

    page = client.get(reverse("mfa_authenticate"), HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    assert 'lang="nl"' in page.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(expert_user.pk)
    assert client.get(reverse("expert:home")).status_code == 200


def test_a_wrong_code_keeps_the_expert_out(client, expert_user):
    secret = generate_totp_secret()
    TOTP.activate(expert_user, secret)
    _log_in(client, expert_user)
    wrong = "000000" if _code(secret) != "000000" else "111111"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_an_expert_sets_up_the_second_step_gets_recovery_codes_and_turns_it_off(
    client, expert_user
):
    _log_in(client, expert_user)
    activate = reverse("mfa_activate_totp")

    # allauth asks for the password again before a second step is added.
    response = client.get(activate)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})

    page = client.get(activate, HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'lang="nl"' in body
    assert "Samen" in body and 'id="main"' in body  # Samen's own layout
    secret = page.context["form"].secret

    response = client.post(activate, {"code": _code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    types = set(Authenticator.objects.filter(user=expert_user).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    account = client.get(reverse("expert:account")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in account

    # Turned off again: the next login asks for the password alone.
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=expert_user, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))
    response = _log_in(client, expert_user)
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_activate_totp", "usersessions_list"])
def test_the_account_pages_of_allauth_are_in_samens_layout_with_the_expert_menu(
    client, expert_user, url_name
):
    _log_in(client, expert_user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="nl"' in body
    assert f'href="{reverse("expert:account")}"' in body  # the expert's menu
    assert body.count("<h1") == 1
