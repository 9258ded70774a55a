"""Writes of hours: record a log, change its status, and keep the monthly sums exact.

Every write of activity logs calls ``months_refresh`` in its own transaction, so the sums
(``ExpertMonth``, ``MonthTotal``) change together with the logs or not at all. A bulk load
calls ``months_rebuild`` once afterwards."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert
from participation.models import ActivityLog, ActivityStatus, ExpertMonth, MonthTotal
from samen.accounts.models import User
from samen.dates import month_bounds
from samen.signals import bulk_written

ZERO = Decimal("0")
# A log's fields that a service may set; the status has its own workflow.
LOG_FIELDS = frozenset(
    {
        "placement",
        "match",
        "meeting",
        "date",
        "kind",
        "description",
        "hours",
        "sessions",
        "travel_costs",
        "fee_rate",
        "amount",
    }
)


def _sums(logs) -> dict:
    """The sums of one expert's logs in one month, as ``ExpertMonth`` keeps them. Three small
    queries on the index (expert, date)."""
    counting = logs.counting().aggregate(logs=Count("pk"), hours=Sum("hours"))
    waiting = logs.waiting().aggregate(logs=Count("pk"), hours=Sum("hours"))
    return {
        "logs": counting["logs"],
        "hours": counting["hours"] or ZERO,
        "waiting_logs": waiting["logs"],
        "waiting_hours": waiting["hours"] or ZERO,
        "last_logged_on": logs.aggregate(last=Max("date"))["last"],
    }


@transaction.atomic
def months_refresh(*, keys: Iterable[tuple[int, datetime.date]]) -> None:
    """Compute the sums of these (expert id, any day of the month) pairs again from the logs,
    and the totals of their months from those sums.

    The month totals are locked first, in date order: two writers of the same month take
    turns, and the second one sums what the first one committed."""
    keys = {(expert_id, month_bounds(day)[0]) for expert_id, day in keys}
    if not keys:
        return
    months = sorted({month for _expert, month in keys})
    MonthTotal.objects.bulk_create([MonthTotal(month=m) for m in months], ignore_conflicts=True)
    list(MonthTotal.objects.select_for_update().filter(month__in=months).order_by("month"))
    for expert_id, month in sorted(keys):
        logs = ActivityLog.objects.filter(expert_id=expert_id).in_month(month)
        sums = _sums(logs)
        if sums["last_logged_on"] is None:
            ExpertMonth.objects.filter(expert_id=expert_id, month=month).delete()
        else:
            ExpertMonth.objects.update_or_create(expert_id=expert_id, month=month, defaults=sums)
    for month in months:
        _total_month(month)


def _total_month(month: datetime.date) -> None:
    rows = ExpertMonth.objects.filter(month=month)
    totals = rows.aggregate(
        hours=Sum("hours"), waiting_logs=Sum("waiting_logs"), waiting_hours=Sum("waiting_hours")
    )
    MonthTotal.objects.filter(month=month).update(
        experts=rows.filter(logs__gt=0).count(),
        hours=totals["hours"] or ZERO,
        waiting_logs=totals["waiting_logs"] or 0,
        waiting_hours=totals["waiting_hours"] or ZERO,
    )


@transaction.atomic
def months_rebuild() -> None:
    """Compute every monthly sum again from all logs: after a bulk load (``bulk_create``,
    ``COPY``, a data migration) that bypassed ``months_refresh``. Three grouped scans."""
    ExpertMonth.objects.all().delete()
    MonthTotal.objects.all().delete()
    by_month = ActivityLog.objects.annotate(m=TruncMonth("date")).order_by()
    sums: dict[tuple[int, datetime.date], dict] = {}
    for row in by_month.values("expert", "m").annotate(last=Max("date")):
        sums[(row["expert"], row["m"])] = {
            "logs": 0,
            "hours": ZERO,
            "waiting_logs": 0,
            "waiting_hours": ZERO,
            "last_logged_on": row["last"],
        }
    for prefix, logs in (("", by_month.counting()), ("waiting_", by_month.waiting())):
        for row in logs.values("expert", "m").annotate(n=Count("pk"), h=Sum("hours")):
            sums[(row["expert"], row["m"])].update(
                {f"{prefix}logs": row["n"], f"{prefix}hours": row["h"] or ZERO}
            )
    ExpertMonth.objects.bulk_create(
        [ExpertMonth(expert_id=e, month=m, **values) for (e, m), values in sums.items()],
        batch_size=5000,
    )
    months = sorted({month for _expert, month in sums})
    MonthTotal.objects.bulk_create([MonthTotal(month=m) for m in months])
    for month in months:
        _total_month(month)
    bulk_written.send(sender=ActivityLog)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - LOG_FIELDS
    if unknown:
        raise TypeError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")


@transaction.atomic
def activity_log_record(*, expert: Expert, logged_by: User | None, **fields: Any) -> ActivityLog:
    """Record hours (and travel costs) an expert spent; they wait for approval. Raises
    ValidationError."""
    _check_fields(fields)
    log = ActivityLog(expert=expert, logged_by=logged_by, status=ActivityStatus.SUBMITTED, **fields)
    log.full_clean()
    log._history_user = logged_by
    log.save()
    months_refresh(keys=[(expert.pk, log.date)])
    return log


# The statuses a log may move to from each status. Paid is set by the payment run.
_NEXT_STATUSES = {
    ActivityStatus.SUBMITTED: {ActivityStatus.APPROVED, ActivityStatus.REJECTED},
    ActivityStatus.APPROVED: {ActivityStatus.SUBMITTED, ActivityStatus.REJECTED},
    ActivityStatus.REJECTED: {ActivityStatus.SUBMITTED},
    ActivityStatus.PAID: set(),
}


@transaction.atomic
def activity_log_set_status(*, log: ActivityLog, status: str, by: User | None) -> ActivityLog:
    """Approve or reject logged hours, or send them back to wait. Setting the status a log
    already has changes nothing. Raises ValidationError for a move that is not allowed (a
    paid log never changes)."""
    log = ActivityLog.objects.select_for_update().get(pk=log.pk)
    if log.status == status:
        return log
    if status not in _NEXT_STATUSES[ActivityStatus(log.status)]:
        raise ValidationError(
            _("Hours that are “%(status)s” cannot be changed like this.")
            % {"status": log.get_status_display()}
        )
    log.status = status
    changed = ["status"]
    if status == ActivityStatus.APPROVED:
        log.approved_by, log.approved_at = by, timezone.now()
        changed += ["approved_by", "approved_at"]
    log._history_user = by
    log.save(update_fields=changed)
    months_refresh(keys=[(log.expert_id, log.date)])
    return log
