"""A user's own account: the account page of experts and leads (their language, the optional
second step, where they are logged in), the list of their sessions and logging out on one
device or everywhere else, and the language switch that remembers a logged-in user's
language."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.accounts import selectors
from samen.accounts.models import Language, Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)

# Expected status of each account page per visitor; anonymous visitors go to the login.
ACCOUNT_PAGES = {
    "expert:account": {"expert": 200, "lead": 403, "coordinator": 403, "admin": 403},
    "lead:account": {"expert": 403, "lead": 200, "coordinator": 403, "admin": 403},
    # Every user's own sessions (allauth's URL, Samen's page).
    "usersessions_list": {"expert": 200, "lead": 200, "coordinator": 200, "admin": 200},
}


def _record(client: Client, user, *, agent: str = FIREFOX_ANDROID, **fields) -> UserSession:
    """allauth's record of the client's session, as its login form makes it."""
    return UserSession.objects.create(
        user=user,
        session_key=client.session.session_key,
        ip=fields.pop("ip", "192.0.2.10"),
        user_agent=agent,
        **fields,
    )


def _logged_in(user, **fields) -> tuple[Client, UserSession]:
    client = Client()
    client.force_login(user)
    return client, _record(client, user, **fields)


@pytest.mark.parametrize(
    "visitor", ["anonymous", "expert", "lead", "coordinator", "admin"], indirect=True
)
@pytest.mark.parametrize("url_name", list(ACCOUNT_PAGES))
def test_account_pages_per_visitor(visitor, url_name):
    name, client = visitor
    response = client.get(reverse(url_name))
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        return
    assert response.status_code == ACCOUNT_PAGES[url_name][name], (name, url_name)


@pytest.mark.parametrize(
    "visitor", ["anonymous", "expert", "lead", "coordinator", "admin"], indirect=True
)
def test_ending_a_session_is_a_post_for_logged_in_users_only(visitor):
    name, client = visitor
    url = reverse("session_end", args=[1])
    if name == "anonymous":
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        return
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404  # no such session of theirs


def test_home_page_and_menu_link_to_the_account_page(expert_client):
    url = reverse("expert:account")
    home = expert_client.get(reverse("expert:home")).content.decode()
    assert home.count(f'href="{url}"') == 2  # the menu and the page

    page = expert_client.get(url).content.decode()
    assert f'href="{url}" aria-current="page"' in page


def test_lead_menu_links_to_the_lead_account_page(lead_client):
    page = lead_client.get(reverse("lead:home")).content.decode()
    assert f'href="{reverse("lead:account")}"' in page


# The account page.


def test_account_page_says_the_second_step_is_off_and_offers_to_turn_it_on(expert_client):
    response = expert_client.get(reverse("expert:account"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Two-step login" in page
    assert f'href="{reverse("mfa_activate_totp")}"' in page
    assert f'href="{reverse("mfa_index")}"' not in page
    assert f'href="{reverse("usersessions_list")}"' in page
    assert f'href="{reverse("account_change_password")}"' in page
    assert 'value="nl"  id="id_language_0" required checked' in page


def test_account_page_with_the_second_step_offers_to_change_it(expert_user, expert_client):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(expert_user, generate_totp_secret())
    page = expert_client.get(reverse("expert:account")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in page
    assert f'href="{reverse("mfa_activate_totp")}"' not in page


def test_account_page_counts_the_live_sessions(expert_user):
    client, _record_ = _logged_in(expert_user)
    _logged_in(expert_user, agent=CHROME_WINDOWS)
    page = client.get(reverse("expert:account"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are logged in on 2 devices or browsers." in page


def test_choosing_english_on_the_account_page_stores_it_and_switches_this_browser(
    expert_user, expert_client
):
    url = reverse("expert:account")
    response = expert_client.post(url, {"language": "en"})
    assert response.status_code == 302
    assert response["Location"] == url
    expert_user.refresh_from_db()
    assert expert_user.language == Language.ENGLISH
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = expert_client.get(url)
    assert page["Content-Language"] == "en"
    assert "Your language is saved." in page.content.decode()

    # The same choice again changes nothing and does no harm.
    assert expert_client.post(url, {"language": "en"}).status_code == 302
    expert_user.refresh_from_db()
    assert expert_user.language == Language.ENGLISH


def test_a_lead_chooses_a_language_on_their_own_account_page(lead, lead_client):
    response = lead_client.post(reverse("lead:account"), {"language": "en"})
    assert response["Location"] == reverse("lead:account")
    lead.refresh_from_db()
    assert lead.language == Language.ENGLISH


@pytest.mark.parametrize("value", ["fr", "", "<script>"])
def test_an_unknown_language_is_a_dutch_form_error_and_stores_nothing(
    expert_user, expert_client, value
):
    response = expert_client.post(
        reverse("expert:account"), {"language": value}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 400
    assert response.context["form"].errors["language"]
    assert "<script>" not in response.content.decode()
    expert_user.refresh_from_db()
    assert expert_user.language == Language.DUTCH


def test_a_new_user_has_dutch():
    assert UserFactory().language == Language.DUTCH


# The language switch in the menu.


@pytest.mark.parametrize("visitor", ["expert", "lead", "coordinator", "admin"], indirect=True)
def test_the_language_switch_stores_a_logged_in_users_language(visitor):
    name, client = visitor
    user = client.session["_auth_user_id"]
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    from samen.accounts.models import User

    assert User.objects.get(pk=user).language == Language.ENGLISH


def test_the_language_switch_works_as_before_for_anonymous_visitors(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_language_switch_ignores_an_unknown_language(expert_user, expert_client):
    response = expert_client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    expert_user.refresh_from_db()
    assert expert_user.language == Language.DUTCH


# Where I am logged in.


def test_sessions_page_lists_own_live_sessions_with_device_ip_and_times(expert_user):
    client, current = _logged_in(expert_user, ip="192.0.2.10")
    _other_client, other = _logged_in(expert_user, agent=CHROME_WINDOWS, ip="198.51.100.7")
    stranger = UserFactory(email="vreemd@samen.test")
    _logged_in(stranger, ip="203.0.113.99")

    response = client.get(reverse("usersessions_list"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    rows = response.context["sessions"]
    assert [row.pk for row in rows] == [current.pk, other.pk]  # the current one first
    assert [row.is_current for row in rows] == [True, False]
    assert "Firefox on Android" in page
    assert "Chrome on Windows" in page
    assert "198.51.100.7" in page
    assert "203.0.113.99" not in page  # another user's
    assert "This device" in page
    # One button for the other session, none for this one, and one for all the others.
    assert page.count('action="/accounts/sessions/') == 1
    assert f'action="{reverse("session_end", args=[other.pk])}"' in page
    assert "Log out everywhere else" in page


def test_sessions_that_ended_are_not_listed(expert_user):
    client, current = _logged_in(expert_user)
    _expired_client, expired = _logged_in(expert_user)
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    _gone_client, gone = _logged_in(expert_user)
    Session.objects.filter(session_key=gone.session_key).delete()
    # A session whose password hash is old (the password changed since) logs nobody in.
    _old_client, old = _logged_in(expert_user)
    session = Session.objects.get(session_key=old.session_key)
    data = session.get_decoded()
    data["_auth_user_hash"] = "0" * 40
    Session.objects.filter(pk=old.session_key).update(session_data=Session.objects.encode(data))

    rows = selectors.sessions_of(expert_user, current_key=current.session_key)
    assert [row.pk for row in rows] == [current.pk]


def test_sessions_page_without_records_says_so(expert_client):
    response = expert_client.get(reverse("usersessions_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Samen has no record of where you are logged in." in response.content.decode()


def test_sessions_of_the_session_store_elsewhere_are_asked_one_by_one(settings, expert_user):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    client, current = _logged_in(expert_user)
    UserSession.objects.create(
        user=expert_user, session_key="al-weg", ip="192.0.2.1", user_agent=FIREFOX_ANDROID
    )
    rows = selectors.sessions_of(expert_user, current_key=current.session_key)
    assert [row.pk for row in rows] == [current.pk]


def test_sessions_page_takes_the_same_queries_for_many_sessions(
    expert_user, django_assert_max_num_queries
):
    client, _current = _logged_in(expert_user)
    for _n in range(25):
        _logged_in(expert_user, agent=CHROME_WINDOWS)
    # 1 the session, 2 the user, 3 the records of logins, 4 their sessions; allauth's
    # account middleware and the messages read nothing more.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("usersessions_list"))
    assert len(response.context["sessions"]) == 26


def test_account_page_takes_a_fixed_number_of_queries(expert_user, django_assert_max_num_queries):
    client, _current = _logged_in(expert_user)
    for _n in range(25):
        _logged_in(expert_user)
    # 1 the session, 2 the user, 3 the expert's door checks whether a parent's consent is
    # awaited (experts.middleware), 4-5 the live sessions, 6 the second step.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("expert:account"))
    assert response.context["session_count"] == 26


def test_logging_out_on_another_device(expert_user):
    client, _current = _logged_in(expert_user)
    phone, on_phone = _logged_in(expert_user)

    response = client.post(reverse("session_end", args=[on_phone.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == reverse("usersessions_list")
    assert not UserSession.objects.filter(pk=on_phone.pk).exists()
    assert not Session.objects.filter(session_key=on_phone.session_key).exists()
    assert "You are logged out on Firefox on Android." in (
        client.get(reverse("usersessions_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    # The phone is logged out; this browser is not.
    assert phone.get(reverse("expert:home")).status_code == 302
    assert client.get(reverse("expert:home")).status_code == 200
    # Sending it again: the session is gone, 404, nothing else changes.
    assert client.post(reverse("session_end", args=[on_phone.pk])).status_code == 404


@pytest.mark.parametrize("owner_role", [Role.EXPERT, Role.LEAD, Role.COORDINATOR])
def test_another_users_session_cannot_be_ended(expert_user, owner_role):
    client, _current = _logged_in(expert_user)
    owner = UserFactory(email="eigenaar@samen.test", role=owner_role)
    theirs, their_record = _logged_in(owner)

    assert client.post(reverse("session_end", args=[their_record.pk])).status_code == 404
    assert UserSession.objects.filter(pk=their_record.pk).exists()
    assert Session.objects.filter(session_key=their_record.session_key).exists()
    assert theirs.session.get("_auth_user_id") == str(owner.pk)


def test_ending_the_current_session_logs_this_browser_out(expert_user):
    client, current = _logged_in(expert_user)
    response = client.post(reverse("session_end", args=[current.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert not UserSession.objects.filter(pk=current.pk).exists()
    assert client.get(reverse("expert:home")).status_code == 302


def test_logging_out_everywhere_else_keeps_this_browser(expert_user, other_expert_user):
    client, current = _logged_in(expert_user)
    others = [_logged_in(expert_user) for _n in range(3)]
    _stranger, stranger_record = _logged_in(other_expert_user)

    response = client.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert list(UserSession.objects.filter(user=expert_user)) == [current]
    assert all(other.get(reverse("expert:home")).status_code == 302 for other, _ in others)
    assert client.get(reverse("expert:home")).status_code == 200
    assert UserSession.objects.filter(pk=stranger_record.pk).exists()
    # Again: nothing left to end, no harm.
    assert client.post(reverse("usersessions_list")).status_code == 302


def test_the_sessions_url_is_samens_page(client):
    from django.urls import resolve

    from samen.accounts import views

    assert resolve(reverse("usersessions_list")).func is views.sessions


# Last seen.


def test_a_login_through_the_form_is_recorded_and_seen_again_at_most_every_five_minutes(
    client, expert_user, django_assert_num_queries, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samen-test-last-seen",
        }
    }
    settings.ACCOUNT_RATE_LIMITS = False
    response = client.post(
        reverse("account_login"),
        {"login": expert_user.email, "password": PASSWORD},
        HTTP_USER_AGENT=FIREFOX_ANDROID,
    )
    assert response.status_code == 302
    record = UserSession.objects.get(user=expert_user)
    assert record.user_agent == FIREFOX_ANDROID
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    UserSession.objects.filter(pk=record.pk).update(last_seen_at=long_ago)
    from django.core.cache import cache

    cache.clear()  # the login's own request marked it seen just now

    client.get(reverse("expert:home"))
    record.refresh_from_db()
    assert record.last_seen_at > long_ago

    # Within five minutes: no write.
    UserSession.objects.filter(pk=record.pk).update(last_seen_at=long_ago)
    client.get(reverse("expert:home"))
    record.refresh_from_db()
    assert record.last_seen_at == long_ago


def test_a_session_without_a_record_costs_no_query_for_last_seen(
    expert_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as queries:
        expert_client.get(reverse("expert:account"))
    assert not [
        q
        for q in queries.captured_queries
        if "usersessions_usersession" in q["sql"] and q["sql"].startswith("UPDATE")
    ]


# Devices in words.


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (CHROME_WINDOWS, "Chrome on Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        ("", "Unknown browser"),
        ("curl/8.5.0", "Unknown browser"),
    ],
)
def test_describe_device(agent, words):
    from django.utils import translation

    with translation.override("en"):
        assert selectors.describe_device(agent) == words


# With the staff's time limits and the nightly clean-up.


def test_a_staff_session_that_timed_out_leaves_the_list_and_its_record_goes_at_night(
    coordinator, settings
):
    """The idle limit logs the coordinator out (the session is deleted): the session is no
    longer listed on their other device, is not "seen" again, and the night deletes its
    record with its IP address and browser."""
    import time

    from samen.accounts import tasks
    from samen.accounts.middleware import SESSION_ACTIVE_KEY, SESSION_RECORDED_KEY

    settings.SAMEN_REQUIRE_MFA = False
    laptop, on_laptop = _logged_in(coordinator)
    desk, on_desk = _logged_in(coordinator)
    session = desk.session
    session[SESSION_ACTIVE_KEY] = time.time() - 31 * 60
    session[SESSION_RECORDED_KEY] = True
    session.save()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    UserSession.objects.filter(pk=on_desk.pk).update(last_seen_at=long_ago)

    assert desk.get(reverse("coordinator:dashboard")).status_code == 302  # timed out
    on_desk.refresh_from_db()
    assert on_desk.last_seen_at == long_ago  # the request that timed out was not "seen"
    rows = selectors.sessions_of(coordinator, current_key=on_laptop.session_key)
    assert [row.pk for row in rows] == [on_laptop.pk]

    assert tasks.sessions_clear_expired() == 1
    assert list(UserSession.objects.values_list("pk", flat=True)) == [on_laptop.pk]
    assert laptop.get(reverse("usersessions_list")).status_code == 200


def test_a_session_ended_elsewhere_leaves_nothing_for_the_night(expert_user):
    from samen.accounts import tasks

    client, _current = _logged_in(expert_user)
    _phone, on_phone = _logged_in(expert_user)
    client.post(reverse("session_end", args=[on_phone.pk]))
    assert tasks.sessions_clear_expired() == 0


def test_an_admin_can_set_a_users_language(admin_client_, expert_user):
    """For someone invited who reads English better: their invitation follows it."""
    url = reverse("admin:accounts_user_change", args=[expert_user.pk])
    page = admin_client_.get(url).content.decode()
    assert 'name="language"' in page
