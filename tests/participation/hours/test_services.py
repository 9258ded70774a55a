"""The monthly sums of hours are kept with the logs: what the services write, the sums show
at once, and a rebuild from the logs gives the same sums."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from participation.hours import selectors, services
from participation.models import (
    ActivityKind,
    ActivityLog,
    ActivityStatus,
    ExpertMonth,
    MonthTotal,
)
from tests.factories import ActivityLogFactory, ExpertFactory

D = Decimal
MARCH = datetime.date(2025, 3, 1)


def _sums() -> tuple[set, set]:
    experts = set(
        ExpertMonth.objects.values_list(
            "expert", "month", "logs", "hours", "waiting_logs", "waiting_hours", "last_logged_on"
        )
    )
    months = set(
        MonthTotal.objects.values_list("month", "experts", "hours", "waiting_logs", "waiting_hours")
    )
    return experts, months


def test_recorded_hours_wait_for_approval_and_count_at_once(coordinator, db):
    expert = ExpertFactory()
    log = services.activity_log_record(
        expert=expert,
        logged_by=coordinator,
        date=datetime.date(2025, 3, 14),
        kind=ActivityKind.MEETING,
        hours=D("2.5"),
    )
    assert log.status == ActivityStatus.SUBMITTED
    month = ExpertMonth.objects.get(expert=expert)
    assert (month.month, month.logs, month.hours) == (MARCH, 1, D("2.5"))
    assert (month.waiting_logs, month.waiting_hours) == (1, D("2.5"))
    assert month.last_logged_on == datetime.date(2025, 3, 14)
    total = MonthTotal.objects.get(month=MARCH)
    assert (total.experts, total.hours, total.waiting_logs) == (1, D("2.5"), 1)
    assert selectors.hours_in_month(expert, day=datetime.date(2025, 3, 31)) == D("2.5")
    assert selectors.hours_in_month(expert, day=datetime.date(2025, 4, 1)) == D("0")


def test_recording_refuses_an_empty_log_and_writes_nothing(coordinator, db):
    with pytest.raises(ValidationError):
        services.activity_log_record(
            expert=ExpertFactory(),
            logged_by=coordinator,
            date=MARCH,
            kind=ActivityKind.MEETING,
            hours=D("25"),
        )
    assert not ActivityLog.objects.exists()
    assert not ExpertMonth.objects.exists()


def test_recording_refuses_a_field_with_its_own_workflow(coordinator, db):
    with pytest.raises(TypeError):
        services.activity_log_record(
            expert=ExpertFactory(), logged_by=coordinator, date=MARCH, status="paid"
        )


def test_rejected_hours_stop_counting_and_stop_waiting(coordinator, db):
    log = ActivityLogFactory(date=MARCH, hours=D("3"))
    ActivityLogFactory(expert=log.expert, date=MARCH, hours=D("1"))
    services.activity_log_set_status(log=log, status=ActivityStatus.REJECTED, by=coordinator)
    month = ExpertMonth.objects.get(expert=log.expert)
    assert (month.logs, month.hours, month.waiting_logs, month.waiting_hours) == (
        1,
        D("1"),
        1,
        D("1"),
    )
    # The rejected log still counts as activity in the month.
    assert MonthTotal.objects.get(month=MARCH).hours == D("1")


def test_approved_hours_count_but_no_longer_wait(coordinator, db):
    log = ActivityLogFactory(date=MARCH, hours=D("3"))
    services.activity_log_set_status(log=log, status=ActivityStatus.APPROVED, by=coordinator)
    log.refresh_from_db()
    assert (log.approved_by, log.approved_at is not None) == (coordinator, True)
    month = ExpertMonth.objects.get(expert=log.expert)
    assert (month.hours, month.waiting_logs) == (D("3"), 0)


def test_a_paid_log_never_changes_status(coordinator, db):
    from tests.factories import PaymentFactory

    log = ActivityLogFactory(
        status=ActivityStatus.PAID,
        approved_at=datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC),
        payment=PaymentFactory(status="paid", paid_at=datetime.datetime.now(datetime.UTC)),
    )
    with pytest.raises(ValidationError):
        services.activity_log_set_status(log=log, status=ActivityStatus.REJECTED, by=coordinator)
    log.refresh_from_db()
    assert log.status == ActivityStatus.PAID


def test_setting_the_same_status_twice_changes_nothing(coordinator, db):
    log = ActivityLogFactory(date=MARCH)
    services.activity_log_set_status(log=log, status=ActivityStatus.APPROVED, by=coordinator)
    first = ActivityLog.objects.get(pk=log.pk).approved_at
    services.activity_log_set_status(log=log, status=ActivityStatus.APPROVED, by=coordinator)
    assert ActivityLog.objects.get(pk=log.pk).approved_at == first


def test_a_month_without_logs_left_loses_its_row(db):
    log = ActivityLogFactory(date=MARCH)
    log.delete()
    services.months_refresh(keys=[(log.expert_id, log.date)])
    assert not ExpertMonth.objects.exists()
    total = MonthTotal.objects.get(month=MARCH)
    assert (total.experts, total.hours) == (0, D("0"))


def test_an_expert_with_only_travel_costs_counts_in_the_month(db):
    ActivityLogFactory(date=MARCH, hours=D("0"), travel_costs=D("6.80"))
    assert MonthTotal.objects.get(month=MARCH).experts == 1


def test_rebuild_gives_the_sums_the_services_keep(db):
    rng = random.Random(20251201)
    experts = ExpertFactory.create_batch(4)
    statuses = [ActivityStatus.SUBMITTED, ActivityStatus.APPROVED, ActivityStatus.REJECTED]
    for _ in range(40):
        status = rng.choice(statuses)
        ActivityLogFactory(
            expert=rng.choice(experts),
            date=datetime.date(2025, rng.randint(1, 4), rng.randint(1, 28)),
            hours=D(rng.randint(1, 16)) / 2,
            status=status,
            approved_at=None
            if status == ActivityStatus.SUBMITTED
            else datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
        )
    kept = _sums()
    services.months_rebuild()
    assert _sums() == kept
    # And both agree with adding up the logs themselves.
    for expert in experts:
        for month in range(1, 5):
            day = datetime.date(2025, month, 1)
            logs = ActivityLog.objects.counting().in_month(day).filter(expert=expert)
            assert selectors.hours_in_month(expert, day=day) == sum(
                (log.hours for log in logs), D("0")
            )


def test_over_availability_and_hours_in_month_read_the_same_sums(db):
    busy = ExpertFactory(availability_hours_per_month=D("4"))
    calm = ExpertFactory(availability_hours_per_month=D("4"))
    ActivityLogFactory(expert=busy, date=MARCH, hours=D("4.5"))
    ActivityLogFactory(expert=calm, date=MARCH, hours=D("4"))
    ActivityLogFactory(expert=calm, date=MARCH, hours=D("9"), status=ActivityStatus.REJECTED)
    over = selectors.over_availability(type(busy).objects.all(), day=MARCH)
    assert [(e, e.hours_in_month) for e in over] == [(busy, D("4.5"))]
    annotated = {
        e.pk: e.hours_in_month
        for e in selectors.with_hours_in_month(type(busy).objects.all(), day=MARCH)
    }
    assert annotated == {busy.pk: D("4.5"), calm.pk: D("4")}


def test_monthly_totals_fill_months_without_logs(db):
    ActivityLogFactory(date=datetime.date(2025, 1, 10), hours=D("2"))
    ActivityLogFactory(date=datetime.date(2025, 3, 10), hours=D("3"))
    rows = selectors.monthly_totals(today=datetime.date(2025, 3, 31), months=4)
    assert [(r.month, r.hours, r.experts) for r in rows] == [
        (datetime.date(2024, 12, 1), D("0"), 0),
        (datetime.date(2025, 1, 1), D("2"), 1),
        (datetime.date(2025, 2, 1), D("0"), 0),
        (datetime.date(2025, 3, 1), D("3"), 1),
    ]
    assert selectors.waiting_totals() == {"logs": 2, "hours": D("5")}


def test_hours_in_month_are_the_experts_own(db):
    first, second = ExpertFactory.create_batch(2)
    ActivityLogFactory(expert=first, date=MARCH, hours=D("5"))
    ActivityLogFactory(expert=second, date=MARCH, hours=D("2"))
    assert selectors.hours_in_month(second, day=MARCH) == D("2")
    assert selectors.hours_in_month(first, day=MARCH) == D("5")


def test_monthly_totals_include_the_oldest_month_of_the_window(db):
    ActivityLogFactory(date=datetime.date(2024, 11, 30), hours=D("7"))  # just before it
    ActivityLogFactory(date=datetime.date(2024, 12, 1), hours=D("2"))
    rows = selectors.monthly_totals(today=datetime.date(2025, 3, 31), months=4)
    assert [(r.month, r.hours) for r in rows][0] == (datetime.date(2024, 12, 1), D("2"))
    assert len(rows) == 4


def test_nothing_waiting_counts_zero(db):
    assert selectors.waiting_totals() == {"logs": 0, "hours": D("0")}


def test_room_left_takes_the_larger_of_agreed_and_logged_hours(db):
    from tests.factories import PlacementFactory

    expert = ExpertFactory(availability_hours_per_month=10)
    other = ExpertFactory(availability_hours_per_month=10)
    PlacementFactory(expert=expert, hours_per_month=D("4"))
    PlacementFactory(expert=other, hours_per_month=D("3"))
    ActivityLogFactory(expert=expert, date=MARCH, hours=D("2"))
    assert selectors.room_left_for(expert, day=MARCH) == D("6")  # 10 - max(4, 2)
    ActivityLogFactory(expert=expert, date=MARCH, hours=D("3"))
    assert selectors.room_left_for(expert, day=MARCH) == D("5")  # 10 - max(4, 5)
    assert selectors.room_left_for(other, day=MARCH) == D("7")
