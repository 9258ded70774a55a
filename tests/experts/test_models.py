"""The experts app keeps its rules in the database: every constraint rejects a bad row, even
when ``full_clean`` is bypassed, and accepts the matching good one. The rules in code (ages,
consent) are in test_rules.py."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from experts.models import (
    AvailableTime,
    AwayPeriod,
    ConsentGiver,
    ConsentPurpose,
    Expert,
    ExpertPreferredRole,
    ExpertRole,
    ExpertSupportNeed,
    Invitation,
    Training,
    TrainingRequest,
    TrainingRequestStatus,
)
from tests.constraints import violates
from tests.factories import (
    ConsentFactory,
    ExpertFactory,
    ParentalConsentRequestFactory,
    RecruitmentContactFactory,
    TrainingFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _two_experts(email: str) -> Expert:
    ExpertFactory(email=email)
    return ExpertFactory(email=email)


def _two_roles(first: str, second: str) -> ExpertPreferredRole:
    expert = ExpertFactory()
    ExpertPreferredRole.objects.create(expert=expert, role=first)
    return ExpertPreferredRole.objects.create(expert=expert, role=second)


def _two_training_records(first_start: datetime.date, second_start: datetime.date):
    record = TrainingRecordFactory(started_on=first_start)
    return TrainingRecordFactory(
        expert=record.expert, training=record.training, started_on=second_start
    )


def _two_consents(*, first_withdrawn: bool):
    first = ConsentFactory(
        purpose=ConsentPurpose.PARTICIPATION,
        withdrawn_at=NOW if first_withdrawn else None,
        given_at=NOW - datetime.timedelta(days=30),
    )
    return ConsentFactory(expert=first.expert, purpose=ConsentPurpose.PARTICIPATION)


def _invitation(valid_for: datetime.timedelta, send_count: int = 1) -> Invitation:
    expert = ExpertFactory()
    return Invitation.objects.create(
        expert=expert,
        email=expert.email,
        sent_at=NOW,
        expires_at=NOW + valid_for,
        send_count=send_count,
    )


def _two_requests(first: dict, second: dict) -> TrainingRequest:
    expert = ExpertFactory()
    TrainingRequest.objects.create(expert=expert, **first)
    return TrainingRequest.objects.create(expert=expert, **second)


HANDLED = {"status": TrainingRequestStatus.HANDLED, "handled_at": NOW}


def _two_support_needs(first: str, second: str) -> ExpertSupportNeed:
    expert = ExpertFactory()
    ExpertSupportNeed.objects.create(expert=expert, need=first)
    return ExpertSupportNeed.objects.create(expert=expert, need=second)


def _two_times(first: tuple[int, str], second: tuple[int, str]) -> AvailableTime:
    expert = ExpertFactory()
    AvailableTime.objects.create(expert=expert, weekday=first[0], part=first[1])
    return AvailableTime.objects.create(expert=expert, weekday=second[0], part=second[1])


def _away(starts: int, ends: int) -> AwayPeriod:
    today = datetime.date(2026, 3, 1)
    return AwayPeriod.objects.create(
        expert=ExpertFactory(),
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=ends),
    )


def _two_away_periods(second_ends: int) -> AwayPeriod:
    first = _away(1, 5)
    return AwayPeriod.objects.create(
        expert=first.expert,
        starts_on=first.starts_on,
        ends_on=first.starts_on + datetime.timedelta(days=second_ends),
    )


# (constraint name, a row that breaks it, the nearest row that keeps it)
CASES = [
    (
        "training_request_names_a_training",
        lambda: TrainingRequest.objects.create(expert=ExpertFactory(), wish=""),
        lambda: TrainingRequest.objects.create(expert=ExpertFactory(), wish="Presenteren"),
    ),
    (
        "training_request_handled_has_date",
        lambda: TrainingRequest.objects.create(
            expert=ExpertFactory(), wish="Presenteren", status=TrainingRequestStatus.HANDLED
        ),
        lambda: TrainingRequest.objects.create(
            expert=ExpertFactory(), wish="Presenteren", **HANDLED
        ),
    ),
    (
        "training_request_one_open_per_training",
        lambda: _two_requests(
            {"training": TrainingFactory(name="A")}, {"training": Training.objects.get(name="A")}
        ),
        # Asking again after the first was handled is a new request.
        lambda: _two_requests(
            {"training": TrainingFactory(name="B"), **HANDLED},
            {"training": Training.objects.get(name="B")},
        ),
    ),
    (
        "training_request_one_open_per_wish",
        lambda: _two_requests({"wish": "Stress"}, {"wish": "Stress"}),
        lambda: _two_requests({"wish": "Stress", **HANDLED}, {"wish": "Stress"}),
    ),
    (
        "expert_support_need_unique",
        lambda: _two_support_needs("companion", "companion"),
        lambda: _two_support_needs("companion", "reading"),
    ),
    (
        "available_time_unique",
        lambda: _two_times((0, "evening"), (0, "evening")),
        lambda: _two_times((0, "evening"), (0, "morning")),
    ),
    (
        "available_time_weekday_valid",
        lambda: AvailableTime.objects.create(expert=ExpertFactory(), weekday=7, part="evening"),
        lambda: AvailableTime.objects.create(expert=ExpertFactory(), weekday=6, part="evening"),
    ),
    (
        "away_period_ends_after_start",
        lambda: _away(5, 4),
        # One day away: the first day is the last.
        lambda: _away(5, 5),
    ),
    (
        "away_period_unique",
        lambda: _two_away_periods(4),
        lambda: _two_away_periods(5),
    ),
    (
        "expert_availability_not_negative",
        lambda: ExpertFactory(availability_hours_per_month=Decimal("-0.5")),
        lambda: ExpertFactory(availability_hours_per_month=Decimal("0")),
    ),
    (
        "expert_email_unique",
        lambda: _two_experts("dubbel@samen.test"),
        # Experts without an e-mail address (a parent reached by phone) may be many.
        lambda: _two_experts(""),
    ),
    (
        "expert_role_unique",
        lambda: _two_roles(ExpertRole.EDUCATION, ExpertRole.EDUCATION),
        lambda: _two_roles(ExpertRole.EDUCATION, ExpertRole.ADVOCACY),
    ),
    (
        "training_hours_not_negative",
        lambda: TrainingFactory(hours=Decimal("-1")),
        lambda: TrainingFactory(hours=Decimal("0")),
    ),
    (
        "training_record_unique",
        lambda: _two_training_records(datetime.date(2025, 1, 10), datetime.date(2025, 1, 10)),
        lambda: _two_training_records(datetime.date(2025, 1, 10), datetime.date(2025, 9, 1)),
    ),
    (
        "training_record_completed_after_start",
        lambda: TrainingRecordFactory(
            started_on=datetime.date(2025, 3, 1), completed_on=datetime.date(2025, 2, 28)
        ),
        lambda: TrainingRecordFactory(
            started_on=datetime.date(2025, 3, 1), completed_on=datetime.date(2025, 3, 1)
        ),
    ),
    (
        "training_record_hours_not_negative",
        lambda: TrainingRecordFactory(hours=Decimal("-2")),
        lambda: TrainingRecordFactory(hours=Decimal("0")),
    ),
    (
        "consent_one_in_force_per_purpose",
        lambda: _two_consents(first_withdrawn=False),
        # A withdrawn consent and a new one in force for the same purpose are fine.
        lambda: _two_consents(first_withdrawn=True),
    ),
    (
        "consent_withdrawn_after_given",
        lambda: ConsentFactory(given_at=NOW, withdrawn_at=NOW - datetime.timedelta(minutes=1)),
        lambda: ConsentFactory(given_at=NOW, withdrawn_at=NOW),
    ),
    (
        "consent_parent_named",
        lambda: ConsentFactory(given_by=ConsentGiver.PARENT, given_by_name=""),
        lambda: ConsentFactory(given_by=ConsentGiver.PARENT, given_by_name="Petra de Vries"),
    ),
    (
        "consent_parent_named",
        lambda: ConsentFactory(given_by=ConsentGiver.GUARDIAN, given_by_name=""),
        lambda: ConsentFactory(given_by=ConsentGiver.SELF, given_by_name=""),
    ),
    (
        "recruitment_done_has_follow_up",
        lambda: RecruitmentContactFactory(follow_up_on=None, follow_up_done_at=NOW),
        lambda: RecruitmentContactFactory(
            follow_up_on=datetime.date(2025, 3, 1), follow_up_done_at=NOW
        ),
    ),
    (
        "invitation_expires_after_sent",
        lambda: _invitation(datetime.timedelta(0)),
        lambda: _invitation(datetime.timedelta(seconds=1)),
    ),
    (
        "invitation_expires_after_sent",
        lambda: _invitation(-datetime.timedelta(days=1)),
        lambda: _invitation(datetime.timedelta(days=14)),
    ),
    (
        "invitation_sent_at_least_once",
        lambda: _invitation(datetime.timedelta(days=14), send_count=0),
        lambda: _invitation(datetime.timedelta(days=14), send_count=1),
    ),
    (
        "parental_request_one_current",
        lambda: _two_parental_requests(first_replaced=False),
        # A replaced link and a new one for the same expert are fine.
        lambda: _two_parental_requests(first_replaced=True),
    ),
    (
        "parental_request_expires_after_asked",
        lambda: ParentalConsentRequestFactory(created_at=NOW, expires_at=NOW),
        lambda: ParentalConsentRequestFactory(
            created_at=NOW, expires_at=NOW + datetime.timedelta(seconds=1)
        ),
    ),
    (
        "parental_request_answer_named",
        lambda: ParentalConsentRequestFactory(answered_at=NOW, answered_by_name=""),
        lambda: ParentalConsentRequestFactory(answered_at=NOW, answered_by_name="Petra de Vries"),
    ),
]


def _two_parental_requests(*, first_replaced: bool):
    first = ParentalConsentRequestFactory(replaced_at=NOW if first_replaced else None)
    return ParentalConsentRequestFactory(expert=first.expert)


@pytest.mark.parametrize(
    ("name", "bad", "good"),
    [pytest.param(*case, id=f"{case[0]}-{i}") for i, case in enumerate(CASES)],
)
def test_database_rejects_row_breaking_constraint_and_accepts_good_row(name, bad, good):
    # The error must name this constraint, so no other rule is what stopped the row.
    with pytest.raises(IntegrityError, match=violates(name)), transaction.atomic():
        bad()
    assert good().pk is not None


def test_every_experts_constraint_has_a_case():
    defined = {
        constraint.name
        for model in apps.get_app_config("experts").get_models()
        for constraint in model._meta.constraints
    }
    assert defined == {name for name, _bad, _good in CASES}
