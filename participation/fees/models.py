"""Fees: rates, the volunteer-allowance limits per year, allowances from elsewhere and payments.

Money is Decimal everywhere; amounts are rounded to cents once, when a payment is made."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from experts.models import Expert, ExpertKind, ExpertRole
from participation.choices import PaymentScheme
from samen.formatting import format_euro


class FeeUnit(models.TextChoices):
    HOUR = "hour", _("Per hour")
    SESSION = "session", _("Per session")


class FeeRateQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "FeeRateQuerySet":
        """Rates that apply on ``day``: from ``valid_from`` up to and including ``valid_until``."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class FeeRate(models.Model):
    """A rate per role and unit. Equal for parents and youth unless set apart on purpose."""

    name = models.CharField(_("name"), max_length=150)
    payment_scheme = models.CharField(
        pgettext_lazy("way of paying", "payment"), max_length=20, choices=PaymentScheme.choices
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=ExpertRole.choices,
        blank=True,
        help_text=_("Leave empty for every role."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=FeeUnit.choices)
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2)
    only_for_kind = models.CharField(
        _("only for"),
        max_length=10,
        choices=ExpertKind.choices,
        blank=True,
        help_text=_("Leave empty: parents and youth get the same rate."),
    )
    deviation_reason = models.TextField(
        _("why this rate differs"),
        blank=True,
        help_text=_("Required when the rate is only for parents or only for youth."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = FeeRateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["payment_scheme", "role", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_rate_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="fee_rate_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(only_for_kind="") | ~Q(deviation_reason=""),
                name="fee_rate_deviation_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({format_euro(self.amount)} {self.get_unit_display().lower()})"

    def is_valid_on(self, day: datetime.date) -> bool:
        """``FeeRateQuerySet.valid_on`` for this one rate (tested to agree)."""
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class AllowanceLimit(models.Model):
    """The tax-free volunteer allowance limits of one year (Belastingdienst).

    All three must hold: per hour (by age on the day), per month and per year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    per_hour_21_and_over = models.DecimalField(
        _("per hour, 21 and over (€)"), max_digits=6, decimal_places=2
    )
    per_hour_under_21 = models.DecimalField(
        _("per hour, under 21 (€)"), max_digits=6, decimal_places=2
    )
    per_month = models.DecimalField(_("per month (€)"), max_digits=8, decimal_places=2)
    per_year = models.DecimalField(_("per year (€)"), max_digits=8, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer allowance limit")
        verbose_name_plural = _("volunteer allowance limits")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per_hour_21_and_over__gt=0)
                & Q(per_hour_under_21__gt=0)
                & Q(per_month__gt=0)
                & Q(per_year__gte=models.F("per_month")),
                name="allowance_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="allowance_limit_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def per_hour_for_age(self, age: int | None) -> Decimal | None:
        """The hourly maximum for someone of ``age`` on the day; None when the age is not
        known."""
        if age is None:
            return None
        return self.per_hour_21_and_over if age >= 21 else self.per_hour_under_21


class DeclaredAllowance(models.Model):
    """A volunteer allowance the expert gets from another organisation: it counts to the limits.
    Its history says who declared or changed which amount, and when."""

    expert = models.ForeignKey(
        Expert,
        on_delete=models.CASCADE,
        related_name="declared_allowances",
        verbose_name=_("expert"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allowance from elsewhere")
        verbose_name_plural = _("allowances from elsewhere")
        ordering = ["-year", "-month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="declared_allowance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="declared_allowance_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} {self.month}-{self.year}"

    @property
    def month_start(self) -> datetime.date:
        """The first day of the allowance's month, to show it as "maart 2026"."""
        return datetime.date(self.year, self.month, 1)


class PaymentStatus(models.TextChoices):
    PAYABLE = "payable", _("To be paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


# Paid records are the books --------------------------------------------------------------


class PaidRecordProtected(ProtectedError):
    """A paid payment or a paid activity log cannot be deleted: payment records are kept seven
    years for the tax authorities, also after an expert's erasure (then anonymised)."""


def refuse_deleting_paid(records: "KeptWhenPaidQuerySet") -> None:
    """Raise ``PaidRecordProtected`` when any of ``records`` is paid. One query."""
    paid = list(records.paid()[:10])
    if paid:
        raise PaidRecordProtected(
            f"Paid {records.model._meta.verbose_name_plural} are kept for the books and "
            "cannot be deleted.",
            paid,
        )


class KeptWhenPaidQuerySet(models.QuerySet):
    """Rows that become paid (payments, activity logs): ``paid()`` says which, and deleting
    refuses, before anything is deleted, when any row of the QuerySet is paid. Related
    managers (``expert.payments``) use it too."""

    def paid(self) -> "KeptWhenPaidQuerySet":
        raise NotImplementedError

    def delete(self):
        refuse_deleting_paid(self)
        return super().delete()


class KeptWhenPaid(models.Model):
    """A model whose paid rows cannot be deleted one by one either. The foreign keys to them
    are ``PROTECT``, so no deletion of another row takes them along."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        # The row as stored counts, not only this copy of it.
        refuse_deleting_paid(type(self)._default_manager.filter(pk=self.pk))
        return super().delete(*args, **kwargs)


class PaymentQuerySet(KeptWhenPaidQuerySet):
    def paid(self) -> "PaymentQuerySet":
        return self.filter(status=PaymentStatus.PAID)


class Payment(KeptWhenPaid):
    """One payment to an expert. Kept 7 years for the books, anonymised after erasure: a paid
    payment cannot be deleted (``KeptWhenPaid``)."""

    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="payments", verbose_name=_("expert")
    )
    payee_name = models.CharField(_("paid to"), max_length=200)
    payment_scheme = models.CharField(
        pgettext_lazy("way of paying", "payment"), max_length=20, choices=PaymentScheme.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    allowance_amount = models.DecimalField(
        _("volunteer allowance (€)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    fee_amount = models.DecimalField(
        _("fee (€)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    costs_amount = models.DecimalField(
        _("proven costs (€)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PAYABLE
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid by"),
    )

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-year", "-month", "-created_at"]
        indexes = [
            models.Index(fields=["expert", "year", "month"], name="payment_expert_period_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(allowance_amount__gte=0)
                & Q(fee_amount__gte=0)
                & Q(costs_amount__gte=0),
                name="payment_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="payment_month_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="payment_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def total(self) -> Decimal:
        return self.allowance_amount + self.fee_amount + self.costs_amount
