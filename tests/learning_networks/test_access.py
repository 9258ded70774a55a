"""The access rule of networks, for every door."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from learning_networks.access import get_network_for_user


def _outcome(user, pk, *, write):
    request = RequestFactory().get("/")
    request.user = user
    try:
        get_network_for_user(request, pk, write=write)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return "ok"


@pytest.mark.parametrize(
    ("visitor", "own", "other"),
    [
        ("coordinator", ("ok", "ok"), ("ok", "ok")),
        ("admin", ("ok", "ok"), ("ok", "ok")),
        ("lead", ("ok", 403), (404, 404)),
        ("expert", (404, 404), (404, 404)),
    ],
)
def test_each_door_reaches_only_the_networks_it_may(
    request, network, other_network, visitor, own, other
):
    user = request.getfixturevalue({"expert": "expert_user"}.get(visitor, visitor))
    assert (_outcome(user, network.pk, write=False), _outcome(user, network.pk, write=True)) == own
    assert (
        _outcome(user, other_network.pk, write=False),
        _outcome(user, other_network.pk, write=True),
    ) == other


def test_expert_with_a_placement_still_reaches_the_network_only_through_it(
    network, expert_user, expert
):
    from tests.factories import PlacementFactory

    PlacementFactory(network=network, expert=expert)
    assert _outcome(expert_user, network.pk, write=False) == 404
