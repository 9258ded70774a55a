"""Reads for the placement pages: networks with their composition, one network's placements
and meetings, the effect of a placement before it is saved, and its ladder history.

Each function runs a fixed number of queries, whatever the number of rows."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from experts.models import Expert, ExpertKind
from experts.profiles.selectors import SharedProfile, shared_profiles
from learning_networks.models import LearningNetwork, Meeting, MeetingStatus
from participation.hours.selectors import agreed_hours, hours_in_month, room_left
from participation.models import (
    Circle,
    LadderLevel,
    NetworkComposition,
    Placement,
    PlacementStatus,
    circle_for_level,
)

RECENT_MEETING_DAYS = 90
RECENT_MEETINGS_SHOWN = 12


@dataclass(frozen=True)
class Composition:
    """A network's active ExpEx and parents against its target (the "stand van zaken")."""

    youth: int
    parents: int
    target_youth: int
    target_parents: int

    @classmethod
    def of(cls, network: LearningNetwork, counts: dict | None) -> "Composition":
        """From one network's row of ``PlacementQuerySet.composition_by_network`` (or None)."""
        counts = counts or {}
        return cls(
            youth=counts.get("youth", 0),
            parents=counts.get("parents", 0),
            target_youth=network.target_youth,
            target_parents=network.target_parents,
        )

    @property
    def youth_shortfall(self) -> int:
        return max(self.target_youth - self.youth, 0)

    @property
    def parent_shortfall(self) -> int:
        return max(self.target_parents - self.parents, 0)

    @property
    def shortfall(self) -> int:
        return self.youth_shortfall + self.parent_shortfall

    @property
    def without_parents(self) -> bool:
        return self.parents == 0

    def with_one_more(self, kind: str) -> "Composition":
        """The composition after one more active ExpEx or parent joins."""
        is_youth = kind == ExpertKind.YOUTH
        return replace(
            self, youth=self.youth + int(is_youth), parents=self.parents + int(not is_youth)
        )


def composition_counts(network: LearningNetwork) -> dict[str, int]:
    """The counts kept for a network loaded with ``select_related("composition_counts")``;
    zeros for a network that never had a placement."""
    try:
        return network.composition_counts.counts()
    except NetworkComposition.DoesNotExist:
        return dict.fromkeys(NetworkComposition.COUNTS, 0)


def composition(network: LearningNetwork) -> Composition:
    """One network's composition. One query."""
    counts = Placement.objects.filter(network=network).composition_by_network()
    return Composition.of(network, counts.get(network.pk))


def network_rows(*, now: datetime.datetime) -> list[LearningNetwork]:
    """Every network (active ones first) with its composition (the counts kept in
    ``NetworkComposition``), the placements that are proposed or paused, its next planned
    meeting and its leads. Two queries."""
    next_meeting = (
        Meeting.objects.filter(
            network=OuterRef("pk"), status=MeetingStatus.PLANNED, starts_at__gte=now
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    networks = list(
        LearningNetwork.objects.select_related("composition_counts")
        .annotate(
            not_yet_active=Count(
                "placements",
                filter=Q(placements__status__in=[PlacementStatus.PROPOSED, PlacementStatus.PAUSED]),
            ),
            next_meeting_at=Subquery(next_meeting),
        )
        .prefetch_related(
            Prefetch("leads", queryset=get_user_model().objects.only("name", "email"))
        )
        .order_by("-is_active", "name")
    )
    for network in networks:
        network.composition = Composition.of(network, composition_counts(network))
    return networks


def without_parents(networks: Iterable[LearningNetwork]) -> list[LearningNetwork]:
    """The active networks among ``networks`` (each with its ``composition``) that have no
    active parent: the networks the dashboard flags, and the network list shows with
    ``?parents=none``."""
    return [n for n in networks if n.is_active and n.composition.without_parents]


def linked_after_consent_withdrawn(
    experts: QuerySet[Expert], *, on: datetime.date
) -> QuerySet[Expert]:
    """The experts among ``experts`` who withdrew the consent to take part
    (``ExpertQuerySet.with_consent_to_take_part_withdrawn``) and still have an open
    (proposed, active or paused) placement: the coordinator ends it after talking to them.
    The dashboard's signal and the expert list's filter."""
    linked = Placement.objects.open().filter(expert=OuterRef("pk"))
    return experts.with_consent_to_take_part_withdrawn(on=on).filter(Exists(linked))


def open_placements(network: LearningNetwork) -> list[Placement]:
    """The network's proposed, active and paused placements with expert, rate and roles.
    Two queries."""
    return list(
        Placement.objects.open()
        .filter(network=network)
        .select_related("expert", "fee_rate")
        .prefetch_related("roles")
        .order_by("ladder_level", "expert__first_name", "expert__last_name", "pk")
    )


def placements_by_circle(placements: list[Placement]) -> list[dict]:
    """Placements grouped by circle, then by ladder level; empty groups are kept so the page
    shows where nobody is."""
    circles = []
    for circle in Circle:
        in_circle = [p for p in placements if p.circle == circle]
        levels = sorted({p.ladder_level for p in in_circle} | _levels_of(circle))
        circles.append(
            {
                "circle": circle,
                "label": circle.label,
                "count": len(in_circle),
                "levels": [
                    {
                        "level": level,
                        "label": LadderLevel(level).label,
                        "placements": [p for p in in_circle if p.ladder_level == level],
                    }
                    for level in levels
                ],
            }
        )
    return circles


def _levels_of(circle: str) -> set[int]:
    return {level for level in LadderLevel.values if circle_for_level(level) == circle}


def recent_meetings(network: LearningNetwork, *, now: datetime.datetime) -> list[Meeting]:
    """Meetings of the last 90 days and the ones planned after, newest first, each marked
    when more people are expected than the maximum group size. One query."""
    meetings = list(
        Meeting.objects.filter(
            network=network,
            starts_at__gte=now - datetime.timedelta(days=RECENT_MEETING_DAYS),
        )
        .only("title", "kind", "starts_at", "ends_at", "status", "expected_participants")
        .order_by("-starts_at")[:RECENT_MEETINGS_SHOWN]
    )
    limit = network.group_size_limit
    for meeting in meetings:
        meeting.too_large = meeting.expected_participants > limit
    return meetings


@dataclass(frozen=True)
class PlacementEffect:
    """What a new placement would change, shown before it is saved."""

    before: Composition
    after: Composition
    agreed_hours_before: Decimal
    agreed_hours_after: Decimal
    availability: Decimal
    hours_in_month: Decimal
    next_meeting: Meeting | None
    group_limit: int
    date_of_birth_unknown: bool

    @property
    def over_availability(self) -> bool:
        return self.agreed_hours_after > self.availability

    @property
    def room_left_before(self) -> Decimal:
        """The hours the expert has left this month now, as the request page says it."""
        return room_left(
            available=self.availability, agreed=self.agreed_hours_before, used=self.hours_in_month
        )

    @property
    def room_left_after(self) -> Decimal:
        """The hours the expert has left this month with this placement."""
        return room_left(
            available=self.availability, agreed=self.agreed_hours_after, used=self.hours_in_month
        )

    @property
    def next_meeting_size_after(self) -> int | None:
        """The next meeting's expected people with this expert in it: what saving the
        placement writes on it (``placement_services.coming_meetings_recount``)."""
        if self.next_meeting is None:
            return None
        return self.next_meeting.expected_participants + 1

    @property
    def next_meeting_too_large(self) -> bool:
        size = self.next_meeting_size_after
        return size is not None and size > self.group_limit


def placement_effect(
    *,
    expert: Expert,
    network: LearningNetwork,
    hours_per_month: Decimal,
    now: datetime.datetime,
    starts_on: datetime.date | None = None,
    placement: Placement | None = None,
) -> PlacementEffect:
    """The network's composition before and after; the expert's agreed hours per month over
    all their open placements against the availability they gave, and the hours they have left
    this month before and after (``room_left``); and the size of the first meeting the expert
    joins (``MeetingQuerySet.joined_by_new_member``) with this expert in it. Four queries;
    nothing is written.

    With ``placement`` (a change), that placement's current values are left out of "before"."""
    others: QuerySet[Placement] = Placement.objects.all()
    if placement is not None and placement.pk:
        others = others.exclude(pk=placement.pk)
    counts = others.filter(network=network).composition_by_network()
    before = Composition.of(network, counts.get(network.pk))
    after = before.with_one_more(expert.kind)
    agreed = agreed_hours(expert, leave_out=placement)
    starts_on = starts_on or timezone.localdate(now)
    next_meeting = Meeting.objects.joined_by_new_member(
        network, starts_on=starts_on, now=now
    ).first()
    return PlacementEffect(
        before=before,
        after=after,
        agreed_hours_before=agreed,
        agreed_hours_after=agreed + hours_per_month,
        availability=expert.availability_hours_per_month,
        hours_in_month=hours_in_month(expert, day=timezone.localdate(now)),
        next_meeting=next_meeting,
        group_limit=network.group_size_limit,
        date_of_birth_unknown=expert.date_of_birth is None,
    )


def history_changes(placement_ids: Iterable[int], *, fields: tuple[str, ...]) -> dict[int, list]:
    """Per placement, the rows of its audit trail where one of ``fields`` changed, oldest
    first, as (previous row or None, row); the first row is how the placement started. The
    rows carry ``history_date`` and ``history_user``. One query."""
    rows = (
        Placement.history.filter(id__in=list(placement_ids))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    changes: dict[int, list] = defaultdict(list)
    previous: dict[int, object] = {}
    for row in rows:
        before = previous.get(row.id)
        if before is None or any(getattr(before, f) != getattr(row, f) for f in fields):
            changes[row.id].append((before, row))
        previous[row.id] = row
    return changes


def ladder_history(placement: Placement) -> list[dict]:
    """Every change of the ladder level (and circle) of a placement, oldest first, with the
    date and who made it; the first row is the level it started on. One query."""
    changes = history_changes([placement.pk], fields=("ladder_level", "circle"))
    return [
        {
            "date": row.history_date,
            "by": row.history_user,
            "old_level": None if previous is None else LadderLevel(previous.ladder_level),
            "new_level": LadderLevel(row.ladder_level),
            "old_circle": None if previous is None else Circle(previous.circle),
            "new_circle": Circle(row.circle),
            "circle_overridden": row.circle_overridden,
        }
        for previous, row in changes[placement.pk]
    ]


@dataclass(frozen=True)
class Member:
    """An expert in a lead's network: their shared profile and their place in the network."""

    profile: SharedProfile
    ladder_level: LadderLevel
    roles: list[str]


def networks_for_lead(user) -> list[LearningNetwork]:
    """The networks a lead leads, each with ``members``: its active placements, the expert
    seen through ``shared_profiles`` (only what the expert shares). An expert who withdrew
    the consent to take part has no shared profile and is not listed, even while the
    coordinator has not ended the placement yet. At most four queries; one for a lead
    without networks."""
    networks = list(LearningNetwork.objects.led_by(user).order_by("name"))
    if not networks:
        return networks
    placements = list(
        Placement.objects.current()
        .filter(network__in=networks)
        .only("pk", "network_id", "expert_id", "ladder_level")
        .prefetch_related("roles")
        .order_by("expert__first_name", "expert__last_name", "pk")
    )
    profiles = shared_profiles(Expert.objects.filter(pk__in={p.expert_id for p in placements}))
    by_network: dict[int, list[Member]] = defaultdict(list)
    for placement in placements:
        if placement.expert_id not in profiles:
            continue
        by_network[placement.network_id].append(
            Member(
                profile=profiles[placement.expert_id],
                ladder_level=LadderLevel(placement.ladder_level),
                roles=[role.get_role_display() for role in placement.roles.all()],
            )
        )
    for network in networks:
        network.members = by_network.get(network.pk, [])
    return networks
