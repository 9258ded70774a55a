"""Reads for the participation pages. Each returns a bounded number of queries."""

import contextlib
import datetime
import time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import TruncMonth

from experts.models import (
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Expert,
    ExpertKind,
    ExpertQuerySet,
    ExpertStatus,
)
from learning_networks.models import LearningNetwork, Meeting, MeetingStatus

from .models import (
    ActivityLog,
    Attendance,
    AttendanceStatus,
    Circle,
    LadderLevel,
    Match,
    MatchStatus,
    Placement,
    PlacementStatus,
    Request,
    RequestStatus,
)
from .models.placements import OPEN_PLACEMENT_STATUSES

# How many names a dashboard signal lists; the count is always the full number.
SIGNAL_NAMES_SHOWN = 10
RECENT_MEETING_DAYS = 90
CHART_MONTHS = 12
PAST_MONTHS_CACHE_SECONDS = 60 * 60
# Raise when the dashboard's HTML changes shape, so no old cached copy is served.
DASHBOARD_CACHE_VERSION = 2
# Experts who still take part (or may soon): not stopped, not erased.
_CURRENT_EXPERT_STATUSES = [ExpertStatus.CANDIDATE, ExpertStatus.ACTIVE, ExpertStatus.PAUSED]


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


def networks_with_composition(networks: QuerySet[LearningNetwork] | None = None):
    """Networks annotated with their active ExpEx and parents (the "stand van zaken")."""
    networks = LearningNetwork.objects.all() if networks is None else networks
    active = Q(placements__status=PlacementStatus.ACTIVE)
    rows = networks.annotate(
        active_youth=Count(
            "placements", filter=active & Q(placements__expert__kind=ExpertKind.YOUTH)
        ),
        active_parents=Count(
            "placements", filter=active & Q(placements__expert__kind=ExpertKind.PARENT)
        ),
    ).order_by("name")
    for network in rows:
        network.youth_shortfall = max(network.target_youth - network.active_youth, 0)
        network.parent_shortfall = max(network.target_parents - network.active_parents, 0)
        network.shortfall = network.youth_shortfall + network.parent_shortfall
        network.without_parents = network.active_parents == 0
    return rows


def network_overview(*, now: datetime.datetime) -> list[LearningNetwork]:
    """Every active network with its composition, circle and ladder spread and the largest
    meeting of the last 90 days against its maximum group size. Two queries: the counts are
    grouped on the active placements alone, so ended ones are never joined in."""
    counts_by_level = {
        f"level_{level}": Count("pk", filter=Q(ladder_level=level)) for level in LadderLevel.values
    }
    counts = {
        row.pop("network"): row
        for row in Placement.objects.current()
        .values("network")
        .annotate(
            active_youth=Count("pk", filter=Q(expert__kind=ExpertKind.YOUTH)),
            active_parents=Count("pk", filter=Q(expert__kind=ExpertKind.PARENT)),
            circle_core=Count("pk", filter=Q(circle=Circle.CORE)),
            circle_second=Count("pk", filter=Q(circle=Circle.SECOND)),
            circle_third=Count("pk", filter=Q(circle=Circle.THIRD)),
            **counts_by_level,
        )
        .order_by()
    }
    no_placements = dict.fromkeys(
        ["active_youth", "active_parents", "circle_core", "circle_second", "circle_third"]
        + list(counts_by_level),
        0,
    )
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
        for name, value in counts.get(network.pk, no_placements).items():
            setattr(network, name, value)
        network.youth_shortfall = max(network.target_youth - network.active_youth, 0)
        network.parent_shortfall = max(network.target_parents - network.active_parents, 0)
        network.shortfall = network.youth_shortfall + network.parent_shortfall
        network.without_parents = network.active_parents == 0
        network.levels = [getattr(network, f"level_{level}") for level in LadderLevel.values]
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


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of ``day``'s month and the first day of the next month."""
    start = day.replace(day=1)
    return start, (start + datetime.timedelta(days=32)).replace(day=1)


def _over_availability_rows(*, today: datetime.date) -> QuerySet:
    """Per expert who still takes part: the counting (not rejected) hours this month, only
    where they are above the availability the expert gave. One row per expert."""
    start, end = month_bounds(today)
    return (
        ActivityLog.objects.counting()
        .filter(date__gte=start, date__lt=end, expert__status__in=_CURRENT_EXPERT_STATUSES)
        # Grouped on the availability too, so the HAVING below may compare with it.
        .values("expert", "expert__availability_hours_per_month")
        .annotate(hours=Sum("hours"))
        .filter(hours__gt=F("expert__availability_hours_per_month"))
    )


def only_over_availability(experts: ExpertQuerySet, *, today: datetime.date) -> ExpertQuerySet:
    """The experts whose hours this month (not rejected) are above the availability they gave.
    The dashboard's signal counts the same rows."""
    return experts.filter(pk__in=_over_availability_rows(today=today).values("expert"))


def experts_over_availability(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first experts over their availability this month (see ``only_over_availability``)
    with their hours, and how many there are."""
    over = _over_availability_rows(today=today).order_by(
        "expert__first_name", "expert__last_name", "expert"
    )
    rows, total = _first_rows_and_total(
        over,
        "expert",
        "expert__first_name",
        "expert__last_name",
        "expert__availability_hours_per_month",
        "hours",
    )
    return [
        {
            "pk": row["expert"],
            "name": f"{row['expert__first_name']} {row['expert__last_name']}".strip(),
            "hours": row["hours"],
            "availability": row["expert__availability_hours_per_month"],
        }
        for row in rows
    ], total


def _named(rows: list[dict]) -> list[dict]:
    return [
        {"pk": row["pk"], "name": f"{row['first_name']} {row['last_name']}".strip()} for row in rows
    ]


def only_inactive(
    experts: ExpertQuerySet, *, today: datetime.date, now: datetime.datetime
) -> ExpertQuerySet:
    """Active experts with an open placement who logged no hours and were marked present at no
    meeting in the last ``SAMEN_INACTIVE_AFTER_DAYS`` days. The dashboard's signal counts the
    same rows."""
    days = settings.SAMEN_INACTIVE_AFTER_DAYS
    since_day = today - datetime.timedelta(days=days)
    since = now - datetime.timedelta(days=days)
    open_placement = Placement.objects.filter(
        expert=OuterRef("pk"), status__in=OPEN_PLACEMENT_STATUSES
    )
    logged = ActivityLog.objects.filter(expert=OuterRef("pk"), date__gte=since_day)
    attended = Attendance.objects.filter(
        expert=OuterRef("pk"),
        status=AttendanceStatus.PRESENT,
        meeting__starts_at__gte=since,
        meeting__starts_at__lte=now,
    )
    return (
        experts.active()
        .filter(Exists(open_placement))
        .exclude(Exists(logged))
        .exclude(Exists(attended))
    )


def inactive_experts(*, today: datetime.date, now: datetime.datetime) -> tuple[list[dict], int]:
    """The first inactive experts (see ``only_inactive``) and how many there are."""
    experts = only_inactive(Expert.objects.all(), today=today, now=now).order_by(
        "first_name", "last_name", "pk"
    )
    rows, total = _first_rows_and_total(experts, "pk", "first_name", "last_name")
    return _named(rows), total


def only_missing_parental_consent(
    experts: ExpertQuerySet, *, today: datetime.date
) -> ExpertQuerySet:
    """Experts under 16 who still take part, without a parent's or guardian's consent to take
    part that is in force (their own consent does not count). The dashboard's signal counts
    the same rows."""
    parental_consent = Consent.objects.in_force().filter(
        expert=OuterRef("pk"),
        purpose=ConsentPurpose.PARTICIPATION,
        given_by__in=[ConsentGiver.PARENT, ConsentGiver.GUARDIAN],
    )
    return (
        experts.under_16(today)
        .filter(status__in=_CURRENT_EXPERT_STATUSES)
        .exclude(Exists(parental_consent))
    )


def under_16_without_consent(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first experts under 16 without parental consent (see
    ``only_missing_parental_consent``) and how many there are."""
    experts = only_missing_parental_consent(Expert.objects.all(), today=today).order_by(
        "first_name", "last_name", "pk"
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
