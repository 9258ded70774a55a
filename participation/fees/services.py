"""Writes of fees: the allowances an expert gets from other organisations (they count towards
the same volunteer-allowance limits).

The expert declares, changes and removes these for the current year only: earlier years are
what the limits of those years were checked against. The history of each row says who did
what, and when."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert
from participation.models import DeclaredAllowance
from samen.accounts.models import User


def _check(*, month: int, amount: Decimal, organisation_name: str, today: datetime.date) -> None:
    errors: dict[str, str] = {}
    if not organisation_name.strip():
        errors["organisation_name"] = _("Fill in the name of the organisation.")
    if not 1 <= month <= today.month:
        errors["month"] = _("Choose a month of this year that has begun.")
    if amount <= 0:
        errors["amount"] = _("Write an amount of more than 0 euros.")
    if errors:
        raise ValidationError(errors)


def _record(allowance: DeclaredAllowance, by: User) -> None:
    allowance.full_clean()
    allowance._history_user = by
    allowance.save()


@transaction.atomic
def declared_allowance_add(
    *,
    expert: Expert,
    by: User,
    organisation_name: str,
    month: int,
    amount: Decimal,
    today: datetime.date | None = None,
) -> DeclaredAllowance:
    """The expert says what another organisation gave them in a month of this year. One row
    per organisation and month: declaring one again (a form sent twice, or a correction)
    changes that row's amount instead of adding a second. Raises ValidationError."""
    today = today or timezone.localdate()
    organisation_name = organisation_name.strip()
    _check(month=month, amount=amount, organisation_name=organisation_name, today=today)
    # Two sends at once take turns, so the second finds the first's row.
    Expert.objects.select_for_update().filter(pk=expert.pk).first()
    allowance = DeclaredAllowance.objects.filter(
        expert=expert,
        year=today.year,
        month=month,
        organisation_name__iexact=organisation_name,
    ).first()
    if allowance is None:
        allowance = DeclaredAllowance(
            expert=expert, year=today.year, month=month, organisation_name=organisation_name
        )
    elif allowance.amount == amount:
        return allowance
    allowance.amount = amount
    _record(allowance, by)
    return allowance


def _check_this_year(allowance: DeclaredAllowance, today: datetime.date) -> None:
    if allowance.year != today.year:
        raise ValidationError(
            _("Allowances of earlier years cannot be changed. Ask the coordinator.")
        )


@transaction.atomic
def declared_allowance_change(
    *,
    allowance: DeclaredAllowance,
    by: User,
    organisation_name: str,
    month: int,
    amount: Decimal,
    today: datetime.date | None = None,
) -> DeclaredAllowance:
    """Change an allowance of this year; one row per organisation and month stays so.
    Raises ValidationError, also for another year."""
    today = today or timezone.localdate()
    organisation_name = organisation_name.strip()
    _check_this_year(allowance, today)
    _check(month=month, amount=amount, organisation_name=organisation_name, today=today)
    new = (organisation_name, month, amount)
    if (allowance.organisation_name, allowance.month, allowance.amount) == new:
        return allowance
    twin = DeclaredAllowance.objects.filter(
        expert_id=allowance.expert_id,
        year=allowance.year,
        month=month,
        organisation_name__iexact=organisation_name,
    ).exclude(pk=allowance.pk)
    if twin.exists():
        raise ValidationError(
            {
                "organisation_name": _(
                    "You have written down this organisation for this month already. Change "
                    "that one instead."
                )
            }
        )
    allowance.organisation_name, allowance.month, allowance.amount = new
    _record(allowance, by)
    return allowance


@transaction.atomic
def declared_allowance_remove(
    *, allowance: DeclaredAllowance, by: User, today: datetime.date | None = None
) -> None:
    """Remove an allowance of this year; its history keeps who removed it. Raises
    ValidationError for another year."""
    _check_this_year(allowance, today or timezone.localdate())
    allowance._history_user = by
    allowance.delete()
