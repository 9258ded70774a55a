"""Reads about meetings and who comes to them."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from learning_networks.models import Meeting
from participation.placements.models import Placement


def meetings_of(placements: QuerySet[Placement]) -> QuerySet[Meeting]:
    """The meetings (plenary and prep) an expert is asked to: those of a network where one of
    ``placements`` is active on the meeting's day (started, and not ended before it). Pass one
    expert's placements (``Placement.objects.filter(expert=...)``). One query, any status of
    the meeting: callers choose planned, upcoming or cancelled ones."""
    day = OuterRef("starts_at__date")
    running = placements.current().filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        network=OuterRef("network"),
        starts_on__lte=day,
    )
    return Meeting.objects.filter(Exists(running))
