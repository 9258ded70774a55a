"""Reads for the participation pages. Each returns a bounded number of queries."""

import contextlib
import datetime
import time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import TruncMonth

from experts.models import (
    Expert,
)
from learning_networks.models import LearningNetwork, Meeting, MeetingStatus
from participation.load import selectors as load
from participation.models import (
    ActivityLog,
    Circle,
    LadderLevel,
    Match,
    MatchStatus,
    Placement,
    Request,
    RequestStatus,
)
from participation.placements.selectors import Composition
from samen.dates import month_bounds

# How many names a dashboard signal lists; the count is always the full number.
SIGNAL_NAMES_SHOWN = 10
RECENT_MEETING_DAYS = 90
CHART_MONTHS = 12
PAST_MONTHS_CACHE_SECONDS = 60 * 60
# Raise when the dashboard's HTML changes shape, so no old cached copy is served.
DASHBOARD_CACHE_VERSION = 2


_DATA_VERSION_KEY = "participation:dashboard:data-version"
# The chart's past months change only when hours dated before this month change.
_PAST_MONTHS_VERSION_KEY = "participation:dashboard:past-months-version"


def _version(key: str) -> int:
    """A number that changes whenever the data behind ``key`` changes (see signals.py).

    Cached figures are stored under the version they were computed for. A visit that computed
    figures while a change was being committed stores them under the old version, which is
    never read again, so a stale copy cannot outlive the change."""
    version = cache.get(key)
    if version is None:
        # Start from the clock, so a version lost from the cache never reuses an old number.
        cache.add(key, time.time_ns() // 1000, None)
        version = cache.get(key, 0)
    return version


def _bump(key: str) -> None:
    cache.add(key, time.time_ns() // 1000, None)
    # If the version was evicted just now, the next read starts a new one.
    with contextlib.suppress(ValueError):
        cache.incr(key)


def dashboard_cache_key(language: str) -> str:
    version = _version(_DATA_VERSION_KEY)
    return f"participation:dashboard:{DASHBOARD_CACHE_VERSION}:{version}:{language}"


def forget_dashboard(*, past_months: bool = False) -> None:
    """Make the next visit compute the dashboard's figures again; with ``past_months`` also
    the chart's totals of the months before this one (the costly part: a year of hours)."""
    _bump(_DATA_VERSION_KEY)
    if past_months:
        _bump(_PAST_MONTHS_VERSION_KEY)


def network_overview(*, now: datetime.datetime) -> list[LearningNetwork]:
    """Every active network with its composition, circle and ladder spread and the largest
    meeting of the last 90 days against its maximum group size. Two queries: the counts are
    grouped on the active placements alone, so ended ones are never joined in."""
    by_circle = {f"circle_{circle}": Count("pk", filter=Q(circle=circle)) for circle in Circle}
    by_level = {
        f"level_{level}": Count("pk", filter=Q(ladder_level=level)) for level in LadderLevel
    }
    counts = Placement.objects.composition_by_network(**by_circle, **by_level)
    largest_meeting = (
        Meeting.objects.filter(
            network=OuterRef("pk"),
            starts_at__gte=now - datetime.timedelta(days=RECENT_MEETING_DAYS),
            starts_at__lte=now,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-expected_participants")
        .values("expected_participants")[:1]
    )
    networks = list(
        LearningNetwork.objects.active()
        .only("name", "target_youth", "target_parents", "max_group_size")
        .annotate(largest_meeting=Subquery(largest_meeting))
        .order_by("name")
    )
    for network in networks:
        row = counts.get(network.pk, {})
        network.composition = Composition.of(network, row)
        network.circles = [row.get(name, 0) for name in by_circle]
        network.levels = [row.get(name, 0) for name in by_level]
        network.meeting_too_large = (
            network.largest_meeting is not None
            and network.largest_meeting > network.group_size_limit
        )
    return networks


def _first_rows_and_total(queryset: QuerySet, *fields: str) -> tuple[list[dict], int]:
    """The first rows of a list and the length of the whole list, in one query."""
    rows = list(
        queryset.annotate(total=Window(Count("*"))).values(*fields, "total")[:SIGNAL_NAMES_SHOWN]
    )
    return rows, (rows[0]["total"] if rows else 0)


def experts_over_availability(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first experts (who still take part) over the hours they gave for this month, with
    their hours, and how many there are."""
    over = load.over_availability(Expert.objects.current(), day=today).order_by(
        "first_name", "last_name", "pk"
    )
    rows, total = _first_rows_and_total(
        over, "pk", "first_name", "last_name", "availability_hours_per_month", "hours_in_month"
    )
    return [
        {
            "pk": row["pk"],
            "name": f"{row['first_name']} {row['last_name']}".strip(),
            "hours": row["hours_in_month"],
            "availability": row["availability_hours_per_month"],
        }
        for row in rows
    ], total


def _named(rows: list[dict]) -> list[dict]:
    return [
        {"pk": row["pk"], "name": f"{row['first_name']} {row['last_name']}".strip()} for row in rows
    ]


def inactive_experts(*, today: datetime.date, now: datetime.datetime) -> tuple[list[dict], int]:
    """The first inactive experts (``load.inactive``) and how many there are."""
    experts = load.inactive(Expert.objects.all(), today=today, now=now).order_by(
        "first_name", "last_name", "pk"
    )
    rows, total = _first_rows_and_total(experts, "pk", "first_name", "last_name")
    return _named(rows), total


def under_16_without_consent(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first experts who still take part and are under 16 without a parent's consent to
    take part (``ExpertQuerySet.missing_parental_consent``), and how many there are."""
    experts = (
        Expert.objects.current()
        .missing_parental_consent(on=today)
        .order_by("first_name", "last_name", "pk")
    )
    rows, total = _first_rows_and_total(experts, "pk", "first_name", "last_name")
    return _named(rows), total


def waiting_counts() -> dict:
    """Work waiting for the coordinator: requests without a match, matches without both
    confirmations, hours without approval. Three index-backed counts."""
    hours = ActivityLog.objects.waiting().aggregate(count=Count("pk"), hours=Sum("hours"))
    return {
        "open_requests": Request.objects.filter(status=RequestStatus.OPEN).count(),
        "proposed_matches": Match.objects.filter(status=MatchStatus.PROPOSED).count(),
        "waiting_logs": hours["count"],
        "waiting_hours": hours["hours"] or Decimal("0"),
    }


def _first_chart_month(today: datetime.date, months: int) -> datetime.date:
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def _past_months_cache_key(first: datetime.date) -> str:
    return (
        f"participation:dashboard:{DASHBOARD_CACHE_VERSION}:{_version(_PAST_MONTHS_VERSION_KEY)}"
        f":months-from:{first.isoformat()}"
    )


def _monthly_totals(start: datetime.date, end: datetime.date) -> dict[datetime.date, dict]:
    """Experts with counting hours and the sum of those hours per month in [start, end).
    Bounded by date, so the index on ``date`` limits the scan."""
    return {
        row["month"]: {"experts": row["experts"], "hours": row["hours"]}
        for row in ActivityLog.objects.counting()
        .filter(date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(experts=Count("expert", distinct=True), hours=Sum("hours"))
        .order_by("month")
    }


def monthly_activity(*, today: datetime.date, months: int = CHART_MONTHS) -> list[dict]:
    """Per month of the last ``months`` (this one included): experts with counting hours and
    the sum of those hours.

    Past months hardly change (a late entry, a rejection) but hold most of the rows, so their
    totals are kept for ``PAST_MONTHS_CACHE_SECONDS`` (unless the dashboard's cache is off:
    ``SAMEN_DASHBOARD_CACHE_SECONDS = 0``); this month is counted every time."""
    first = _first_chart_month(today, months)
    this_month, end = month_bounds(today)
    key = _past_months_cache_key(first)
    caching = settings.SAMEN_DASHBOARD_CACHE_SECONDS > 0
    totals = cache.get(key) if caching else None
    if totals is None:
        totals = _monthly_totals(first, this_month)
        if caching:
            cache.set(key, totals, PAST_MONTHS_CACHE_SECONDS)
    totals = {**totals, **_monthly_totals(this_month, end)}
    series = []
    month = first
    while month < end:
        row = totals.get(month, {})
        series.append(
            {
                "month": month,
                "experts": row.get("experts", 0),
                "hours": row.get("hours") or Decimal("0"),
            }
        )
        month = month_bounds(month)[1]
    return series
