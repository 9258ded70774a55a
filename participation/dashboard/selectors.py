"""The figures of the coordinator's dashboard. Each read runs a fixed number of queries, and
reads the monthly sums of hours, never the logs themselves."""

import datetime

from django.db.models import (
    CharField,
    Count,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Lower

from experts.models import Expert, RecruitmentContact
from learning_networks.models import LearningNetwork, Meeting, MeetingStatus
from participation.hours import selectors as hours_selectors
from participation.models import (
    Circle,
    ErasureRequest,
    LadderLevel,
    Match,
    MatchStatus,
    NetworkComposition,
    Request,
)
from participation.placements.selectors import (
    Composition,
    composition_counts,
    linked_after_consent_withdrawn,
)

# How many names a dashboard signal lists; the count is always the full number.
SIGNAL_NAMES_SHOWN = 10
RECENT_MEETING_DAYS = 90
# The names under a signal, alphabetical whatever their capitals. Sorting on lower() also keeps
# PostgreSQL from walking the index on names row by row to find the first ten of a few flagged
# experts (the count over all of them needs every row anyway): 40 ms at 10,000 experts.
BY_NAME = (Lower("first_name"), Lower("last_name"), "pk")
CHART_MONTHS = 12


def network_overview(*, now: datetime.datetime) -> list[LearningNetwork]:
    """Every active network with its composition, circle and ladder spread (the counts kept in
    ``NetworkComposition``) and the largest meeting of the last 90 days against its maximum
    group size. One query."""
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
        .select_related("composition_counts")
        .only(
            "name",
            "is_active",
            "target_youth",
            "target_parents",
            "max_group_size",
            *(f"composition_counts__{name}" for name in NetworkComposition.COUNTS),
        )
        .annotate(largest_meeting=Subquery(largest_meeting))
        .order_by("name")
    )
    for network in networks:
        counts = composition_counts(network)
        network.composition = Composition.of(network, counts)
        network.circles = [counts[f"circle_{circle}"] for circle in Circle]
        network.levels = [counts[f"level_{level}"] for level in LadderLevel]
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
    over = hours_selectors.over_availability(Expert.objects.current(), day=today).order_by(*BY_NAME)
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
    """The first inactive experts (``hours.selectors.inactive``) and how many there are."""
    experts = hours_selectors.inactive(Expert.objects.all(), today=today, now=now).order_by(
        *BY_NAME
    )
    rows, total = _first_rows_and_total(experts, "pk", "first_name", "last_name")
    return _named(rows), total


def under_16_without_consent(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first experts who still take part and are under 16 without a parent's consent to
    take part (``ExpertQuerySet.missing_parental_consent``), and how many there are."""
    experts = Expert.objects.current().missing_parental_consent(on=today).order_by(*BY_NAME)
    rows, total = _first_rows_and_total(experts, "pk", "first_name", "last_name")
    return _named(rows), total


def waiting_for_parent(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first experts who still take part and wait for a parent's consent to take part
    after asking a parent through a link (``ExpertQuerySet.waiting_for_parent``), and how
    many there are."""
    experts = Expert.objects.current().waiting_for_parent(on=today).order_by(*BY_NAME)
    rows, total = _first_rows_and_total(experts, "pk", "first_name", "last_name")
    return _named(rows), total


def consent_withdrawn_still_linked(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first experts who withdrew the consent to take part and still have an open
    placement (``placements.selectors.linked_after_consent_withdrawn``), and how many there
    are."""
    experts = linked_after_consent_withdrawn(Expert.objects.all(), on=today).order_by(*BY_NAME)
    rows, total = _first_rows_and_total(experts, "pk", "first_name", "last_name")
    return _named(rows), total


def follow_ups_due(*, today: datetime.date) -> tuple[list[dict], int]:
    """The first recruitment contacts to get back to today (``follow_up_due``), the oldest
    follow-up date first, and how many there are."""
    contacts = RecruitmentContact.objects.follow_up_due(on=today).order_by("follow_up_on", "pk")
    rows, total = _first_rows_and_total(contacts, "pk", "organisation__name", "follow_up_on")
    return [
        {"pk": row["pk"], "name": row["organisation__name"], "follow_up_on": row["follow_up_on"]}
        for row in rows
    ], total


def _counts(**querysets: QuerySet) -> dict[str, int]:
    """How many rows each of ``querysets`` has, in one query: their counts joined by UNION
    ALL, each row named by its keyword."""
    parts = [
        queryset.order_by()
        .annotate(key=Value(key, output_field=CharField()))
        .values("key")
        .annotate(rows=Count("pk"))
        .values_list("key", "rows")
        for key, queryset in querysets.items()
    ]
    counts = dict(parts[0].union(*parts[1:], all=True))
    return {key: counts.get(key, 0) for key in querysets}


def waiting_counts() -> dict:
    """Work waiting for the coordinator: requests that do not have the experts they asked for
    (``RequestQuerySet.waiting_for_match``), matches without both confirmations, requests to
    erase an expert's data (``ErasureRequestQuerySet.waiting``), hours without approval. Two
    small queries: the hours from the monthly totals, the three counts in one."""
    hours = hours_selectors.waiting_totals()
    counts = _counts(
        open_requests=Request.objects.waiting_for_match(),
        proposed_matches=Match.objects.filter(status=MatchStatus.PROPOSED),
        erasure_requests=ErasureRequest.objects.waiting(),
    )
    return {**counts, "waiting_logs": hours["logs"], "waiting_hours": hours["hours"]}


def monthly_activity(*, today: datetime.date, months: int = CHART_MONTHS) -> list[dict]:
    """Per month of the last ``months`` (this one included): experts with counting hours and
    the sum of those hours. One query over the monthly totals."""
    return [
        {"month": row.month, "experts": row.experts, "hours": row.hours}
        for row in hours_selectors.monthly_totals(today=today, months=months)
    ]
