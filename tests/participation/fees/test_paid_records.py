"""Paid records are the books: a paid payment or activity log cannot be deleted, one by one,
as a QuerySet, through a related manager, or along with the expert. Unpaid ones can."""

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from experts.models import Expert
from participation.fees.models import PaidRecordProtected
from participation.models import ActivityLog, ActivityStatus, Payment, PaymentStatus
from tests.factories import ActivityLogFactory, ExpertFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _paid_payment(**kwargs) -> Payment:
    return PaymentFactory(status=PaymentStatus.PAID, paid_at=timezone.now(), **kwargs)


def _paid_log(**kwargs) -> ActivityLog:
    payment = _paid_payment(**({"expert": kwargs["expert"]} if "expert" in kwargs else {}))
    return ActivityLogFactory(
        status=ActivityStatus.PAID,
        approved_at=timezone.now(),
        payment=payment,
        expert=payment.expert,
    )


@pytest.mark.parametrize("make", [_paid_payment, _paid_log], ids=["payment", "activity log"])
def test_a_paid_record_cannot_be_deleted(make):
    record = make()
    model = type(record)
    with pytest.raises(PaidRecordProtected):
        record.delete()
    with pytest.raises(PaidRecordProtected):
        model.objects.filter(pk=record.pk).delete()
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("make", [_paid_payment, _paid_log], ids=["payment", "activity log"])
def test_a_stale_copy_of_a_paid_record_cannot_be_deleted_either(make):
    record = make()
    model = type(record)
    stale = model.objects.get(pk=record.pk)
    stale.status = "approved" if model is ActivityLog else PaymentStatus.PAYABLE
    with pytest.raises(PaidRecordProtected):
        stale.delete()
    assert model.objects.filter(pk=record.pk).exists()


def test_one_paid_payment_among_others_stops_the_whole_delete():
    expert = ExpertFactory()
    payable = PaymentFactory(expert=expert)
    paid = _paid_payment(expert=expert)
    with pytest.raises(PaidRecordProtected) as refused:
        expert.payments.all().delete()
    assert set(refused.value.protected_objects) == {paid}
    assert set(Payment.objects.filter(expert=expert)) == {payable, paid}


def test_one_paid_activity_log_among_others_stops_the_whole_delete():
    expert = ExpertFactory()
    submitted = ActivityLogFactory(expert=expert)
    paid = _paid_log(expert=expert)
    with pytest.raises(PaidRecordProtected):
        ActivityLog.objects.filter(expert=expert).delete()
    assert set(ActivityLog.objects.filter(expert=expert)) == {submitted, paid}


def test_unpaid_records_can_still_be_deleted():
    payable = PaymentFactory()
    cancelled = PaymentFactory(status=PaymentStatus.CANCELLED)
    payable.delete()
    Payment.objects.filter(pk=cancelled.pk).delete()
    log = ActivityLogFactory()
    rejected = ActivityLogFactory(status=ActivityStatus.REJECTED)
    log.delete()
    ActivityLog.objects.filter(pk=rejected.pk).delete()
    assert not Payment.objects.exists()
    assert not ActivityLog.objects.exists()


def test_deleting_an_expert_does_not_take_their_paid_records_along():
    log = _paid_log()
    with pytest.raises(ProtectedError):
        log.expert.delete()
    with pytest.raises(ProtectedError):
        Expert.objects.filter(pk=log.expert_id).delete()
    assert ActivityLog.objects.filter(pk=log.pk).exists()
    assert Payment.objects.filter(pk=log.payment_id).exists()
