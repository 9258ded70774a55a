"""An expert never reaches another expert's data by changing an id.

Walks every page of the expert's door that takes an id (found in the URL map, so a new page
is covered without being listed). The world's objects with id ``FIXED`` belong to one expert:
that expert reaches each page (to read it or to send it), and another expert gets 404 for the
same address, to read and to send, and nothing is written. A page that only answers one
method (405 for the other) answers 405 to both experts alike."""

import pytest
from django.db import transaction

from samen.accounts.models import Role
from tests.factories import ExpertFactory, UserFactory
from tests.world import FIXED, build_world, client_for, door_pages, tables_digest

PAGES_WITH_IDS = [(name, path) for name, path in door_pages("expert") if str(FIXED) in path]


def test_the_expert_door_has_pages_with_ids():
    assert len(PAGES_WITH_IDS) >= 5


@pytest.fixture
def owner_and_stranger(db):
    world = build_world()
    stranger = UserFactory(email="vreemde@samen.test", role=Role.EXPERT)
    ExpertFactory(user=stranger, email=stranger.email)
    return client_for(world["expert"]), client_for(stranger)


def _answers(client, path: str) -> dict[str, int]:
    """What a page answers to a read and to an empty send, with the send undone."""
    with transaction.atomic():
        statuses = {"get": client.get(path).status_code, "post": client.post(path).status_code}
        transaction.set_rollback(True)
    return statuses


@pytest.mark.parametrize(("name", "path"), PAGES_WITH_IDS, ids=[n for n, _p in PAGES_WITH_IDS])
def test_another_experts_id_answers_404(owner_and_stranger, name, path):
    owner, stranger = owner_and_stranger
    own = _answers(owner, path)
    assert any(status not in {404, 405} for status in own.values()), (
        f"{name}: the owner does not reach their own object {own}; give tests/world.py one"
    )
    before = tables_digest()
    other = _answers(stranger, path)
    for method, status in other.items():
        expected = {405} if own[method] == 405 else {404}
        assert status in expected, f"{name} {method}: {status} for another expert"
    with transaction.atomic():
        stranger.post(path, {"reason": "x", "hours": "1", "date": "2026-01-01"})
        assert tables_digest() == before
        transaction.set_rollback(True)
