"""The rules of participation outside the matching, tested where they are defined: which rate
applies on a day (participation/fees/), which hours count in a month and an expert's load
(participation/hours/selectors.py), open and active placements and a network's composition
(participation/placements/). Where a rule has a Python form and a SQL form, both meet the same
cases."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from experts.models import Expert, ExpertKind, ExpertStatus
from learning_networks.models import LearningNetwork
from participation.hours.selectors import (
    agreed_hours,
    hours_in_month,
    inactive,
    over_availability,
    room_left,
    waiting_activity_logs,
    with_agreed_hours,
    with_hours_in_month,
)
from participation.models import (
    ActivityLog,
    ActivityStatus,
    AttendanceStatus,
    Circle,
    FeeRate,
    NetworkComposition,
    Placement,
    PlacementStatus,
)
from participation.placements.selectors import Composition, composition, history_changes
from tests.factories import (
    ActivityLogFactory,
    AttendanceFactory,
    ExpertFactory,
    FeeRateFactory,
    LearningNetworkFactory,
    MatchFactory,
    MeetingFactory,
    PlacementFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
DAY = D(2025, 6, 16)


# --- Fee rates: valid from and until a day ----------------------------------------------------


# (valid from, valid until, valid on DAY)
RATE_CASES = [
    pytest.param(DAY - ONE_DAY, None, True, id="from-the-day-before-without-end"),
    pytest.param(DAY, None, True, id="from-the-day-itself"),
    pytest.param(DAY + ONE_DAY, None, False, id="from-the-day-after"),
    pytest.param(DAY - 10 * ONE_DAY, DAY, True, id="until-the-day-itself"),
    pytest.param(DAY - 10 * ONE_DAY, DAY - ONE_DAY, False, id="until-the-day-before"),
    pytest.param(DAY - 10 * ONE_DAY, DAY + ONE_DAY, True, id="until-the-day-after"),
    pytest.param(DAY, DAY, True, id="for-one-day"),
]


@pytest.mark.parametrize(("valid_from", "valid_until", "valid"), RATE_CASES)
def test_a_rate_applies_from_its_first_to_its_last_day(valid_from, valid_until, valid):
    rate = FeeRateFactory(valid_from=valid_from, valid_until=valid_until)
    assert rate.is_valid_on(DAY) is valid
    assert FeeRate.objects.valid_on(DAY).filter(pk=rate.pk).exists() is valid


@hypothesis_settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    starts=st.integers(min_value=-5, max_value=5),
    lasts=st.none() | st.integers(min_value=0, max_value=5),
)
def test_python_and_sql_forms_of_a_valid_rate_agree(starts, lasts):
    valid_from = DAY + starts * ONE_DAY
    valid_until = None if lasts is None else valid_from + lasts * ONE_DAY
    rate = FeeRateFactory(valid_from=valid_from, valid_until=valid_until)
    in_sql = set(FeeRate.objects.filter(pk=rate.pk).valid_on(DAY))
    assert (rate in in_sql) == rate.is_valid_on(DAY)


# --- Hours in a month ---------------------------------------------------------------------


def log(expert, date, hours, status=ActivityStatus.SUBMITTED, **kwargs) -> ActivityLog:
    return ActivityLogFactory(
        expert=expert, date=date, hours=Decimal(hours), status=status, **kwargs
    )


def test_counting_hours_are_every_log_that_is_not_rejected():
    expert = ExpertFactory()
    now = timezone.now()
    counted = {
        log(expert, DAY, "1", ActivityStatus.SUBMITTED),
        log(expert, DAY, "2", ActivityStatus.APPROVED, approved_at=now),
    }
    log(expert, DAY, "4", ActivityStatus.REJECTED)
    assert set(ActivityLog.objects.counting()) == counted


@pytest.mark.parametrize(
    ("date", "in_june"),
    [
        pytest.param(D(2025, 5, 31), False, id="last-day-of-the-month-before"),
        pytest.param(D(2025, 6, 1), True, id="first-day"),
        pytest.param(D(2025, 6, 30), True, id="last-day"),
        pytest.param(D(2025, 7, 1), False, id="first-day-of-the-next-month"),
        pytest.param(D(2024, 6, 16), False, id="same-month-a-year-earlier"),
    ],
)
def test_a_log_counts_in_the_month_of_its_date(date, in_june):
    entry = log(ExpertFactory(), date, "1")
    assert ActivityLog.objects.in_month(DAY).filter(pk=entry.pk).exists() is in_june


def test_hours_in_month_adds_the_counting_hours_of_that_expert_in_that_month():
    expert, other = ExpertFactory(), ExpertFactory()
    log(expert, D(2025, 6, 1), "1.5")
    log(expert, D(2025, 6, 30), "2", ActivityStatus.APPROVED, approved_at=timezone.now())
    log(expert, D(2025, 6, 10), "8", ActivityStatus.REJECTED)
    log(expert, D(2025, 5, 31), "3")
    log(expert, D(2025, 7, 1), "3")
    log(other, D(2025, 6, 10), "5")
    assert hours_in_month(expert, day=DAY) == Decimal("3.5")
    annotated = {e: e.hours_in_month for e in with_hours_in_month(Expert.objects.all(), day=DAY)}
    assert annotated == {expert: Decimal("3.5"), other: Decimal("5")}


def test_hours_in_month_is_zero_without_counting_logs():
    expert = ExpertFactory()
    log(expert, DAY, "8", ActivityStatus.REJECTED)
    assert hours_in_month(expert, day=DAY) == Decimal("0")
    (annotated,) = with_hours_in_month(Expert.objects.all(), day=DAY)
    assert annotated.hours_in_month == Decimal("0")


def test_with_hours_in_month_can_name_the_annotation():
    expert = ExpertFactory()
    log(expert, DAY, "2")
    (annotated,) = with_hours_in_month(Expert.objects.all(), day=DAY, name="june")
    assert annotated.june == Decimal("2")
    assert not hasattr(annotated, "hours_in_month")


def test_waiting_logs_are_the_submitted_ones_oldest_first_with_what_the_list_shows(
    django_assert_num_queries,
):
    expert = ExpertFactory(first_name="Sanne", last_name="Bakker")
    network = LearningNetworkFactory(name="Normaliseren")
    placement = PlacementFactory(expert=expert, network=network)
    meeting = MeetingFactory(network=network, title="Voorjaarsbijeenkomst")
    match = MatchFactory(expert=expert, request=RequestFactory(title="Gastles"))
    newest = log(expert, DAY, "1", placement=placement, match=match)
    # Two logs of one day, the higher pk saved first: only the pk puts them in order.
    same_day = log(expert, DAY - 2 * ONE_DAY, "1", pk=900_001)
    oldest = log(
        expert,
        DAY - 2 * ONE_DAY,
        "1.5",
        pk=900_000,
        meeting=meeting,
        description="Voorbereid",
        travel_costs=Decimal("4.20"),
        sessions=1,
    )
    log(expert, DAY - 5 * ONE_DAY, "1", ActivityStatus.REJECTED)
    log(expert, DAY - 5 * ONE_DAY, "1", ActivityStatus.APPROVED, approved_at=timezone.now())
    # One query: the logs joined with everything the list prints.
    with django_assert_num_queries(1):
        rows = list(waiting_activity_logs())
        shown = [
            (
                row.expert.full_name,
                row.placement and row.placement.network.name,
                row.match and row.match.request.title,
                row.meeting and (row.meeting.title, row.meeting.starts_at),
                row.date,
                row.get_kind_display(),
                row.description,
                row.hours,
                row.sessions,
                row.travel_costs,
                row.created_at is not None,
            )
            for row in rows
        ]
    assert rows == [oldest, same_day, newest]
    assert shown[0] == (
        "Sanne Bakker",
        None,
        None,
        ("Voorjaarsbijeenkomst", meeting.starts_at),
        DAY - 2 * ONE_DAY,
        "Bijeenkomst",
        "Voorbereid",
        Decimal("1.5"),
        1,
        Decimal("4.20"),
        True,
    )
    assert shown[2][1:3] == ("Normaliseren", "Gastles")


# --- Load ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "agreed", "used", "room"),
    [
        ("8", "0", "0", "8"),
        ("8", "0", "2.5", "5.5"),
        ("8", "0", "8", "0"),
        ("8", "0", "10", "-2"),
        ("0", "0", "0", "0"),
        # Agreed placement hours are taken every month, logged yet or not.
        ("8", "4", "0", "4"),
        # Logged hours hold the placement's hours once logged: never both.
        ("8", "4", "3", "4"),
        ("8", "4", "6", "2"),
        ("8", "10", "2", "-2"),
    ],
)
def test_room_left_is_what_the_expert_gave_minus_the_larger_of_agreed_and_logged(
    available, agreed, used, room
):
    assert room_left(
        available=Decimal(available), agreed=Decimal(agreed), used=Decimal(used)
    ) == Decimal(room)


def test_agreed_hours_count_open_placements_in_python_and_in_sql():
    expert = ExpertFactory()
    PlacementFactory(expert=expert, hours_per_month=Decimal("3"))
    changed = PlacementFactory(expert=expert, hours_per_month=Decimal("1.5"))
    PlacementFactory(expert=expert, hours_per_month=Decimal("2"), status=PlacementStatus.PAUSED)
    PlacementFactory(
        expert=expert,
        hours_per_month=Decimal("9"),
        status=PlacementStatus.ENDED,
        ends_on=DAY,
        end_reason="Klaar",
    )
    PlacementFactory(hours_per_month=Decimal("7"))  # someone else's
    without = ExpertFactory()

    annotated = dict(
        with_agreed_hours(Expert.objects.filter(pk__in=[expert.pk, without.pk])).values_list(
            "pk", "agreed_hours"
        )
    )

    assert agreed_hours(expert) == annotated[expert.pk] == Decimal("6.5")
    assert agreed_hours(without) == annotated[without.pk] == Decimal("0")
    assert agreed_hours(expert, leave_out=changed) == Decimal("5")


def test_over_availability_is_strictly_more_hours_than_given_this_month():
    def expert_with(hours: str) -> Expert:
        expert = ExpertFactory(availability_hours_per_month=Decimal("4"))
        log(expert, DAY, hours)
        return expert

    over = expert_with("4.5")
    expert_with("4")
    expert_with("3")
    rejected = ExpertFactory(availability_hours_per_month=Decimal("4"))
    log(rejected, DAY, "6", ActivityStatus.REJECTED)
    last_month = ExpertFactory(availability_hours_per_month=Decimal("4"))
    log(last_month, DAY - 20 * ONE_DAY, "6")
    (row,) = over_availability(Expert.objects.all(), day=DAY)
    assert row == over
    assert row.hours_in_month == Decimal("4.5")


NOW = timezone.make_aware(datetime.datetime(2025, 6, 16, 12, 0))
TODAY = NOW.date()
WINDOW = datetime.timedelta(days=settings.SAMEN_INACTIVE_AFTER_DAYS)
# Added to Samen, and linked to a network (PlacementFactory), long before NOW.
ADDED_LONG_AGO = timezone.make_aware(datetime.datetime(2024, 1, 8, 9, 0))


def inactive_now() -> set[Expert]:
    return set(inactive(Expert.objects.all(), today=TODAY, now=NOW))


def placed(**kwargs) -> Expert:
    kwargs.setdefault("created_at", ADDED_LONG_AGO)
    expert = ExpertFactory(**kwargs)
    PlacementFactory(expert=expert)
    return expert


def test_inactive_are_active_placed_experts_without_hours_or_presence_for_30_days():
    assert settings.SAMEN_INACTIVE_AFTER_DAYS == 30
    quiet = placed()
    proposed_only = ExpertFactory(created_at=ADDED_LONG_AGO)
    PlacementFactory(expert=proposed_only, status=PlacementStatus.PROPOSED)
    ExpertFactory(created_at=ADDED_LONG_AGO)  # no placement: nothing to be active in
    ended_only = ExpertFactory(created_at=ADDED_LONG_AGO)
    PlacementFactory(
        expert=ended_only, status=PlacementStatus.ENDED, ends_on=DAY, end_reason="Klaar"
    )
    placed(status=ExpertStatus.PAUSED)
    assert inactive_now() == {quiet, proposed_only}


@pytest.mark.parametrize(
    ("logged_on", "is_inactive"),
    [
        pytest.param(TODAY - datetime.timedelta(days=30), False, id="logged-30-days-ago"),
        pytest.param(TODAY - datetime.timedelta(days=31), True, id="logged-31-days-ago"),
        pytest.param(TODAY, False, id="logged-today"),
    ],
)
def test_logged_hours_in_the_last_30_days_keep_an_expert_active(logged_on, is_inactive):
    expert = placed()
    log(expert, logged_on, "1")
    assert (expert in inactive_now()) is is_inactive


@pytest.mark.parametrize(
    ("starts_at", "status", "is_inactive"),
    [
        pytest.param(NOW - WINDOW, AttendanceStatus.PRESENT, False, id="present-30-days-ago"),
        pytest.param(
            NOW - WINDOW - datetime.timedelta(minutes=1),
            AttendanceStatus.PRESENT,
            True,
            id="present-just-over-30-days-ago",
        ),
        pytest.param(NOW, AttendanceStatus.PRESENT, False, id="present-at-a-meeting-starting-now"),
        pytest.param(
            NOW + datetime.timedelta(minutes=1),
            AttendanceStatus.PRESENT,
            True,
            id="a-meeting-still-to-come",
        ),
        pytest.param(NOW - ONE_DAY, AttendanceStatus.ABSENT, True, id="absent"),
        pytest.param(NOW - ONE_DAY, AttendanceStatus.COMING, True, id="said-they-would-come"),
    ],
)
def test_presence_at_a_meeting_in_the_last_30_days_keeps_an_expert_active(
    starts_at, status, is_inactive
):
    expert = placed()
    meeting = MeetingFactory(starts_at=starts_at)
    AttendanceFactory(meeting=meeting, expert=expert, status=status)
    assert (expert in inactive_now()) is is_inactive


@pytest.mark.parametrize(
    ("added", "is_inactive"),
    [
        pytest.param(NOW, False, id="added-today"),
        pytest.param(NOW - WINDOW + ONE_DAY, False, id="added-29-days-ago"),
        pytest.param(NOW - WINDOW, False, id="added-30-days-ago"),
        pytest.param(NOW - WINDOW - ONE_DAY, True, id="added-31-days-ago"),
    ],
)
def test_inactive_counts_from_the_day_the_expert_was_added(added, is_inactive):
    """Imported today with a placement that started long ago: not quiet for 30 days."""
    expert = placed(created_at=added)
    assert (expert in inactive_now()) is is_inactive


@pytest.mark.parametrize(
    ("starts_on", "is_inactive"),
    [
        pytest.param(TODAY, False, id="linked-today"),
        pytest.param(TODAY - WINDOW, False, id="linked-30-days-ago"),
        pytest.param(TODAY - WINDOW - ONE_DAY, True, id="linked-31-days-ago"),
    ],
)
def test_inactive_counts_from_the_start_of_the_placement(starts_on, is_inactive):
    """In Samen for long, but linked to a network only recently."""
    expert = ExpertFactory(created_at=ADDED_LONG_AGO)
    PlacementFactory(expert=expert, starts_on=starts_on)
    assert (expert in inactive_now()) is is_inactive


def test_a_recent_placement_next_to_an_old_one_does_not_hide_a_quiet_expert():
    expert = placed()
    PlacementFactory(expert=expert, starts_on=TODAY)
    assert inactive_now() == {expert}


def test_inactive_only_looks_at_the_experts_own_logs_and_meetings():
    expert, busy = placed(), placed()
    log(busy, TODAY, "1")
    AttendanceFactory(
        meeting=MeetingFactory(starts_at=NOW - ONE_DAY), expert=busy, status="present"
    )
    assert inactive_now() == {expert}


# --- Placements: open, active, and a network's composition ----------------------------------


def test_open_placements_are_proposed_active_or_paused_and_current_only_active():
    placements = {
        status: PlacementFactory(status=status)
        for status in (PlacementStatus.PROPOSED, PlacementStatus.ACTIVE, PlacementStatus.PAUSED)
    }
    PlacementFactory(status=PlacementStatus.ENDED, ends_on=DAY, end_reason="Klaar")
    assert set(Placement.objects.open()) == set(placements.values())
    assert list(Placement.objects.current()) == [placements[PlacementStatus.ACTIVE]]


def test_composition_counts_the_active_youth_and_parents_per_network():
    network, other, empty = (LearningNetworkFactory() for _ in range(3))
    for kind in (ExpertKind.YOUTH, ExpertKind.YOUTH, ExpertKind.PARENT):
        PlacementFactory(network=network, expert=ExpertFactory(kind=kind))
    PlacementFactory(
        network=network, expert=ExpertFactory(kind=ExpertKind.PARENT), status="proposed"
    )
    PlacementFactory(network=other, expert=ExpertFactory(kind=ExpertKind.PARENT))
    PlacementFactory(network=empty, status=PlacementStatus.PAUSED)
    counts = Placement.objects.composition_by_network()
    assert set(counts) == {network.pk, other.pk}
    mine = counts[network.pk]
    assert (mine["youth"], mine["parents"], mine["circle_second"]) == (2, 1, 3)
    assert (mine["circle_core"], mine["circle_third"], mine["level_3"]) == (0, 0, 3)
    theirs = Placement.objects.filter(network=other).composition_by_network()
    assert list(theirs) == [other.pk]
    assert (theirs[other.pk]["youth"], theirs[other.pk]["parents"]) == (0, 1)
    # The counts kept for every network are the same figures.
    kept = NetworkComposition.objects.get(network=network).counts()
    assert kept == mine


def test_composition_of_one_network_against_its_target():
    network = LearningNetworkFactory(target_youth=3, target_parents=2)
    PlacementFactory(network=network, expert=ExpertFactory(kind=ExpertKind.YOUTH))
    PlacementFactory(network=LearningNetworkFactory(), expert=ExpertFactory(kind="parent"))
    assert composition(network) == Composition(youth=1, parents=0, target_youth=3, target_parents=2)
    empty = LearningNetworkFactory(target_youth=1, target_parents=1)
    assert composition(empty) == Composition(youth=0, parents=0, target_youth=1, target_parents=1)


@pytest.mark.parametrize(
    ("youth", "parents", "shortfall", "without_parents"),
    [
        (0, 0, 5, True),
        (1, 2, 2, False),
        (3, 0, 2, True),
        (5, 1, 1, False),  # more youth does not make up for a missing parent
        (3, 2, 0, False),
        (4, 4, 0, False),
    ],
)
def test_shortfall_counts_the_missing_youth_and_parents_separately(
    youth, parents, shortfall, without_parents
):
    network = LearningNetwork(target_youth=3, target_parents=2)
    c = Composition.of(network, {"youth": youth, "parents": parents})
    assert c.shortfall == shortfall
    assert c.without_parents is without_parents


def test_one_more_expert_joins_the_group_of_their_kind():
    before = Composition(youth=1, parents=0, target_youth=3, target_parents=2)
    assert before.with_one_more(ExpertKind.PARENT) == Composition(1, 1, 3, 2)
    assert before.with_one_more(ExpertKind.YOUTH) == Composition(2, 0, 3, 2)
    assert before.with_one_more(ExpertKind.PARENT).without_parents is False


def test_history_changes_keep_the_start_and_each_change_of_the_fields_asked():
    placement = PlacementFactory(ladder_level=3)
    placement.hours_per_month = Decimal("6")
    placement.save()  # not a field asked about
    placement.ladder_level, placement.circle = 1, Circle.CORE
    placement.save()
    untouched = PlacementFactory()
    changes = history_changes([placement.pk, untouched.pk], fields=("ladder_level",))
    (start, change) = changes[placement.pk]
    assert start[0] is None and start[1].ladder_level == 3
    assert (change[0].ladder_level, change[1].ladder_level) == (3, 1)
    assert [previous for previous, _row in changes[untouched.pk]] == [None]
