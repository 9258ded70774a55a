"""Reads for the coordinator's expert registry."""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from experts.models import Expert, ExpertStatus
from participation.hours.selectors import with_hours_in_month
from participation.models import Placement
from participation.placements.selectors import history_changes, linked_after_consent_withdrawn

# What a row of the list shows; the export shows more (registry/exports.py).
LIST_COLUMNS = (
    "first_name",
    "last_name",
    "city",
    "kind",
    "expertise",
    "status",
    "paused_until",
    "availability_hours_per_month",
)


def registry_queryset(*, with_erased: bool = False, networks: bool = True) -> QuerySet[Expert]:
    """Every expert (erased ones only when asked for), with hours logged this month and, unless
    ``networks`` is False, the networks of their open placements (``open_placements``, with
    only the network's name). A page of the list uses ``add_open_networks`` instead."""
    experts = with_hours_in_month(
        Expert.objects.all(), day=timezone.localdate(), name="hours_this_month"
    )
    if networks:
        experts = experts.prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.open()
                .select_related("network")
                .only("expert_id", "network__name")
                .order_by("network__name"),
                to_attr="open_placements",
            ),
        )
    if not with_erased:
        experts = experts.exclude(status=ExpertStatus.ERASED)
    return experts


def add_open_networks(experts: list[Expert]) -> None:
    """Set ``open_networks`` on each expert: the names of the networks of their open
    placements, in name order. One query of names, without a model instance per placement
    (the prefetch of ``registry_queryset`` cost a third of a page of the list)."""
    names: dict[int, list[str]] = {expert.pk: [] for expert in experts}
    rows = (
        Placement.objects.open()
        .filter(expert_id__in=names)
        .order_by("network__name", "pk")
        .values_list("expert_id", "network__name")
    )
    for expert_id, name in rows:
        names[expert_id].append(name)
    for expert in experts:
        expert.open_networks = names[expert.pk]


def mark_over_load(experts: Iterable[Expert]) -> None:
    for expert in experts:
        expert.over_load = expert.hours_this_month > expert.availability_hours_per_month


def placement_history(placements: list[Placement]) -> dict[int, list]:
    """Per placement, the ladder-level and status changes from its audit trail, oldest first."""
    changes = history_changes([p.pk for p in placements], fields=("ladder_level", "status"))
    return {
        pk: [
            {
                "date": row.history_date,
                "level": row.ladder_level,
                "ladder_level": row.get_ladder_level_display(),
                "status": row.get_status_display(),
                "by": row.history_user,
                "first": previous is None,
            }
            for previous, row in rows
        ]
        for pk, rows in changes.items()
    }


def consent_warnings(expert: Expert, *, on: datetime.date) -> dict[str, bool]:
    """What the expert's page warns about consent, in one query: ``missing_parental``, under 16
    without a parent's consent (``ExpertQuerySet.missing_parental_consent``), and
    ``withdrawn_linked``, the consent to take part withdrawn while a placement still runs
    (``linked_after_consent_withdrawn``), as the dashboard's signals count them."""
    this = OuterRef("pk")
    return (
        Expert.objects.filter(pk=expert.pk)
        .annotate(
            missing_parental=Exists(Expert.objects.missing_parental_consent(on=on).filter(pk=this)),
            withdrawn_linked=Exists(
                linked_after_consent_withdrawn(Expert.objects.all(), on=on).filter(pk=this)
            ),
        )
        .values("missing_parental", "withdrawn_linked")
        .get()
    )
