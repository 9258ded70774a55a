"""Placements, requests, matches, attendance and fees keep their rules in the database: every
constraint rejects a bad row, even when ``full_clean`` is bypassed, and accepts the matching
good one. Plus the circle that follows the ladder, the seeded allowance limits and the audit
trail."""

import datetime
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from experts.models import ExpertKind, ExpertRole
from participation.models import (
    ActivityStatus,
    AllowanceLimit,
    Circle,
    DataExport,
    DataExportState,
    DeclaredAllowance,
    ErasureRequest,
    ErasureState,
    ExpertMonth,
    MatchStatus,
    MonthTotal,
    Placement,
    PlacementRole,
    PlacementStatus,
)
from tests.constraints import violates
from tests.factories import (
    ActivityLogFactory,
    AttendanceFactory,
    ExpertFactory,
    FeeRateFactory,
    LearningNetworkFactory,
    MatchFactory,
    PaymentFactory,
    PlacementFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
D = Decimal


def _two_placements(first_status: str, second_status: str) -> Placement:
    ended = {"ends_on": datetime.date(2025, 6, 30), "end_reason": "Klaar"}
    first = PlacementFactory(
        status=first_status, **(ended if first_status == PlacementStatus.ENDED else {})
    )
    return PlacementFactory(expert=first.expert, network=first.network, status=second_status)


def _two_placement_roles(first: str, second: str) -> PlacementRole:
    placement = PlacementFactory()
    PlacementRole.objects.create(placement=placement, role=first)
    return PlacementRole.objects.create(placement=placement, role=second)


def _two_matches(*, same_expert: bool):
    match = MatchFactory()
    return MatchFactory(
        request=match.request, expert=match.expert if same_expert else ExpertFactory()
    )


def _two_attendances(*, same_expert: bool):
    attendance = AttendanceFactory()
    return AttendanceFactory(
        meeting=attendance.meeting,
        expert=attendance.expert if same_expert else ExpertFactory(),
    )


def _limit(**overrides) -> AllowanceLimit:
    values = {
        "year": 2099,
        "per_hour_21_and_over": D("5.60"),
        "per_hour_under_21": D("3.30"),
        "per_month": D("210"),
        "per_year": D("2100"),
    } | overrides
    return AllowanceLimit.objects.create(**values)


def _declared(**overrides) -> DeclaredAllowance:
    values = {
        "expert": ExpertFactory(),
        "organisation_name": "Sportvereniging De Zwaluw",
        "year": 2025,
        "month": 3,
        "amount": D("25.00"),
    } | overrides
    return DeclaredAllowance.objects.create(**values)


def _confirmed_match(**overrides):
    values = {
        "status": MatchStatus.CONFIRMED,
        "expert_confirmed_at": NOW,
        "requester_confirmed_at": NOW,
        "expectations": "Twee keer meelezen en één gesprek.",
        "hours": D("3"),
    } | overrides
    return MatchFactory(**values)


PAID = {"status": "paid", "paid_at": NOW}

# (constraint name, a row that breaks it, the nearest row that keeps it)
CASES = [
    # Attendance
    (
        "attendance_unique",
        lambda: _two_attendances(same_expert=True),
        lambda: _two_attendances(same_expert=False),
    ),
    (
        "attendance_hours_not_negative",
        lambda: AttendanceFactory(hours=D("-1")),
        lambda: AttendanceFactory(hours=D("0")),
    ),
    # Fee rates
    (
        "fee_rate_amount_not_negative",
        lambda: FeeRateFactory(amount=D("-0.01")),
        lambda: FeeRateFactory(amount=D("0")),
    ),
    (
        "fee_rate_valid_until_after_from",
        lambda: FeeRateFactory(
            valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2024, 12, 31)
        ),
        lambda: FeeRateFactory(
            valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2025, 1, 1)
        ),
    ),
    (
        "fee_rate_deviation_explained",
        lambda: FeeRateFactory(only_for_kind=ExpertKind.PARENT, deviation_reason=""),
        lambda: FeeRateFactory(
            only_for_kind=ExpertKind.PARENT, deviation_reason="Afspraak met de gemeente."
        ),
    ),
    # Volunteer-allowance limits
    (
        "allowance_limit_positive",
        lambda: _limit(per_month=D("210"), per_year=D("209.99")),
        lambda: _limit(per_month=D("210"), per_year=D("210")),
    ),
    (
        "allowance_limit_positive",
        lambda: _limit(per_hour_21_and_over=D("0")),
        lambda: _limit(per_hour_21_and_over=D("0.01")),
    ),
    (
        "allowance_limit_positive",
        lambda: _limit(per_hour_under_21=D("0")),
        lambda: _limit(per_hour_under_21=D("0.01")),
    ),
    (
        "allowance_limit_positive",
        lambda: _limit(per_month=D("0"), per_year=D("0")),
        lambda: _limit(per_month=D("0.01"), per_year=D("0.01")),
    ),
    (
        "allowance_limit_year_sane",
        lambda: _limit(year=1999),
        lambda: _limit(year=2000),
    ),
    (
        "allowance_limit_year_sane",
        lambda: _limit(year=2101),
        lambda: _limit(year=2100),
    ),
    # Allowances from elsewhere
    (
        "declared_allowance_not_negative",
        lambda: _declared(amount=D("-5")),
        lambda: _declared(amount=D("0")),
    ),
    (
        "declared_allowance_month_valid",
        lambda: _declared(month=0),
        lambda: _declared(month=1),
    ),
    (
        "declared_allowance_month_valid",
        lambda: _declared(month=13),
        lambda: _declared(month=12),
    ),
    # Payments
    (
        "payment_amounts_not_negative",
        lambda: PaymentFactory(allowance_amount=D("-1")),
        lambda: PaymentFactory(allowance_amount=D("0"), costs_amount=D("4.20")),
    ),
    (
        "payment_amounts_not_negative",
        lambda: PaymentFactory(fee_amount=D("-1")),
        lambda: PaymentFactory(fee_amount=D("0")),
    ),
    (
        "payment_amounts_not_negative",
        lambda: PaymentFactory(costs_amount=D("-1")),
        lambda: PaymentFactory(costs_amount=D("0")),
    ),
    (
        "payment_month_valid",
        lambda: PaymentFactory(month=0),
        lambda: PaymentFactory(month=1),
    ),
    (
        "payment_month_valid",
        lambda: PaymentFactory(month=13),
        lambda: PaymentFactory(month=12),
    ),
    (
        "payment_paid_has_date",
        lambda: PaymentFactory(status="paid", paid_at=None),
        lambda: PaymentFactory(**PAID),
    ),
    # Activity logs
    (
        "activity_not_negative",
        lambda: ActivityLogFactory(hours=D("-1"), sessions=1),
        lambda: ActivityLogFactory(hours=D("0"), sessions=1),
    ),
    (
        "activity_not_negative",
        lambda: ActivityLogFactory(travel_costs=D("-3.50")),
        lambda: ActivityLogFactory(travel_costs=D("3.50")),
    ),
    (
        "activity_not_empty",
        lambda: ActivityLogFactory(hours=D("0"), sessions=0, travel_costs=D("0")),
        # Only travel costs (a trip to a meeting) is a real activity.
        lambda: ActivityLogFactory(hours=D("0"), sessions=0, travel_costs=D("6.80")),
    ),
    (
        "activity_at_most_a_day",
        lambda: ActivityLogFactory(hours=D("24.01")),
        lambda: ActivityLogFactory(hours=D("24")),
    ),
    (
        "activity_approved_has_date",
        lambda: ActivityLogFactory(status=ActivityStatus.APPROVED, approved_at=None),
        lambda: ActivityLogFactory(status=ActivityStatus.APPROVED, approved_at=NOW),
    ),
    (
        "activity_approved_has_date",
        lambda: ActivityLogFactory(status=ActivityStatus.PAID, approved_at=None),
        lambda: ActivityLogFactory(status=ActivityStatus.REJECTED, approved_at=None),
    ),
    (
        "activity_paid_has_payment",
        lambda: ActivityLogFactory(status=ActivityStatus.PAID, approved_at=NOW, payment=None),
        lambda: ActivityLogFactory(
            status=ActivityStatus.PAID, approved_at=NOW, payment=PaymentFactory(**PAID)
        ),
    ),
    # Placements
    (
        "placement_one_open_per_expert_network",
        lambda: _two_placements(PlacementStatus.ACTIVE, PlacementStatus.ACTIVE),
        # An ended placement and a new active one for the same expert and network are fine.
        lambda: _two_placements(PlacementStatus.ENDED, PlacementStatus.ACTIVE),
    ),
    (
        "placement_one_open_per_expert_network",
        lambda: _two_placements(PlacementStatus.PAUSED, PlacementStatus.PROPOSED),
        lambda: _two_placements(PlacementStatus.ENDED, PlacementStatus.PROPOSED),
    ),
    (
        "placement_one_open_per_expert_network",
        lambda: _two_placements(PlacementStatus.ACTIVE, PlacementStatus.PAUSED),
        lambda: PlacementFactory(expert=PlacementFactory().expert),  # another network
    ),
    (
        "placement_ends_after_start",
        lambda: PlacementFactory(
            starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2024, 12, 31)
        ),
        lambda: PlacementFactory(
            starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 1, 1)
        ),
    ),
    (
        "placement_hours_not_negative",
        lambda: PlacementFactory(hours_per_month=D("-1")),
        lambda: PlacementFactory(hours_per_month=D("0")),
    ),
    (
        "placement_ladder_level_valid",
        lambda: PlacementFactory(ladder_level=6, circle=Circle.THIRD, circle_overridden=True),
        lambda: PlacementFactory(ladder_level=5, circle=Circle.THIRD, circle_overridden=True),
    ),
    (
        "placement_ladder_level_valid",
        lambda: PlacementFactory(ladder_level=0, circle=Circle.CORE, circle_overridden=True),
        lambda: PlacementFactory(ladder_level=1, circle=Circle.CORE, circle_overridden=True),
    ),
    (
        "placement_circle_follows_ladder",
        lambda: PlacementFactory(ladder_level=1, circle=Circle.THIRD),
        # A coordinator may choose another circle on purpose.
        lambda: PlacementFactory(ladder_level=1, circle=Circle.THIRD, circle_overridden=True),
    ),
    (
        "placement_circle_follows_ladder",
        lambda: PlacementFactory(ladder_level=4, circle=Circle.CORE),
        lambda: PlacementFactory(ladder_level=4, circle=Circle.SECOND),
    ),
    (
        "placement_circle_follows_ladder",
        lambda: PlacementFactory(ladder_level=5, circle=Circle.SECOND),
        lambda: PlacementFactory(ladder_level=5, circle=Circle.THIRD),
    ),
    (
        "placement_circle_valid",
        # Even a circle chosen by hand must be one of the three.
        lambda: PlacementFactory(ladder_level=1, circle="", circle_overridden=True),
        lambda: PlacementFactory(ladder_level=1, circle=Circle.SECOND, circle_overridden=True),
    ),
    (
        "placement_ended_has_end_date",
        lambda: PlacementFactory(status=PlacementStatus.ENDED, ends_on=None),
        lambda: PlacementFactory(
            status=PlacementStatus.ENDED, ends_on=datetime.date(2025, 6, 30), end_reason="Klaar"
        ),
    ),
    (
        "placement_role_unique",
        lambda: _two_placement_roles(ExpertRole.CONNECTING, ExpertRole.CONNECTING),
        lambda: _two_placement_roles(ExpertRole.CONNECTING, ExpertRole.EDUCATION),
    ),
    # Requests
    (
        "request_has_requester",
        lambda: RequestFactory(organisation=None, network=None),
        lambda: RequestFactory(organisation=None, network=LearningNetworkFactory()),
    ),
    (
        # Exactly one side asks: a network or an outside organisation, not both.
        "request_has_requester",
        lambda: RequestFactory(network=LearningNetworkFactory()),
        lambda: RequestFactory(network=None),
    ),
    (
        "request_ends_after_start",
        lambda: RequestFactory(
            starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 8, 31)
        ),
        lambda: RequestFactory(
            starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 9, 1)
        ),
    ),
    (
        "request_hours_not_negative",
        lambda: RequestFactory(expected_hours=D("-1")),
        lambda: RequestFactory(expected_hours=D("0")),
    ),
    (
        "request_wants_expert",
        lambda: RequestFactory(experts_wanted=0),
        lambda: RequestFactory(experts_wanted=1),
    ),
    # Matches
    (
        "match_one_per_request_expert",
        lambda: _two_matches(same_expert=True),
        lambda: _two_matches(same_expert=False),
    ),
    (
        "match_hours_not_negative",
        lambda: MatchFactory(hours=D("-1")),
        lambda: MatchFactory(hours=D("0")),
    ),
    (
        "match_confirmed_by_both",
        lambda: _confirmed_match(requester_confirmed_at=None),
        lambda: _confirmed_match(),
    ),
    (
        "match_confirmed_by_both",
        lambda: _confirmed_match(expert_confirmed_at=None),
        # A proposed match that only the expert confirmed is on its way.
        lambda: _confirmed_match(status=MatchStatus.PROPOSED, requester_confirmed_at=None),
    ),
    (
        "match_confirmed_by_both",
        lambda: _confirmed_match(expectations=""),
        lambda: _confirmed_match(expectations="Eén gastles."),
    ),
    (
        "match_confirmed_by_both",
        lambda: _confirmed_match(hours=D("0")),
        lambda: _confirmed_match(hours=D("0.5")),
    ),
    (
        "match_confirmed_by_both",
        lambda: _confirmed_match(
            status=MatchStatus.DONE, expert_confirmed_at=None, requester_confirmed_at=None
        ),
        lambda: _confirmed_match(status=MatchStatus.DONE),
    ),
    # Monthly sums of hours
    (
        "expert_month_unique",
        lambda: _two_expert_months(same_month=True),
        lambda: _two_expert_months(same_month=False),
    ),
    (
        "expert_month_first_day",
        lambda: ExpertMonth.objects.create(expert=ExpertFactory(), month=datetime.date(2025, 3, 2)),
        lambda: ExpertMonth.objects.create(expert=ExpertFactory(), month=datetime.date(2025, 3, 1)),
    ),
    (
        "month_total_first_day",
        lambda: MonthTotal.objects.create(month=datetime.date(2025, 3, 31)),
        lambda: MonthTotal.objects.create(month=datetime.date(2025, 3, 1)),
    ),
    # An expert's own data: downloads and erasure requests
    (
        "data_export_one_unfinished_per_expert",
        lambda: _two_exports(DataExportState.QUEUED, DataExportState.WORKING),
        lambda: _two_exports(DataExportState.FAILED, DataExportState.QUEUED),
    ),
    (
        "data_export_ready_has_file",
        lambda: DataExport.objects.create(
            expert=ExpertFactory(), state=DataExportState.READY, expires_at=NOW
        ),
        lambda: DataExport.objects.create(
            expert=ExpertFactory(), state=DataExportState.READY, expires_at=NOW, file="a.zip"
        ),
    ),
    (
        "data_export_ready_has_file",
        lambda: DataExport.objects.create(
            expert=ExpertFactory(), state=DataExportState.READY, file="a.zip"
        ),
        lambda: DataExport.objects.create(
            expert=ExpertFactory(), state=DataExportState.EXPIRED, file=""
        ),
    ),
    (
        "erasure_request_one_waiting_per_expert",
        lambda: _two_erasure_requests(ErasureState.WAITING),
        lambda: _two_erasure_requests(ErasureState.CANCELLED),
    ),
    (
        "erasure_request_refusal_explained",
        lambda: ErasureRequest.objects.create(
            expert=ExpertFactory(), state=ErasureState.REFUSED, decided_at=NOW
        ),
        lambda: ErasureRequest.objects.create(
            expert=ExpertFactory(),
            state=ErasureState.REFUSED,
            decided_at=NOW,
            refusal_reason="Nu niet.",
        ),
    ),
    (
        "erasure_request_answered_has_date",
        lambda: ErasureRequest.objects.create(expert=ExpertFactory(), state=ErasureState.DONE),
        lambda: ErasureRequest.objects.create(
            expert=ExpertFactory(), state=ErasureState.DONE, decided_at=NOW
        ),
    ),
]


def _two_exports(first: str, second: str) -> DataExport:
    expert = ExpertFactory()
    DataExport.objects.create(expert=expert, state=first)
    return DataExport.objects.create(expert=expert, state=second)


def _two_erasure_requests(first: str) -> ErasureRequest:
    expert = ExpertFactory()
    decided = {"decided_at": NOW} if first != ErasureState.WAITING else {}
    ErasureRequest.objects.create(expert=expert, state=first, **decided)
    return ErasureRequest.objects.create(expert=expert)


def _two_expert_months(*, same_month: bool) -> ExpertMonth:
    expert = ExpertFactory()
    ExpertMonth.objects.create(expert=expert, month=datetime.date(2025, 3, 1))
    month = datetime.date(2025, 3, 1) if same_month else datetime.date(2025, 4, 1)
    return ExpertMonth.objects.create(expert=expert, month=month)


@pytest.mark.parametrize(
    ("name", "bad", "good"),
    [pytest.param(*case, id=f"{case[0]}-{i}") for i, case in enumerate(CASES)],
)
def test_database_rejects_row_breaking_constraint_and_accepts_good_row(name, bad, good):
    # The error must name this constraint, so no other rule is what stopped the row.
    with pytest.raises(IntegrityError, match=violates(name)), transaction.atomic():
        bad()
    assert good().pk is not None


def test_bulk_create_cannot_slip_two_open_placements_past_the_database():
    first = PlacementFactory()
    twin = PlacementFactory.build(expert=first.expert, network=first.network)
    rule = "placement_one_open_per_expert_network"
    with pytest.raises(IntegrityError, match=violates(rule)), transaction.atomic():
        Placement.objects.bulk_create([twin])
    assert Placement.objects.filter(expert=first.expert).count() == 1


def test_update_cannot_break_the_circle_rule():
    placement = PlacementFactory(ladder_level=3)
    rule = "placement_circle_follows_ladder"
    with pytest.raises(IntegrityError, match=violates(rule)), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(ladder_level=1)
    placement.refresh_from_db()
    assert placement.ladder_level == 3


def test_every_participation_constraint_has_a_case():
    defined = {
        constraint.name
        for model in apps.get_app_config("participation").get_models()
        for constraint in model._meta.constraints
    }
    assert defined == {name for name, _bad, _good in CASES}


TESTED_APPS = {"accounts", "experts", "learning_networks", "participation", "evaluations"}


def _is_project_app(path: str) -> bool:
    """Our own apps, not the installed libraries (the venv may live inside the project)."""
    return Path(path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(path).parts


def test_no_other_project_app_has_constraints_without_a_test_module():
    """A constraint in a new app (or in samen.accounts) needs its own tests/<app>/test_models.py
    with cases like the four apps above; add the app to TESTED_APPS then."""
    untested = {
        f"{config.label}.{constraint.name}"
        for config in apps.get_app_configs()
        if _is_project_app(config.path) and config.label not in TESTED_APPS
        for model in config.get_models()
        for constraint in model._meta.constraints
    }
    assert untested == set()
    for label in TESTED_APPS:
        assert (Path(__file__).parent.parent / label / "test_models.py").exists()


# The circle follows the ladder unless a coordinator chose it by hand.


@pytest.mark.parametrize(
    ("level", "circle"),
    [
        (1, Circle.CORE),
        (2, Circle.CORE),
        (3, Circle.SECOND),
        (4, Circle.SECOND),
        (5, Circle.THIRD),
    ],
)
def test_placement_clean_derives_the_circle_from_the_ladder(level, circle):
    placement = Placement(ladder_level=level, circle=Circle.THIRD if level < 5 else Circle.CORE)
    placement.clean()
    assert placement.circle == circle


def test_placement_clean_keeps_a_circle_chosen_by_hand():
    placement = Placement(ladder_level=1, circle=Circle.THIRD, circle_overridden=True)
    placement.clean()
    assert placement.circle == Circle.THIRD


def test_placement_clean_fills_an_empty_circle_even_when_overridden():
    placement = Placement(ladder_level=4, circle="", circle_overridden=True)
    placement.clean()
    assert placement.circle == Circle.SECOND


def test_placement_full_clean_corrects_the_circle_so_the_database_accepts_it():
    placement = PlacementFactory.build(
        expert=ExpertFactory(), network=LearningNetworkFactory(), ladder_level=2, circle="third"
    )
    placement.full_clean()
    placement.save()
    placement.refresh_from_db()
    assert placement.circle == Circle.CORE


def test_placement_full_clean_derives_a_missing_circle():
    placement = PlacementFactory.build(
        expert=ExpertFactory(), network=LearningNetworkFactory(), ladder_level=2, circle=""
    )
    placement.full_clean()
    assert placement.circle == Circle.CORE


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_ending_a_placement_needs_a_reason(reason):
    placement = Placement(
        ladder_level=3,
        status=PlacementStatus.ENDED,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
        end_reason=reason,
    )
    with pytest.raises(ValidationError) as caught:
        placement.clean()
    assert caught.value.message_dict == {"end_reason": ["Zeg waarom de koppeling stopt."]}


def test_ending_a_placement_with_a_reason_is_fine():
    placement = Placement(
        ladder_level=3,
        status=PlacementStatus.ENDED,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
        end_reason="Gaat studeren in een andere stad.",
    )
    placement.clean()
    assert placement.circle == Circle.SECOND


def test_placement_ending_before_it_starts_is_flagged():
    placement = Placement(
        ladder_level=3, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    with pytest.raises(ValidationError) as caught:
        placement.clean()
    assert caught.value.message_dict == {
        "ends_on": ["De einddatum kan niet voor de begindatum liggen."]
    }


def test_placement_may_end_on_the_day_it_starts():
    placement = Placement(
        ladder_level=3, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 1, 1)
    )
    placement.clean()
    assert placement.circle == Circle.SECOND


# The volunteer-allowance limits that the migration seeds (the table in docs/domain.md).

DOMAIN_LIMITS = {
    # year: (per hour 21 and over, per hour under 21, per month, per year)
    2023: (D("5.00"), D("2.75"), D("190"), D("1900")),
    2024: (D("5.50"), D("3.25"), D("210"), D("2100")),
    2025: (D("5.60"), D("3.30"), D("210"), D("2100")),
}


def test_migration_seeds_the_allowance_limits_of_domain_md():
    seeded = {
        limit.year: (
            limit.per_hour_21_and_over,
            limit.per_hour_under_21,
            limit.per_month,
            limit.per_year,
        )
        for limit in AllowanceLimit.objects.filter(year__in=DOMAIN_LIMITS)
    }
    assert seeded == DOMAIN_LIMITS
    for values in seeded.values():
        assert all(isinstance(value, Decimal) for value in values)


def test_allowance_limit_year_is_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        _limit(year=2025)
    assert AllowanceLimit.objects.filter(year=2025).count() == 1


# The audit trail: who changed a placement, when, and what it was before.


def test_changing_the_ladder_level_keeps_the_old_level_in_the_history():
    placement = PlacementFactory(ladder_level=3)
    before = timezone.now()

    placement.ladder_level = 1
    placement.circle = Circle.CORE
    placement.save()

    newest, oldest = placement.history.order_by("-history_date", "-history_id")
    assert oldest.history_type == "+"
    assert oldest.ladder_level == 3
    assert oldest.circle == Circle.SECOND
    assert newest.history_type == "~"
    assert newest.ladder_level == 1
    assert newest.history_date >= before
    assert oldest.history_date <= newest.history_date
    delta = newest.diff_against(oldest)
    assert {change.field for change in delta.changes} == {"ladder_level", "circle"}
    assert next(c for c in delta.changes if c.field == "ladder_level").old == 3


def test_the_migration_starts_the_history_of_every_declared_allowance(db):
    """Allowances from elsewhere declared before the history get a first row as they are."""
    migration = importlib.import_module(
        "participation.migrations.0013_declared_allowance_history_starts"
    )
    declared = _declared(amount=D("12.50"))
    DeclaredAllowance.history.all().delete()

    migration.start(apps, None)

    (first,) = declared.history.all()
    assert (first.history_type, first.history_user, first.amount) == ("+", None, D("12.50"))
    assert (first.expert_id, first.year, first.month) == (declared.expert_id, 2025, 3)
