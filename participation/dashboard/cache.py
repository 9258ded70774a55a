"""Keep the coordinator's dashboard exact.

The dashboard's figures are cached (they aggregate every placement and a year of hours). Any
saved or deleted row of what it counts makes the cache forget them once the change is
committed, wherever the change came from: a service, the admin site or a task. Bulk writes
(``bulk_create``, ``QuerySet.update``) send no post_save; their callers send
``samen.signals.bulk_written`` instead.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from experts.models import Consent, Expert
from learning_networks.models import LearningNetwork, Meeting
from participation.models import ActivityLog, Attendance, Match, Placement, Request
from samen.signals import bulk_written

from .selectors import forget_dashboard

COUNTED_MODELS = [
    ActivityLog,
    Attendance,
    Consent,
    Expert,
    LearningNetwork,
    Match,
    Meeting,
    Placement,
    Request,
]


def _forget_after_commit(sender, **kwargs) -> None:
    transaction.on_commit(forget_dashboard)


def _forget_hours_after_commit(sender, instance: ActivityLog, **kwargs) -> None:
    # Hours dated before this month also change the chart's past months. (A log moved from a
    # past month into this one leaves that month's total stale for at most an hour.)
    past = instance.date < timezone.localdate().replace(day=1)
    transaction.on_commit(partial(forget_dashboard, past_months=past))


def _forget_after_bulk_write(sender, **kwargs) -> None:
    if sender in COUNTED_MODELS:
        _forget_after_commit(sender)


def connect() -> None:
    bulk_written.connect(_forget_after_bulk_write, dispatch_uid="forget-dashboard-bulk")
    for model in COUNTED_MODELS:
        receiver = _forget_hours_after_commit if model is ActivityLog else _forget_after_commit
        uid = f"forget-dashboard-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete")
