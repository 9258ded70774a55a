"""A network's counts (NetworkComposition) stay what counting its placements gives, whatever
changes them: the placement services, an expert's kind, a bulk write."""

import datetime
from decimal import Decimal

from django.urls import reverse

from experts.models import Expert, ExpertKind
from experts.profiles.services import expert_update
from participation.models import NetworkComposition, Placement
from participation.placements import services
from participation.placements.services import Agreements
from samen.signals import bulk_written
from tests.factories import ExpertFactory, LearningNetworkFactory, PlacementFactory


def _kept(network) -> dict:
    return NetworkComposition.objects.get(network=network).counts()


def _counted(network) -> dict:
    zero = dict.fromkeys(NetworkComposition.COUNTS, 0)
    return zero | Placement.objects.filter(network=network).composition_by_network().get(
        network.pk, {}
    )


def test_the_placement_services_keep_the_counts(coordinator, db):
    network = LearningNetworkFactory()
    parent = ExpertFactory(consent_to_take_part=True, kind=ExpertKind.PARENT)
    placement = services.placement_create(
        expert=parent,
        network=network,
        ladder_level=2,
        starts_on=datetime.date(2025, 1, 1),
        agreements=Agreements(hours_per_month=Decimal("2")),
        created_by=coordinator,
    )
    assert _kept(network)["parents"] == 1
    assert _kept(network)["circle_core"] == 1

    services.placement_update(
        placement=placement,
        ladder_level=5,
        roles=[],
        agreements=Agreements(),
        changed_by=coordinator,
    )
    assert (_kept(network)["level_5"], _kept(network)["circle_third"]) == (1, 1)
    assert _kept(network) == _counted(network)

    services.placement_end(
        placement=placement,
        ends_on=datetime.date(2025, 6, 1),
        reason="Verhuisd",
        ended_by=coordinator,
    )
    assert _kept(network) == dict.fromkeys(NetworkComposition.COUNTS, 0)


def test_an_expert_who_changes_kind_moves_in_the_counts(db):
    network = LearningNetworkFactory()
    expert = ExpertFactory(kind=ExpertKind.YOUTH)
    PlacementFactory(expert=expert, network=network)
    assert (_kept(network)["youth"], _kept(network)["parents"]) == (1, 0)

    expert_update(expert=expert, kind=ExpertKind.PARENT)

    assert (_kept(network)["youth"], _kept(network)["parents"]) == (0, 1)


def test_a_bulk_write_of_experts_counts_every_network_again(db):
    networks = LearningNetworkFactory.create_batch(2)
    for network in networks:
        PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    Expert.objects.update(kind=ExpertKind.PARENT)
    assert _kept(networks[0])["parents"] == 0  # no signal from update() itself

    bulk_written.send(sender=Expert)

    for network in networks:
        assert (_kept(network)["youth"], _kept(network)["parents"]) == (0, 1)


def test_a_network_without_placements_shows_zero_against_its_target(coordinator_client):
    LearningNetworkFactory(name="Nieuw netwerk", target_youth=3, target_parents=2)
    [row] = coordinator_client.get(reverse("coordinator:dashboard")).context["networks"]
    assert (row.composition.youth, row.composition.parents, row.composition.shortfall) == (0, 0, 5)
    assert row.levels == [0, 0, 0, 0, 0]


def test_new_experts_written_in_bulk_change_no_count(db, django_assert_num_queries):
    # An import creates experts without placements: nothing to count again.
    with django_assert_num_queries(0):
        bulk_written.send(sender=Expert, created=True)
