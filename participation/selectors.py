"""Reads for the participation pages. Each returns a bounded number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from experts.models import ExpertKind
from learning_networks.models import LearningNetwork

from .models import Placement, PlacementStatus


def networks_with_composition(networks: QuerySet[LearningNetwork] | None = None):
    """Networks annotated with their active ExpEx and parents (the "stand van zaken")."""
    networks = LearningNetwork.objects.all() if networks is None else networks
    active = Q(placements__status=PlacementStatus.ACTIVE)
    rows = networks.annotate(
        active_youth=Count(
            "placements",
            filter=active & Q(placements__expert__kind=ExpertKind.YOUTH),
            distinct=True,
        ),
        active_parents=Count(
            "placements",
            filter=active & Q(placements__expert__kind=ExpertKind.PARENT),
            distinct=True,
        ),
    ).order_by("name")
    for network in rows:
        network.youth_shortfall = max(network.target_youth - network.active_youth, 0)
        network.parent_shortfall = max(network.target_parents - network.active_parents, 0)
        network.shortfall = network.youth_shortfall + network.parent_shortfall
        network.without_parents = network.active_parents == 0
    return rows


def networks_for_lead(user):
    """The lead's own networks with their active members (only what the expert shares)."""
    placements = (
        Placement.objects.current()
        .select_related("expert")
        .prefetch_related("roles")
        .order_by("expert__first_name")
    )
    return (
        LearningNetwork.objects.led_by(user)
        .prefetch_related(Prefetch("placements", queryset=placements, to_attr="active_placements"))
        .order_by("name")
    )
