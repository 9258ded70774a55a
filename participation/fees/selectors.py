"""Reads about pay, each rule with its one definition.

- The pay run: approved fees and costs are paid on ``SAMEN_PAY_RUN_DAY`` of the month
  (``pay_run_date``).
- A payment's state in the expert's words (``pay_state``).
- What an expert was paid and what is approved for them, per month of a year
  (``pay_year``): their payments (``Payment.total``) and the approved hours in no payment
  yet (``ActivityLogQuerySet.awaiting_payment`` and ``payable_per_month``).

Reads of fees for the expert's own pages."""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from experts.models import Expert
from participation.models import (
    ActivityLog,
    AllowanceLimit,
    DeclaredAllowance,
    ExpertMonth,
    Payment,
    PaymentStatus,
)
from samen.formatting import format_date, format_hours

ZERO = Decimal("0")


def _run_in(year: int, month: int) -> datetime.date:
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(settings.SAMEN_PAY_RUN_DAY, last_day))


def pay_run_date(day: datetime.date) -> datetime.date:
    """The day of the first pay run on or after ``day``: ``SAMEN_PAY_RUN_DAY`` of ``day``'s
    month, or of the next month once that day has passed (after December's run: January of
    the next year). In a month with fewer days the run is on its last day. What is approved
    on the day of a run goes with that run."""
    run = _run_in(day.year, day.month)
    if run >= day:
        return run
    if day.month == 12:
        return _run_in(day.year + 1, 1)
    return _run_in(day.year, day.month + 1)


def pay_state(status: str, *, paid_at: datetime.datetime | None, today: datetime.date) -> str:
    """A payment's state as the expert reads it. Approved fees that are not paid yet (a
    payment to be paid, or approved hours in no payment yet) go with the next pay run from
    today: "Goedgekeurd, wordt betaald bij de uitbetaling van 25 maart 2025"."""
    if status == PaymentStatus.PAID:
        return _("Paid on %(date)s") % {"date": format_date(paid_at)}
    if status == PaymentStatus.CANCELLED:
        return _("This payment does not go ahead. Do you have a question? Ask the coordinator.")
    return _("Approved, will be paid in the pay run of %(date)s") % {
        "date": format_date(pay_run_date(today))
    }


@dataclass
class PayLine:
    """One payment, or a month's approved hours that are in no payment yet."""

    label: str
    total: Decimal
    parts: list[tuple[str, Decimal]]
    state: str
    status: str
    reference: str = ""

    @property
    def is_paid(self) -> bool:
        return self.status == PaymentStatus.PAID

    @property
    def is_approved(self) -> bool:
        return self.status == PaymentStatus.PAYABLE


@dataclass
class PayMonth:
    month: datetime.date
    lines: list[PayLine] = field(default_factory=list)
    waiting_hours: Decimal = ZERO

    @property
    def paid(self) -> Decimal:
        return sum((line.total for line in self.lines if line.is_paid), ZERO)

    @property
    def approved(self) -> Decimal:
        """Approved and still to be paid."""
        return sum((line.total for line in self.lines if line.is_approved), ZERO)


@dataclass
class PayYear:
    year: int
    months: list[PayMonth]

    @property
    def paid(self) -> Decimal:
        return sum((month.paid for month in self.months), ZERO)

    @property
    def approved(self) -> Decimal:
        return sum((month.approved for month in self.months), ZERO)

    @property
    def waiting_hours(self) -> Decimal:
        return sum((month.waiting_hours for month in self.months), ZERO)


def _parts(*parts: tuple[str, Decimal]) -> list[tuple[str, Decimal]]:
    return [(label, amount) for label, amount in parts if amount]


def _payment_line(payment: Payment, *, today: datetime.date) -> PayLine:
    return PayLine(
        label=payment.get_payment_scheme_display(),
        total=payment.total,
        parts=_parts(
            (_("Volunteer allowance"), payment.allowance_amount),
            (_("Fee"), payment.fee_amount),
            (_("Travel and other costs"), payment.costs_amount),
        ),
        state=pay_state(payment.status, paid_at=payment.paid_at, today=today),
        status=payment.status,
        reference=payment.reference,
    )


def _approved_line(row: dict, *, today: datetime.date) -> PayLine:
    return PayLine(
        label=_("%(hours)s hours approved") % {"hours": format_hours(row["hours"])},
        total=row["total"],
        parts=_parts((_("Fee or allowance"), row["fee"]), (_("Travel costs"), row["travel_costs"])),
        state=pay_state(PaymentStatus.PAYABLE, paid_at=None, today=today),
        status=PaymentStatus.PAYABLE,
    )


def pay_years(expert: Expert, *, today: datetime.date) -> list[int]:
    """The years with a payment or with approved hours not in a payment yet, and this year,
    newest first. One query."""
    payments = Payment.objects.filter(expert=expert).order_by().values_list("year", flat=True)
    approved = (
        ActivityLog.objects.filter(expert=expert)
        .awaiting_payment()
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values_list("year", flat=True)
    )
    return sorted({today.year, *payments.union(approved)}, reverse=True)


def pay_year(expert: Expert, *, year: int, today: datetime.date) -> PayYear:
    """What the expert was paid in ``year`` and what is approved for them, per month, newest
    month first: their payments of that year (by the month they are for), the approved hours
    in no payment yet (by the month they were done), and the hours still waiting for
    approval (from the monthly sums). Months without any of these are left out. Three
    queries, however many payments and hours."""
    months: dict[datetime.date, PayMonth] = {}

    def month_of(day: datetime.date) -> PayMonth:
        return months.setdefault(day, PayMonth(month=day))

    payments = Payment.objects.filter(expert=expert, year=year).order_by("month", "created_at")
    for payment in payments:
        month_of(datetime.date(year, payment.month, 1)).lines.append(
            _payment_line(payment, today=today)
        )
    approved = (
        ActivityLog.objects.filter(expert=expert, date__year=year)
        .awaiting_payment()
        .payable_per_month()
    )
    for row in approved:
        month_of(row["month"]).lines.append(_approved_line(row, today=today))
    waiting = ExpertMonth.objects.filter(
        expert=expert, month__year=year, waiting_hours__gt=0
    ).values_list("month", "waiting_hours")
    for month, hours in waiting:
        month_of(month).waiting_hours = hours
    return PayYear(year=year, months=[months[key] for key in sorted(months, reverse=True)])


def annual_statement_url(expert: Expert, *, year: int) -> str | None:
    """Where the expert downloads their annual statement (jaaropgave) of ``year``.

    Planned with the payments (the fees issue): the statement is made there, after the last
    pay run of the year. Until then there is none, and the page says when it comes. No
    query."""
    return None


@dataclass(frozen=True)
class DeclaredYear:
    """The allowances an expert declared from other organisations in one year, their total,
    and that year's volunteer-allowance limits (None when the admin has not entered them)."""

    year: int
    allowances: list[DeclaredAllowance]
    total: Decimal
    limit: AllowanceLimit | None
    per_hour: Decimal | None


def declared_year(expert: Expert, *, today: datetime.date) -> DeclaredYear:
    """``expert``'s declared allowances of ``today``'s year, newest month first, with the
    year's limits and the hourly maximum for their age today. Two queries."""
    allowances = list(
        DeclaredAllowance.objects.filter(expert=expert, year=today.year).order_by(
            "-month", "organisation_name", "pk"
        )
    )
    limit = AllowanceLimit.objects.filter(year=today.year).first()
    return DeclaredYear(
        year=today.year,
        allowances=allowances,
        total=sum((a.amount for a in allowances), Decimal("0")),
        limit=limit,
        per_hour=limit.per_hour_for_age(expert.age_on(today)) if limit else None,
    )
