"""People get an account through the coordinator, never by signing up themselves. They log in
with their e-mail address, in any case, and guessing passwords is slowed down."""

import pytest
from allauth.account import app_settings as allauth_settings
from django.conf import settings as django_settings
from django.urls import reverse

from samen.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP_CLOSED = "account/signup_closed.html"


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Rate-limit counters live in the cache; keep them away from other tests and runs."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samen-test-rate-limits",
        }
    }
    from django.core.cache import cache

    cache.clear()


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def test_sign_up_page_says_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert SIGNUP_CLOSED in _template_names(response)
    assert 'name="password1"' not in response.content.decode()


def test_posting_the_sign_up_form_creates_no_user(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@samen.test",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )
    assert SIGNUP_CLOSED in _template_names(response)
    assert not User.objects.filter(email__iexact="nieuw@samen.test").exists()
    assert User.objects.count() == 0


def test_sign_up_opens_only_when_the_setting_says_so(client, settings):
    settings.SAMEN_OPEN_SIGNUP = True
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert SIGNUP_CLOSED not in _template_names(response)


def test_login_form_asks_for_an_email_address_not_a_username(client):
    response = client.get(reverse("account_login"))
    form = response.context["form"]
    assert set(form.fields) >= {"login", "password"}
    assert form.fields["login"].widget.input_type == "email"
    assert "username" not in form.fields


@pytest.mark.parametrize("typed", ["expex@samen.test", "ExpEx@Samen.TEST", "EXPEX@SAMEN.TEST"])
def test_login_by_email_ignores_case(client, expert_user, typed):
    response = client.post(reverse("account_login"), {"login": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(expert_user.pk)


def test_login_with_a_wrong_password_fails(client, expert_user):
    response = client.post(
        reverse("account_login"), {"login": expert_user.email, "password": "fout"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_new_users_are_stored_with_a_lowercase_email():
    user = User.objects.create_user("Nieuwe.Ouder@Samen.TEST", "een-lang-wachtwoord-42")
    assert user.email == "nieuwe.ouder@samen.test"


def test_rate_limits_are_on():
    assert getattr(django_settings, "ACCOUNT_RATE_LIMITS", {}) is not False
    assert allauth_settings.RATE_LIMITS.get("login_failed")
    assert allauth_settings.RATE_LIMITS.get("login")
    assert allauth_settings.RATE_LIMITS.get("reset_password")


def _refused(response) -> bool:
    errors = response.context["form"].errors.as_data().get("__all__", [])
    return any(error.code == "too_many_login_attempts" for error in errors)


def test_many_failed_logins_make_the_form_refuse_even_the_right_password(client, expert_user):
    url = reverse("account_login")
    first = client.post(url, {"login": expert_user.email, "password": "fout-0"})
    assert not _refused(first)

    refused_at = None
    for attempt in range(1, 15):
        response = client.post(url, {"login": expert_user.email, "password": f"fout-{attempt}"})
        assert response.status_code == 200
        if _refused(response):
            refused_at = attempt
            break
    assert refused_at is not None, "allauth never refused the login form"

    # Even the right password is refused now, in any case of the address.
    response = client.post(url, {"login": expert_user.email.upper(), "password": PASSWORD})
    assert response.status_code == 200
    assert _refused(response)
    assert "_auth_user_id" not in client.session
