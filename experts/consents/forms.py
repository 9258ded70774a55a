"""Forms to record a consent and its withdrawal. They validate and present;
experts.consents.services saves and keeps the rules."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from experts.models import ConsentGiver, ConsentMethod, ConsentPurpose, Expert

_DATE = {"type": "date"}
# What the coordinator records; "online" is the expert giving it in Samen themselves.
RECORDED_METHODS = [
    (value, label) for value, label in ConsentMethod.choices if value != ConsentMethod.ONLINE
]
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class ConsentForm(forms.Form):
    """A consent the coordinator records: for what, who gave it, how and when, and the scan.
    Who records it is the logged-in coordinator, never a field."""

    purpose = forms.ChoiceField(label=_("Consent for"), choices=ConsentPurpose.choices)
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=ConsentGiver.choices, widget=forms.RadioSelect
    )
    given_by_name = forms.CharField(
        label=_("Name of the parent or guardian"),
        max_length=150,
        required=False,
        help_text=_("Only when a parent or guardian gave it."),
    )
    method = forms.ChoiceField(
        label=_("How was it given?"), choices=RECORDED_METHODS, widget=forms.RadioSelect
    )
    given_on = forms.DateField(
        label=_("Date given"), widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d")
    )
    scan = forms.FileField(
        label=_("Scan or photo of the signed form"),
        required=False,
        widget=forms.FileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=_("Optional. PDF, JPG or PNG. Only coordinators can open it."),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "purpose",
            Div(
                Div("given_by", css_class="col-md-6"),
                Div("given_by_name", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("method", css_class="col-md-6"),
                Div("given_on", css_class="col-md-6"),
                css_class="row",
            ),
            "scan",
            "notes",
        )

    @staticmethod
    def initial_for(expert: Expert, purpose: str = "") -> dict:
        """Paper, today, and a parent as the giver when the expert is under 16."""
        if purpose not in ConsentPurpose.values:
            purpose = ConsentPurpose.PARTICIPATION
        return {
            "purpose": purpose,
            "given_by": ConsentGiver.PARENT if expert.needs_parental_consent else ConsentGiver.SELF,
            "method": ConsentMethod.PAPER,
            "given_on": timezone.localdate(),
        }


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"),
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        initial=timezone.localdate,
        help_text=_("From this day on the consent no longer counts."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


# The expert's own consent pages and a parent's link.

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class PurposeForm(forms.Form):
    """Which purpose a give or withdraw page is about (``?purpose=`` or a hidden field)."""

    purpose = forms.ChoiceField(choices=ConsentPurpose.choices, widget=forms.HiddenInput)


class ConsentChoicesForm(forms.Form):
    """Yes or no for each purpose that has no consent in force, each with what it means."""

    def __init__(self, *args: Any, states: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purposes = [state.purpose for state in states]
        for state in states:
            self.fields[state.purpose] = forms.TypedChoiceField(
                label=state.label,
                # Help texts are written as HTML: the child's name in it is escaped here.
                help_text=escape(state.explanation),
                choices=YES_NO,
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose yes or no.")},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def answers(self) -> dict[str, bool]:
        """Per purpose: True for yes, False for no."""
        return {purpose: self.cleaned_data[purpose] for purpose in self.purposes}
