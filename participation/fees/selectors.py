"""Reads of fees for the expert's own pages."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from experts.models import Expert
from participation.models import AllowanceLimit, DeclaredAllowance


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
