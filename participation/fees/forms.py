"""The expert's choice of year on their pay page.

The expert's forms about money from elsewhere: an allowance from another organisation, and
their benefit situation. They validate and present; the services keep the rules."""

import datetime
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import BenefitSituation, Expert
from participation.models import DeclaredAllowance
from samen.formatting import format_month
from samen.forms import LocalizedNumbersMixin


class PayYearForm(forms.Form):
    """``?year=2025``: the year to show. Empty is this year."""

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Choose a year from the list."),
            "min_value": _("Choose a year from the list."),
            "max_value": _("Choose a year from the list."),
        },
    )


# More than this from one organisation in one month is a typing error.
MAX_AMOUNT = Decimal("10000")


def _helper(*fields: str) -> FormHelper:
    helper = FormHelper()
    # The template holds the <form> with "Save" and "Cancel".
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class DeclaredAllowanceForm(LocalizedNumbersMixin, forms.Form):
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=150,
        help_text=_("The organisation that gave you the allowance."),
    )
    month = forms.TypedChoiceField(label=_("Month"), coerce=int)
    amount = forms.DecimalField(
        label=_("Amount in euros"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Only the allowance. Leave out travel costs you got back with a ticket."),
        error_messages={"invalid": _("Write an amount, for example 50 or 12,50.")},
    )

    def __init__(
        self,
        *args: Any,
        allowance: DeclaredAllowance | None = None,
        today: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        today = today or timezone.localdate()
        if allowance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organisation_name": allowance.organisation_name,
                    "month": allowance.month,
                    "amount": allowance.amount,
                },
            )
        else:
            kwargs.setdefault("initial", {"month": today.month})
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            (month, format_month(datetime.date(today.year, month, 1)))
            for month in range(today.month, 0, -1)
        ]
        self.helper = _helper("organisation_name", "month", "amount")

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("Write an amount of more than 0 euros."))
        if amount > MAX_AMOUNT:
            raise forms.ValidationError(_("Write an amount of at most 10,000 euros."))
        return amount


class BenefitForm(forms.Form):
    benefit_situation = forms.ChoiceField(
        label=_("Do you get a benefit?"),
        choices=BenefitSituation.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, expert: Expert, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"benefit_situation": expert.benefit_situation})
        super().__init__(*args, **kwargs)
        # Not saying is a choice here, not something missing.
        self.fields["benefit_situation"].choices = [
            (value, _("I would rather not say") if value == BenefitSituation.UNKNOWN else label)
            for value, label in BenefitSituation.choices
        ]
        self.helper = _helper("benefit_situation")
