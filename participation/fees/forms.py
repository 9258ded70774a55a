"""The expert's choice of year on their pay page."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
