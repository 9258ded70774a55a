"""Writes of hours: record a log, change its status, and keep the monthly sums exact.

Every write of activity logs calls ``months_refresh`` in its own transaction, so the sums
(``ExpertMonth``, ``MonthTotal``) change together with the logs or not at all. A bulk load
calls ``months_rebuild`` once afterwards."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.consents.services import scan_kind
from experts.models import Expert
from participation.models import ActivityLog, ActivityStatus, ExpertMonth, MonthTotal
from samen.accounts.models import User
from samen.dates import month_bounds
from samen.formatting import format_date
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


def _receipt_extension(receipt: UploadedFile) -> str:
    """The extension to store ``receipt`` with; ValidationError on the field ``receipt`` when
    it is too large or, by its content, not a PDF, JPEG or PNG (``scan_kind``)."""
    limit = settings.SAMEN_RECEIPT_MAX_BYTES
    if receipt.size > limit:
        raise ValidationError(
            {
                "receipt": _(
                    "The file is larger than %(size)s. Choose a smaller file or take the "
                    "photo again at a lower resolution."
                )
                % {"size": filesizeformat(limit)}
            }
        )
    extension = scan_kind(receipt)
    if extension is None:
        raise ValidationError({"receipt": _("The receipt must be a photo (JPG or PNG) or a PDF.")})
    return extension


def _delete_file_after_commit(name: str) -> None:
    if name:
        storage = ActivityLog._meta.get_field("receipt").storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def activity_log_record(
    *,
    expert: Expert,
    logged_by: User | None,
    receipt: UploadedFile | None = None,
    **fields: Any,
) -> ActivityLog:
    """Record hours (and travel costs) an expert spent, with an optional receipt (a PDF, JPEG
    or PNG, stored privately); they wait for approval. Raises ValidationError."""
    _check_fields(fields)
    log = ActivityLog(expert=expert, logged_by=logged_by, status=ActivityStatus.SUBMITTED, **fields)
    if receipt:
        log.receipt = File(receipt, name=f"receipt{_receipt_extension(receipt)}")
    log.full_clean(exclude=["receipt"])
    log._history_user = logged_by
    log.save()
    months_refresh(keys=[(expert.pk, log.date)])
    return log


# Sending the same hours twice within this time records them once.
SAME_LOG_WITHIN = datetime.timedelta(minutes=1)


def _own_log_errors(*, expert: Expert, fields: dict[str, Any], today: datetime.date) -> dict:
    """What is wrong with hours an expert logs themselves, by field: a day still to come, a day
    before their placement started, or something that is not theirs."""
    errors: dict[str, list[str]] = {}
    day = fields.get("date")
    placement, match = fields.get("placement"), fields.get("match")
    if day and day > today:
        errors.setdefault("date", []).append(
            _("This day has not come yet. Log your hours on the day itself or later.")
        )
    if placement is not None and placement.expert_id != expert.pk:
        errors.setdefault("placement", []).append(_("This is not your placement."))
    elif placement is not None and day and day < placement.starts_on:
        errors.setdefault("date", []).append(
            _("Your placement started on %(date)s. Choose that day or later.")
            % {"date": format_date(placement.starts_on)}
        )
    if match is not None and match.expert_id != expert.pk:
        errors.setdefault("match", []).append(_("This is not your request."))
    return errors


@transaction.atomic
def activity_log_submit(
    *,
    expert: Expert,
    by: User | None,
    receipt: UploadedFile | None = None,
    today: datetime.date | None = None,
    **fields: Any,
) -> tuple[ActivityLog, bool]:
    """The expert logs their own hours: (the log, whether it is new). The same hours sent again
    within ``SAME_LOG_WITHIN`` (a form sent twice) are recorded once: the first log is
    returned. Raises ValidationError, by field, for a day still to come, a day before the
    placement started, a placement or request of someone else, or a receipt that is too large
    or not a PDF, JPEG or PNG; then nothing is stored."""
    today = today or timezone.localdate()
    _check_fields(fields)
    # Lock the expert: the same form sent twice at once takes turns, and the second one finds
    # the first one's log.
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    errors = _own_log_errors(expert=expert, fields=fields, today=today)
    if receipt:
        try:
            _receipt_extension(receipt)
        except ValidationError as error:
            errors.setdefault("receipt", []).extend(error.message_dict["receipt"])
    if errors:
        raise ValidationError(errors)
    same = {field: fields.get(field) for field in ("placement", "match", "meeting")}
    earlier = (
        ActivityLog.objects.filter(
            expert=expert, created_at__gte=timezone.now() - SAME_LOG_WITHIN, **same
        )
        .filter(**{k: v for k, v in fields.items() if k not in same})
        .order_by("-pk")
        .first()
    )
    if earlier is not None:
        return earlier, False
    return activity_log_record(expert=expert, logged_by=by, receipt=receipt, **fields), True


def _only_while_waiting(log: ActivityLog) -> None:
    if log.status != ActivityStatus.SUBMITTED:
        raise ValidationError(
            _("These hours are “%(status)s”. You can only change them while they wait.")
            % {"status": log.get_status_display()}
        )


@transaction.atomic
def activity_log_change(
    *,
    log: ActivityLog,
    by: User | None,
    receipt: UploadedFile | None = None,
    remove_receipt: bool = False,
    today: datetime.date | None = None,
    **fields: Any,
) -> ActivityLog:
    """The expert changes hours they logged, while they wait for approval: the fields, a new
    receipt instead of the old one, or no receipt. The same rules as ``activity_log_submit``;
    raises ValidationError once the hours are approved, rejected or paid."""
    today = today or timezone.localdate()
    _check_fields(fields)
    log = ActivityLog.objects.select_for_update().select_related("expert").get(pk=log.pk)
    _only_while_waiting(log)
    errors = _own_log_errors(expert=log.expert, fields=fields, today=today)
    if receipt:
        try:
            extension = _receipt_extension(receipt)
        except ValidationError as error:
            errors.setdefault("receipt", []).extend(error.message_dict["receipt"])
    if errors:
        raise ValidationError(errors)
    old_date, old_receipt = log.date, log.receipt.name
    for field, value in fields.items():
        setattr(log, field, value)
    if receipt:
        log.receipt = File(receipt, name=f"receipt{extension}")
    elif remove_receipt:
        log.receipt = ""
    log.full_clean(exclude=["receipt"])
    log._history_user = by
    log.save()
    if old_receipt and log.receipt.name != old_receipt:
        _delete_file_after_commit(old_receipt)
    months_refresh(keys=[(log.expert_id, old_date), (log.expert_id, log.date)])
    return log


@transaction.atomic
def activity_log_withdraw(*, log: ActivityLog, by: User | None) -> None:
    """The expert takes back hours that still wait for approval: the log and its receipt are
    deleted (the history keeps that it was there). Raises ValidationError once the hours are
    approved, rejected or paid."""
    log = ActivityLog.objects.select_for_update().get(pk=log.pk)
    _only_while_waiting(log)
    key, receipt = (log.expert_id, log.date), log.receipt.name
    log._history_user = by
    log.delete()
    _delete_file_after_commit(receipt)
    months_refresh(keys=[key])


# The statuses a log may move to from each status. Paid is set by the payment run.
_NEXT_STATUSES = {
    ActivityStatus.SUBMITTED: {ActivityStatus.APPROVED, ActivityStatus.REJECTED},
    ActivityStatus.APPROVED: {ActivityStatus.SUBMITTED, ActivityStatus.REJECTED},
    ActivityStatus.REJECTED: {ActivityStatus.SUBMITTED},
    ActivityStatus.PAID: set(),
}


@transaction.atomic
def activity_log_set_status(
    *, log: ActivityLog, status: str, by: User | None, reason: str = ""
) -> ActivityLog:
    """Approve or reject logged hours (with ``reason``, which the expert reads), or send them
    back to wait. Setting the status a log already has changes nothing. Raises
    ValidationError for a move that is not allowed (a paid log never changes)."""
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
    if status == ActivityStatus.REJECTED:
        log.rejected_reason = reason.strip()
        changed.append("rejected_reason")
    log._history_user = by
    log.save(update_fields=changed)
    months_refresh(keys=[(log.expert_id, log.date)])
    return log
