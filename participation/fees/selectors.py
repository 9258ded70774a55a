"""Reads about logged hours and fees. "Hours in a month" has its one definition here: the hours
of every log that is not rejected (``ActivityLogQuerySet.counting``), dated in that month."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from experts.models import Expert
from participation.models import ActivityLog

ZERO = Decimal("0")


def hours_in_month(expert: Expert, *, day: datetime.date) -> Decimal:
    """The expert's counting hours in ``day``'s month. One query."""
    total = (
        ActivityLog.objects.counting()
        .in_month(day)
        .filter(expert=expert)
        .aggregate(total=Sum("hours"))["total"]
    )
    return total or ZERO


def with_hours_in_month(
    experts: QuerySet[Expert], *, day: datetime.date, name: str = "hours_in_month"
) -> QuerySet[Expert]:
    """``experts`` annotated with their counting hours in ``day``'s month (0 without logs)."""
    hours = (
        ActivityLog.objects.counting()
        .in_month(day)
        .filter(expert=OuterRef("pk"))
        .order_by()
        .values("expert")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return experts.annotate(
        **{name: Coalesce(Subquery(hours), Value(ZERO), output_field=DecimalField())}
    )


def waiting_activity_logs() -> QuerySet[ActivityLog]:
    """Hours waiting for approval, oldest first, with what the list shows."""
    return (
        ActivityLog.objects.waiting()
        .select_related("expert", "placement__network", "match__request", "meeting")
        .only(
            "expert",
            "placement",
            "placement__network",
            "match",
            "match__request",
            "meeting",
            "date",
            "kind",
            "description",
            "hours",
            "sessions",
            "travel_costs",
            "created_at",
            "expert__first_name",
            "expert__last_name",
            "placement__network__name",
            "match__request__title",
            "meeting__title",
            "meeting__starts_at",
        )
        .order_by("date", "pk")
    )
