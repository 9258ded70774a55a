"""Each door's home page, for each of the five visitors."""

import pytest
from django.urls import reverse

VISITORS = ["anonymous", "expert", "lead", "coordinator", "admin"]

# Expected status per visitor: 302 to the login page for anonymous, 403 for another door (the
# admin site too: it has no login form of its own).
DOORS = {
    "coordinator:dashboard": {"expert": 403, "lead": 403, "coordinator": 200, "admin": 200},
    "lead:home": {"expert": 403, "lead": 200, "coordinator": 403, "admin": 403},
    "expert:home": {"expert": 200, "lead": 403, "coordinator": 403, "admin": 403},
    "admin:index": {"expert": 403, "lead": 403, "coordinator": 403, "admin": 200},
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
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_admin_login_goes_through_allauth(client, db):
    """One login for every door, so the admin site also gets MFA and rate limits."""
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('admin:index')}"


def _door_urls() -> list[tuple[str, str]]:
    """Every page of every door, from the URL map itself: (door, path). A new page is covered
    without being listed here. Ids are filled with one that exists nowhere."""
    from django.urls import URLPattern, get_resolver

    from samen.urls import DOOR_PREFIXES

    found = []
    for door, prefix in DOOR_PREFIXES.items():
        resolver = next(
            p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == door
        )
        for pattern in resolver.url_patterns:
            assert isinstance(pattern, URLPattern)
            route = str(pattern.pattern).replace("<int:pk>", "999999")
            assert "<" not in route, f"fill the converter of {route} in this test"
            found.append((str(door), f"/{prefix}{route}"))
    return found


DOOR_URLS = _door_urls()
OWN_DOOR = {
    "coordinator": "coordinator",
    "admin": "coordinator",
    "lead": "lead",
    "expert": "expert",
}


def test_every_door_has_pages():
    assert {door for door, _path in DOOR_URLS} == {"coordinator", "lead", "expert"}


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(("door", "path"), DOOR_URLS)
def test_every_page_is_closed_to_other_doors(visitor, door, path):
    """Anonymous visitors are sent to the login, other doors get 403 (to read and to post),
    and the page's own door never gets a server error, even for an id that does not exist.
    A page that only takes POST may answer a GET with 405 before it asks who is there."""
    name, client = visitor
    for method in (client.get, client.post):
        response = method(path)
        if response.status_code == 405 and method == client.get:
            continue
        if name == "anonymous":
            assert response.status_code == 302, (path, response.status_code)
            assert "login" in response["Location"]
        elif OWN_DOOR[name] != door:
            assert response.status_code == 403, (name, path, response.status_code)
        else:
            assert response.status_code < 500, (name, path, response.status_code)
