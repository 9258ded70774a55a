"""One way in: allauth's login, with its rate limit and second step, is the only login form.
The admin site (/beheer/) has none of its own."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Rate-limit counters live in the cache; keep them away from other tests and runs."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samen-test-one-way-in",
        }
    }
    from django.core.cache import cache

    cache.clear()


ADMIN_LOGIN = "/beheer/login/"


def test_the_admin_login_url_is_the_one_in_the_url_map():
    assert reverse("admin:login") == ADMIN_LOGIN


def test_anonymous_visitors_of_the_admin_login_go_to_allauths_login(client):
    response = client.get(ADMIN_LOGIN)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/beheer/"


def test_a_deep_admin_link_comes_back_after_allauths_login(client):
    response = client.get("/beheer/accounts/user/?q=a")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/beheer/accounts/user/%3Fq%3Da"


@pytest.mark.parametrize("visitor", ["expert", "lead", "coordinator"], indirect=True)
@pytest.mark.parametrize("method", ["get", "post"])
def test_logged_in_non_staff_get_no_password_form_on_the_admin_login(visitor, method):
    _name, client = visitor
    response = getattr(client, method)(ADMIN_LOGIN)
    assert response.status_code == 403
    content = response.content.decode()
    assert 'name="password"' not in content
    assert 'type="password"' not in content


def test_a_staff_member_on_the_admin_login_goes_to_the_admin_index(admin_client_):
    response = admin_client_.get(ADMIN_LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert admin_client_.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("visitor", ["anonymous", "expert"], indirect=True)
def test_thirty_wrong_passwords_and_the_right_one_on_the_admin_login_do_not_log_in(visitor, admin):
    """The attack from issue 8: the admin login form had no rate limit. Now there is no form:
    nothing posted to it is checked, whoever posts it."""
    name, client = visitor
    for attempt in range(30):
        client.post(ADMIN_LOGIN, {"username": admin.email, "password": f"fout-{attempt}"})
    response = client.post(
        ADMIN_LOGIN, {"username": admin.email, "password": PASSWORD, "next": "/beheer/"}
    )
    assert response.status_code == (302 if name == "anonymous" else 403)
    if name == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
        assert "_auth_user_id" not in client.session
    else:
        assert client.session["_auth_user_id"] != str(admin.pk)
    assert client.get(reverse("admin:index")).status_code in {302, 403}


def _refused(response) -> bool:
    errors = response.context["form"].errors.as_data().get("__all__", [])
    return any(error.code == "too_many_login_attempts" for error in errors)


def test_allauths_login_refuses_the_admins_right_password_after_failures(client, admin):
    """allauth's default: 5 failed logins for one address in 5 minutes close it for a while."""
    url = reverse("account_login")
    for attempt in range(5):
        response = client.post(url, {"login": admin.email, "password": f"fout-{attempt}"})
        assert response.status_code == 200
        assert not _refused(response)

    response = client.post(url, {"login": admin.email, "password": PASSWORD})
    assert response.status_code == 200
    assert _refused(response)
    assert "_auth_user_id" not in client.session


def test_allauths_login_lets_the_admin_in_with_the_right_password(client, admin):
    """The counterpart of the test above: the right password alone does log in."""
    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_a_password_needs_twelve_characters_in_dutch():
    """Django's own Dutch for this message is missing (Django 5.2.19), Samen's is used."""
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refused:
            validate_password("Zomer-2025!")  # 11 characters
        assert refused.value.messages == ["Dit wachtwoord is te kort. Gebruik minstens 12 tekens."]
        validate_password("Zomer-2025!!")  # 12 characters


@pytest.mark.parametrize(
    ("new_password", "changed"), [("Zomer-2025!", False), ("lange-zomer-2025", True)]
)
def test_changing_a_password_to_a_short_one_is_refused(
    expert_client, expert_user, new_password, changed
):
    response = expert_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    expert_user.refresh_from_db()
    assert expert_user.check_password(new_password) is changed
    if not changed:
        assert response.status_code == 200
        assert "Dit wachtwoord is te kort." in response.content.decode()
