"""Reads about hours, each rule with its one definition.

- Hours in a month: the hours of every log that is not rejected
  (``ActivityLogQuerySet.counting``), dated in that month, read from the monthly sums
  (``ExpertMonth``) that the services keep.
- An expert's load: those hours against the hours per month the expert gave; the hours agreed
  per month in their open placements; room left; over it; inactive."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from experts.models import Expert
from learning_networks.models import Meeting
from participation.models import (
    ActivityLog,
    Attendance,
    AttendanceStatus,
    ExpertMonth,
    Match,
    MatchStatus,
    MonthTotal,
    Placement,
)
from samen.dates import month_bounds, months_back

ZERO = Decimal("0")


def hours_in_month(expert: Expert, *, day: datetime.date) -> Decimal:
    """The expert's counting hours in ``day``'s month. One query."""
    month = month_bounds(day)[0]
    hours = ExpertMonth.objects.filter(expert=expert, month=month).values_list("hours", flat=True)
    return next(iter(hours), ZERO)


def with_hours_in_month(
    experts: QuerySet[Expert], *, day: datetime.date, name: str = "hours_in_month"
) -> QuerySet[Expert]:
    """``experts`` annotated with their counting hours in ``day``'s month (0 without logs)."""
    hours = (
        ExpertMonth.objects.filter(expert=OuterRef("pk"), month=month_bounds(day)[0])
        .order_by()
        .values("hours")[:1]
    )
    return experts.annotate(
        **{name: Coalesce(Subquery(hours), Value(ZERO), output_field=DecimalField())}
    )


def agreed_hours(expert: Expert, *, leave_out: Placement | None = None) -> Decimal:
    """The hours per month the expert agreed to over all open placements, without
    ``leave_out`` (a placement being changed). One query."""
    placements = Placement.objects.open().filter(expert=expert)
    if leave_out is not None and leave_out.pk:
        placements = placements.exclude(pk=leave_out.pk)
    return placements.aggregate(total=Sum("hours_per_month"))["total"] or ZERO


def with_agreed_hours(experts: QuerySet[Expert], *, name: str = "agreed_hours") -> QuerySet[Expert]:
    """``experts`` annotated with ``agreed_hours`` (0 without open placements)."""
    agreed = (
        Placement.objects.open()
        .filter(expert=OuterRef("pk"))
        .order_by()
        .values("expert")
        .annotate(total=Sum("hours_per_month"))
        .values("total")[:1]
    )
    return experts.annotate(
        **{name: Coalesce(Subquery(agreed), Value(ZERO), output_field=DecimalField())}
    )


def room_left(*, available: Decimal, agreed: Decimal, used: Decimal) -> Decimal:
    """Hours an expert can still give this month: what they gave minus what is taken.

    Taken is the larger of the hours agreed per month in their open placements (promised every
    month, whether logged yet or not) and the hours logged this month (which hold the
    placements' hours once they are logged, so the two are never added up). The request page,
    the suggestions and the placement preview all say this number."""
    return available - max(agreed, used)


def room_left_for(expert: Expert, *, day: datetime.date) -> Decimal:
    """``room_left`` for one expert in ``day``'s month. Two queries."""
    return room_left(
        available=expert.availability_hours_per_month,
        agreed=agreed_hours(expert),
        used=hours_in_month(expert, day=day),
    )


def over_availability(experts: QuerySet[Expert], *, day: datetime.date) -> QuerySet[Expert]:
    """Experts whose hours in ``day``'s month are above the availability they gave, annotated
    with ``hours_in_month``. Read from that month's sums alone, so its cost follows the
    experts with hours that month, not the logs."""
    over = ExpertMonth.objects.filter(
        month=month_bounds(day)[0], hours__gt=F("expert__availability_hours_per_month")
    ).order_by()
    return experts.filter(pk__in=over.values("expert")).annotate(
        hours_in_month=Subquery(over.filter(expert=OuterRef("pk")).values("hours")[:1])
    )


def inactive(
    experts: QuerySet[Expert], *, today: datetime.date, now: datetime.datetime
) -> QuerySet[Expert]:
    """Active experts with an open placement who logged no hours and were marked present at no
    meeting in the last ``SAMEN_INACTIVE_AFTER_DAYS`` days, counted from when they started:
    someone added to Samen, or linked to a network, less than that many days ago has not been
    quiet that long. A start counts like a day with activity."""
    days = settings.SAMEN_INACTIVE_AFTER_DAYS
    since_day = today - datetime.timedelta(days=days)
    since = now - datetime.timedelta(days=days)
    started = Placement.objects.open().filter(expert=OuterRef("pk"), starts_on__lt=since_day)
    # A month's latest log lies in that month, so this finds every log since that day.
    logged = ExpertMonth.objects.filter(expert=OuterRef("pk"), last_logged_on__gte=since_day)
    attended = Attendance.objects.filter(
        expert=OuterRef("pk"),
        status=AttendanceStatus.PRESENT,
        meeting__starts_at__gte=since,
        meeting__starts_at__lte=now,
    )
    return (
        experts.active()
        .filter(created_at__lt=since)
        .filter(Exists(started))
        .exclude(Exists(logged))
        .exclude(Exists(attended))
    )


def monthly_totals(*, today: datetime.date, months: int) -> list[MonthTotal]:
    """The last ``months`` months up to ``today``'s, oldest first, each with the experts with
    counting hours and their hours (zero for a month without logs). One query."""
    first = months_back(today, months - 1)
    stored = {row.month: row for row in MonthTotal.objects.filter(month__gte=first)}
    return [
        stored.get(month) or MonthTotal(month=month)
        for month in (months_back(today, back) for back in range(months - 1, -1, -1))
    ]


def waiting_totals() -> dict:
    """How many logs, with how many hours, wait for approval, over all months. One query over
    the monthly sums."""
    totals = MonthTotal.objects.aggregate(logs=Sum("waiting_logs"), hours=Sum("waiting_hours"))
    return {"logs": totals["logs"] or 0, "hours": totals["hours"] or ZERO}


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
            "receipt",
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


# Weeks and months in a year, to spread the hours an expert gives per month over a week and a
# year.
WEEKS_PER_YEAR, MONTHS_PER_YEAR = Decimal(52), Decimal(12)


def hours_totals(expert: Expert, *, day: datetime.date) -> dict[str, dict[str, Decimal]]:
    """The expert's counting hours in ``day``'s week (Monday to Sunday), month and year, each
    with the hours they gave for that time (``availability_hours_per_month``, spread over a
    year for the week). The month and the year are read from the monthly sums; the week, which
    can span two months, from the counting logs. Three queries."""
    monday = day - datetime.timedelta(days=day.weekday())
    week = (
        ActivityLog.objects.filter(
            expert=expert, date__gte=monday, date__lte=monday + datetime.timedelta(days=6)
        )
        .counting()
        .aggregate(hours=Sum("hours"))["hours"]
    )
    year = ExpertMonth.objects.filter(expert=expert, month__year=day.year).aggregate(
        hours=Sum("hours")
    )["hours"]
    per_month = expert.availability_hours_per_month or ZERO
    return {
        "week": {
            "hours": week or ZERO,
            "available": (per_month * MONTHS_PER_YEAR / WEEKS_PER_YEAR).quantize(Decimal("0.1")),
        },
        "month": {"hours": hours_in_month(expert, day=day), "available": per_month},
        "year": {"hours": year or ZERO, "available": per_month * MONTHS_PER_YEAR},
    }


def own_activity_logs(expert: Expert) -> QuerySet[ActivityLog]:
    """The expert's logged hours, newest first, with what their list shows."""
    return (
        ActivityLog.objects.filter(expert=expert)
        .select_related("placement__network", "match__request", "meeting")
        .order_by("-date", "-pk")
    )


# How far back a meeting can be chosen when logging hours for it.
MEETINGS_BACK = datetime.timedelta(days=92)


def log_targets(expert: Expert, *, today: datetime.date) -> dict[str, QuerySet]:
    """What an expert may log hours for: their open placements, their confirmed requests
    (matches), and the meetings of the networks of their open placements from the last three
    months up to today. Three queries when read."""
    placements = Placement.objects.open().filter(expert=expert)
    day_end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    day_start = datetime.datetime.combine(today - MEETINGS_BACK, datetime.time.min)
    return {
        "placement": placements.select_related("network").order_by("network__name"),
        "match": Match.objects.filter(
            Q(status=MatchStatus.CONFIRMED) | Q(status=MatchStatus.DONE), expert=expert
        )
        .select_related("request")
        .order_by("request__title"),
        "meeting": Meeting.objects.filter(
            network__in=placements.values("network"),
            starts_at__gte=timezone.make_aware(day_start),
            starts_at__lt=timezone.make_aware(day_end),
        ).order_by("-starts_at"),
    }
