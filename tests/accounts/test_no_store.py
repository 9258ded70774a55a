"""No copy of a logged-in page is kept: every answer to a logged-in user says
``Cache-Control: private, no-store`` (or the stricter header its view set), and htmx keeps no
snapshots of pages in the browser's storage."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.test_doors import DOOR_URLS


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize(
    ("visitor", "url_name"),
    [
        ("coordinator", "coordinator:dashboard"),
        ("coordinator", "coordinator:expert_list"),
        ("coordinator", "coordinator:expert_import"),
        ("admin", "coordinator:request_list"),
        ("lead", "lead:home"),
        ("expert", "expert:home"),
        ("admin", "admin:index"),
        ("admin", "admin:experts_expert_changelist"),
    ],
    indirect=["visitor"],
)
def test_logged_in_pages_are_not_stored(visitor, url_name):
    _name, client = visitor
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")


@pytest.mark.parametrize("visitor", ["expert", "lead"], indirect=True)
def test_a_refusal_is_not_stored_either(visitor):
    _name, client = visitor
    response = client.get(reverse("coordinator:dashboard"))
    assert response.status_code == 403
    assert _no_store(response)


def test_an_htmx_fragment_is_not_stored(coordinator_client):
    response = coordinator_client.get(
        reverse("coordinator:expert_list"), {"q": "a"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert _no_store(response)


def test_a_view_that_sets_its_own_header_keeps_it(admin_client_):
    # Django's admin sets never_cache's stricter header itself; it is kept, not replaced.
    response = admin_client_.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_answers_to_visitors_who_are_not_logged_in_are_left_alone(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert not response.has_header("Cache-Control")


def test_after_logging_out_the_answer_is_not_marked(coordinator_client):
    response = coordinator_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not _no_store(response)


VISITOR_OF_DOOR = {"coordinator": "coordinator", "lead": "lead", "expert": "expert"}


@pytest.fixture
def door_clients(coordinator, lead, expert_user) -> dict[str, Client]:
    clients = {}
    for door, user in {"coordinator": coordinator, "lead": lead, "expert": expert_user}.items():
        clients[door] = Client()
        clients[door].force_login(user)
    return clients


def test_every_page_of_every_door_is_not_stored(door_clients):
    """Walks the URL map: a new page is covered without being listed. Ids that exist
    nowhere give a 404, a GET of a page that only takes POST a 405: those answers go to a
    logged-in user too."""
    not_stored = [
        (door, path, response.status_code, response.get("Cache-Control"))
        for door, path in DOOR_URLS
        if not _no_store(response := door_clients[door].get(path))
    ]
    assert not_stored == []


def test_htmx_keeps_no_snapshots_of_pages(coordinator_client):
    body = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()
    (config,) = re.findall(r"<meta name=\"htmx-config\" content='([^']*)'>", body)
    config = json.loads(config)
    assert config["historyCacheSize"] == 0
    # Back after an htmx step: the whole page from the server, not a fragment from storage.
    assert config["refreshOnHistoryMiss"] is True
    assert config["allowEval"] is False
