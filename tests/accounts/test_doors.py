"""Each door's home page, for each of the five visitors."""

import pytest
from django.urls import reverse

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]

# Expected status per visitor: 302 to the login page for anonymous, 403 for another door.
DOORS = {
    "coordinator:dashboard": {"expert": 403, "lead": 403, "coordinator": 200, "admin": 200},
    "lead:home": {"expert": 403, "lead": 200, "coordinator": 403, "admin": 403},
    "expert:home": {"expert": 200, "lead": 403, "coordinator": 403, "admin": 403},
    "admin:index": {"expert": 302, "lead": 302, "coordinator": 302, "admin": 200},
}


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize("url_name", list(DOORS))
def test_door_access(visitor, url_name):
    name, client = visitor
    response = client.get(reverse(url_name))
    if name == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
        return
    expected = DOORS[url_name][name]
    assert response.status_code == expected, (name, url_name, response.status_code)
    if expected == 302:  # the admin site sends non-staff to its own login
        assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("visitor", "landing"),
    [
        ("expert", "expert:home"),
        ("lead", "lead:home"),
        ("coordinator", "coordinator:dashboard"),
        ("admin", "admin:index"),
    ],
    indirect=["visitor"],
)
def test_home_sends_each_door_to_its_own_page(visitor, landing):
    _, client = visitor
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


def test_home_sends_anonymous_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_login_page_is_dutch_by_default(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert 'lang="nl"' in response.content.decode()


def test_health_answers(client, db):
    response = client.get(reverse("health"))
    assert response.json() == {"status": "ok"}


def test_admin_login_goes_through_allauth(client, db):
    """One login for every door, so the admin site also gets MFA and rate limits."""
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
