"""Hours: what experts logged (activity logs, with travel costs), and the sums per expert per
month and per month that pages and checks read instead of adding up the logs.

The sums are kept by ``participation.hours.services`` in the transaction that changes the logs;
``months_rebuild`` computes them all again after a bulk load."""

import datetime
import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from experts.models import Expert
from learning_networks.models import Meeting
from participation.fees.models import KeptWhenPaid, KeptWhenPaidQuerySet
from samen.dates import month_bounds
from samen.storage import private_storage


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PREP = "prep", _("Prep meeting")
    REQUEST = "request", _("Work on a request")
    PROJECT = "project", _("Small project")
    TRAINING = "training", _("Training or peer supervision")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    PAID = "paid", _("Paid")


_MONEY = DecimalField(max_digits=11, decimal_places=2)


def receipt_path(log: "ActivityLog", filename: str) -> str:
    """A name that says nothing about the person: the expert's id and a random part. The
    extension is the one the file's content was recognised as."""
    return f"receipts/{log.expert_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ActivityLogQuerySet(KeptWhenPaidQuerySet):
    def waiting(self) -> "ActivityLogQuerySet":
        return self.filter(status=ActivityStatus.SUBMITTED)

    def paid(self) -> "ActivityLogQuerySet":
        return self.filter(status=ActivityStatus.PAID)

    def counting(self) -> "ActivityLogQuerySet":
        """Hours that count towards an expert's load: everything not rejected."""
        return self.exclude(status=ActivityStatus.REJECTED)

    def in_month(self, day: datetime.date) -> "ActivityLogQuerySet":
        """Logged on a day of ``day``'s month."""
        start, end = month_bounds(day)
        return self.filter(date__gte=start, date__lt=end)

    def awaiting_payment(self) -> "ActivityLogQuerySet":
        """Approved and in no payment yet: what the next pay run pays. A log that is in a
        payment is paid as part of that payment, and counted there."""
        return self.filter(status=ActivityStatus.APPROVED, payment__isnull=True)

    def payable_per_month(self) -> "ActivityLogQuerySet":
        """One row per month (``month``, its first day) with the logs' ``hours``, their
        ``fee`` (the amount set when they were approved: the allowance or fee; none for
        hours of someone employed), their ``travel_costs`` and their ``total``: what an
        approved log pays is its amount plus its travel costs. One query."""
        fee = Coalesce(Sum("amount"), Value(Decimal("0")), output_field=_MONEY)
        travel = Coalesce(Sum("travel_costs"), Value(Decimal("0")), output_field=_MONEY)
        return (
            self.annotate(month=TruncMonth("date"))
            .order_by()
            .values("month")
            .annotate(hours=Sum("hours"), fee=fee, travel_costs=travel)
            .annotate(total=F("fee") + F("travel_costs"))
            .order_by("month")
        )


class ActivityLog(KeptWhenPaid):
    """Hours (and travel costs) an expert spent, logged by the expert or the coordinator. Once
    paid, a log cannot be deleted (``KeptWhenPaid``)."""

    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="activity_logs", verbose_name=_("expert")
    )
    placement = models.ForeignKey(
        "participation.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_logs",
        verbose_name=_("placement"),
    )
    match = models.ForeignKey(
        "participation.Match",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_logs",
        verbose_name=_("match"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_logs",
        verbose_name=_("meeting"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    description = models.CharField(_("what you did"), max_length=250, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=Decimal("0"))
    sessions = models.PositiveSmallIntegerField(_("sessions"), default=0)
    travel_costs = models.DecimalField(
        _("travel costs (€)"), max_digits=7, decimal_places=2, default=Decimal("0")
    )
    receipt = models.FileField(
        _("receipt"),
        upload_to=receipt_path,
        storage=private_storage,
        max_length=200,
        blank=True,
        help_text=_("A photo or PDF of a ticket or bill. Only you and the coordinators see it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.SUBMITTED
    )
    fee_rate = models.ForeignKey(
        "participation.FeeRate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_logs",
        verbose_name=_("rate"),
    )
    amount = models.DecimalField(
        _("amount (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejected_reason = models.TextField(_("reason for not approving"), blank=True)
    payment = models.ForeignKey(
        "participation.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_logs",
        verbose_name=_("payment"),
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = ActivityLogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity log")
        verbose_name_plural = _("activity logs")
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["expert", "date"], name="activity_expert_date_idx"),
            models.Index(fields=["status"], name="activity_status_idx"),
            models.Index(fields=["date"], name="activity_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(travel_costs__gte=0),
                name="activity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) | Q(sessions__gt=0) | Q(travel_costs__gt=0),
                name="activity_not_empty",
            ),
            models.CheckConstraint(condition=Q(hours__lte=24), name="activity_at_most_a_day"),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(approved_at__isnull=False),
                name="activity_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(payment__isnull=False),
                name="activity_paid_has_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.date:%d-%m-%Y} {self.hours} h"


class ExpertMonth(models.Model):
    """One expert's logs in one month, summed: the counting logs (not rejected) and their
    hours, the logs waiting for approval and their hours, and the day of the latest log."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="months", verbose_name=_("expert")
    )
    month = models.DateField(_("month"))
    logs = models.PositiveIntegerField(_("logs"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, default=Decimal("0"))
    waiting_logs = models.PositiveIntegerField(_("logs waiting for approval"), default=0)
    waiting_hours = models.DecimalField(
        _("hours waiting for approval"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    last_logged_on = models.DateField(_("latest log on"), null=True, blank=True)

    class Meta:
        verbose_name = _("hours of an expert in a month")
        verbose_name_plural = _("hours of experts per month")
        # By the expert's id, not the expert: "expert" would join the experts for their names.
        ordering = ["-month", "expert_id"]
        indexes = [
            # A month's sums, read by the index alone (the load signals, the chart).
            models.Index(
                fields=["month", "hours"], include=["expert"], name="expert_month_month_idx"
            ),
            # "Logged since a day" (inactivity) reads the index alone.
            models.Index(
                fields=["last_logged_on"], include=["expert"], name="expert_month_logged_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["expert", "month"], name="expert_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="expert_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.month:%m-%Y}"


class MonthTotal(models.Model):
    """Every expert's logs in one month, summed: how many experts have counting logs, their
    hours, and the logs and hours waiting for approval."""

    month = models.DateField(_("month"), unique=True)
    experts = models.PositiveIntegerField(_("experts with hours"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=10, decimal_places=2, default=Decimal("0"))
    waiting_logs = models.PositiveIntegerField(_("logs waiting for approval"), default=0)
    waiting_hours = models.DecimalField(
        _("hours waiting for approval"), max_digits=10, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("hours of a month")
        verbose_name_plural = _("hours per month")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="month_total_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m-%Y}"
