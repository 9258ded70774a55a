"""Forms of the participation app. They validate and present; services save."""

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from experts.models import Expert, Organisation
from learning_networks.models import LearningNetwork
from participation.models import MatchSide, MatchStatus, Request, RequestStatus
from samen.forms import LocalizedNumbersMixin

_DATE = {"type": "date"}

# Requests and matches ------------------------------------------------------------------------


class RequestForm(LocalizedNumbersMixin, forms.ModelForm):
    """The coordinator's form for a request. The model's rules give the messages: exactly one
    requester, the end not before the start, no negative hours."""

    class Meta:
        model = Request
        fields = [
            "title",
            "question",
            "network",
            "organisation",
            "contact_name",
            "contact_email",
            "perspective",
            "expertise_wanted",
            "role",
            "ladder_level",
            "starts_on",
            "ends_on",
            "respond_by",
            "expected_hours",
            "experts_wanted",
            "payment_scheme",
            "themes",
            "competencies",
            "mode",
            "location",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 4}),
            "competencies": forms.Textarea(attrs={"rows": 2}),
            "starts_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "respond_by": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "expected_hours": forms.NumberInput(attrs={"min": "0", "step": "0.5"}),
            "experts_wanted": forms.NumberInput(attrs={"min": "1"}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "question": _("Write it so that an expert understands it without explanation."),
            "network": _("Choose a network or an organisation, not both."),
            "contact_email": _("Gets an e-mail when an expert is confirmed."),
            "competencies": _("What the expert should be good at, in plain words."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = LearningNetwork.objects.order_by("name")
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        status_field = []
        if self.instance.pk:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                choices=self._status_choices(self.instance.status),
                initial=self.instance.status,
                help_text=_("The status follows the matches. Here you can close or reopen it."),
            )
            status_field = ["status"]
        self.helper = FormHelper()
        # The template holds the <form> with "Save" and "Cancel".
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("The question"),
                "title",
                "question",
                *status_field,
            ),
            Fieldset(
                _("Who asks"),
                Div(
                    Div("network", css_class="col-md-6"),
                    Div("organisation", css_class="col-md-6"),
                    Div("contact_name", css_class="col-md-6"),
                    Div("contact_email", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Who is wanted"),
                Div(
                    Div("perspective", css_class="col-md-4"),
                    Div("expertise_wanted", css_class="col-md-4"),
                    Div("experts_wanted", css_class="col-md-4"),
                    Div("role", css_class="col-md-6"),
                    Div("ladder_level", css_class="col-md-6"),
                    css_class="row",
                ),
                "themes",
                "competencies",
            ),
            Fieldset(
                _("When, where and pay"),
                Div(
                    Div("starts_on", css_class="col-md-4"),
                    Div("ends_on", css_class="col-md-4"),
                    Div("respond_by", css_class="col-md-4"),
                    Div("expected_hours", css_class="col-md-4"),
                    Div("payment_scheme", css_class="col-md-4"),
                    Div("mode", css_class="col-md-4"),
                    css_class="row",
                ),
                "location",
            ),
        )

    @staticmethod
    def _status_choices(current: str) -> list[tuple[str, str]]:
        labels = dict(RequestStatus.choices)
        values = [current, RequestStatus.DONE, RequestStatus.CANCELLED]
        if current in {RequestStatus.DONE, RequestStatus.CANCELLED}:
            values.append(RequestStatus.OPEN)
        seen: list[str] = []
        for value in values:
            if value not in seen:
                seen.append(value)
        return [(value, labels[value]) for value in seen]


# ?waiting=yes: the requests the dashboard counts as waiting for a match.
WAITING_YES = "yes"


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + RequestStatus.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    waiting = forms.ChoiceField(
        label=_("Enough experts"),
        choices=[("", _("All")), (WAITING_YES, _("Not yet: fewer confirmed than asked"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    # Set by the link from an organisation ("its requests"), kept when the status changes.
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.only("name"), required=False, widget=forms.HiddenInput
    )


class MatchFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + MatchStatus.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MatchProposeForm(LocalizedNumbersMixin, forms.Form):
    """Propose the checked suggestions, with what is expected and the time, the same for each.
    Rendered by hand on the request page: the checkboxes sit in the suggestions table."""

    experts = forms.ModelMultipleChoiceField(
        label=_("Experts to propose"),
        queryset=Expert.objects.all(),
        error_messages={"required": _("Choose at least one expert.")},
    )
    expectations = forms.CharField(
        label=_("What is expected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what is expected of the expert.")},
    )
    hours = forms.DecimalField(
        label=_("Time (hours) per expert"),
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.5"),
        error_messages={
            "required": _("Say how many hours it takes."),
            "min_value": _("The time must be at least half an hour."),
        },
    )


class MatchAnswerForm(forms.Form):
    """The coordinator records one side's answer: yes, or no with the reason."""

    CONFIRM = "confirm"
    DECLINE = "decline"

    side = forms.ChoiceField(
        label=_("Who answered"),
        choices=MatchSide.choices,
        error_messages={"required": _("Choose who answered.")},
    )
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[(CONFIRM, _("Yes")), (DECLINE, _("No"))],
        error_messages={"required": _("Choose yes or no.")},
    )
    reason = forms.CharField(label=_("Why not"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("answer") == self.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the answer is no."))
        return cleaned
