"""What the expert's page of commitments and their calendar link show: their own placements,
matches and meetings, each list in one query."""

import dataclasses
import datetime

from django.db.models import CharField, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from experts.models import Expert
from learning_networks.models import Meeting, MeetingStatus
from participation.attendance.selectors import meetings_of
from participation.models import Match, MatchStatus, Placement

# How far back the calendar link goes: a calendar keeps what it had, this only keeps the
# recent past in step (a meeting moved or cancelled last week).
CALENDAR_DAYS_BACK = 90


@dataclasses.dataclass(frozen=True)
class Commitments:
    placements: list[Placement]
    to_answer: list[Match]
    waiting: list[Match]
    confirmed: list[Match]
    meetings: list[Meeting]


def _placements(expert: Expert) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(expert=expert)
        .open()
        .select_related("network", "fee_rate")
        .prefetch_related("roles")
        .order_by("starts_on", "pk")
    )


def _meetings(expert: Expert) -> QuerySet[Meeting]:
    """The expert's meetings with their own answer as ``my_status`` ("" when none yet)."""
    return (
        meetings_of(Placement.objects.filter(expert=expert))
        .select_related("network", "prepares")
        .annotate(mine=FilteredRelation("attendances", condition=Q(attendances__expert=expert)))
        .annotate(my_status=Coalesce("mine__status", Value(""), output_field=CharField()))
    )


def commitments_for(expert: Expert, *, now: datetime.datetime) -> Commitments:
    """The expert's open placements with their agreements; the proposals they have not
    answered, the ones they said yes to that wait for the other side, and the confirmed
    matches; and the meetings that have not ended, first one first. Four queries."""
    matches = list(
        Match.objects.filter(
            expert=expert, status__in=[MatchStatus.PROPOSED, MatchStatus.CONFIRMED]
        )
        .select_related("request__network", "request__organisation")
        .order_by("proposed_at", "pk")
    )
    proposed = [match for match in matches if match.status == MatchStatus.PROPOSED]
    return Commitments(
        placements=list(_placements(expert)),
        to_answer=[match for match in proposed if match.expert_confirmed_at is None],
        waiting=[match for match in proposed if match.expert_confirmed_at is not None],
        confirmed=[match for match in matches if match.status == MatchStatus.CONFIRMED],
        meetings=list(
            _meetings(expert)
            .filter(ends_at__gt=now, status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED])
            .order_by("starts_at", "pk")
        ),
    )


def calendar_items(
    expert: Expert, *, now: datetime.datetime
) -> tuple[list[Meeting], list[Placement]]:
    """What the calendar link holds: the expert's meetings from ``CALENDAR_DAYS_BACK`` days
    ago on (cancelled ones too, so a calendar that has them marks them cancelled), and their
    open placements. Two queries."""
    since = now - datetime.timedelta(days=CALENDAR_DAYS_BACK)
    meetings = list(_meetings(expert).filter(ends_at__gte=since).order_by("starts_at", "pk"))
    placements = list(Placement.objects.filter(expert=expert).open().select_related("network"))
    return meetings, placements
