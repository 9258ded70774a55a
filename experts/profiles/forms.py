"""Forms of the experts app. They validate and present; services save."""

import re
from decimal import Decimal
from typing import Any

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import (
    AwayPeriod,
    ContactChannel,
    DayPart,
    Expert,
    ExpertRole,
    MeetingMode,
    RecruitmentContact,
    SupportNeed,
    Theme,
    Weekday,
)
from samen.forms import LocalizedNumbersMixin

_DATE = {"type": "date"}


class ExpertForm(LocalizedNumbersMixin, forms.ModelForm):
    """The coordinator's form for an expert's profile, with themes and preferred roles."""

    roles = forms.MultipleChoiceField(
        label=_("Roles this expert likes"),
        choices=ExpertRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Expert
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "city",
            "date_of_birth",
            "kind",
            "expertise",
            "status",
            "themes",
            "bio",
            "availability_hours_per_month",
            "availability_notes",
            "paused_until",
            "coach",
            "coach_contact",
            "recruitment_source",
            "share_email_with_leads",
            "share_phone_with_leads",
            "benefit_situation",
            "private_notes",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "paused_until": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "themes": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 3}),
            "private_notes": forms.Textarea(attrs={"rows": 3}),
        }
        # The model's texts speak to the expert ("you"); this form is the coordinator's.
        labels = {
            "bio": _("Short introduction"),
            "availability_notes": _("When the expert is available"),
            "share_email_with_leads": _("Leads may see the e-mail address"),
            "share_phone_with_leads": _("Leads may see the phone number"),
        }
        help_texts = {
            "themes": _("Special personal data: only the expert and the coordinators see them."),
            "bio": _("Leads of the expert's networks can read this."),
            "benefit_situation": _("Private. Used to warn when a fee could affect a benefit."),
            "private_notes": _("Only the expert and the coordinators can read this."),
            "share_email_with_leads": _(
                "Leads see it only while the consent to share contact details is in force."
            ),
            "share_phone_with_leads": _(
                "Leads see it only while the consent to share contact details is in force."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "roles" not in self.initial:
            self.initial["roles"] = [r.role for r in self.instance.preferred_roles.all()]
        self.fields["recruitment_source"].queryset = RecruitmentContact.objects.select_related(
            "organisation"
        )
        self.fields["recruitment_source"].empty_label = _("Unknown")
        self.helper = FormHelper()
        # The template holds the <form> with "Save" and "Cancel".
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Person"),
                Div(
                    Div("first_name", css_class="col-md-6"),
                    Div("last_name", css_class="col-md-6"),
                    Div("email", css_class="col-md-6"),
                    Div("phone", css_class="col-md-6"),
                    Div("city", css_class="col-md-6"),
                    Div("date_of_birth", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Experience"),
                Div(
                    Div("kind", css_class="col-md-4"),
                    Div("expertise", css_class="col-md-4"),
                    Div("status", css_class="col-md-4"),
                    css_class="row",
                ),
                "roles",
                "themes",
                "bio",
            ),
            Fieldset(
                _("Time"),
                Div(
                    Div("availability_hours_per_month", css_class="col-md-4"),
                    Div("paused_until", css_class="col-md-4"),
                    Div("availability_notes", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Support and recruitment"),
                Div(
                    Div("coach", css_class="col-md-4"),
                    Div("coach_contact", css_class="col-md-4"),
                    Div("recruitment_source", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("What leads may see"),
                "share_email_with_leads",
                "share_phone_with_leads",
            ),
            Fieldset(_("Private"), "benefit_situation", "private_notes"),
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email:
            taken = Expert.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(
                    _("There is already an expert with this e-mail address."), code="duplicate"
                )
        return email

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError(
                _("The date of birth cannot be in the future."), code="future"
            )
        return born

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments for expert_create / expert_update."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in self.Meta.fields if name != "themes"}
        kwargs["themes"] = list(data["themes"])
        kwargs["roles"] = list(data["roles"])
        return kwargs


# The expert's own pages: one short form per part of the profile. They validate and present;
# ``expert_profile_update`` and the away-period services keep the rules (one way to reach you
# at least, the period's days) and say what is wrong by field.

PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}$")
MAX_HOURS_PER_MONTH = Decimal("160")
DATE_ERROR = _("Write the date as day-month-year, for example 3-2-2026.")


def _own_helper(*layout: Any) -> FormHelper:
    helper = FormHelper()
    # The template holds the <form> with "Save" and "Cancel".
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


class OwnContactForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Write a whole e-mail address, for example naam@voorbeeld.nl.")
        },
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    city = forms.CharField(
        label=_("Place where you live"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    channels = forms.MultipleChoiceField(
        label=_("How may the coordinator reach you?"),
        help_text=_("Choose one or more."),
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_channel = forms.ChoiceField(
        label=_("What do you like best?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, expert: Expert, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "email": expert.email,
                "phone": expert.phone,
                "city": expert.city,
                "channels": expert.contact_channels,
                "preferred_channel": expert.preferred_channel,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = _own_helper("email", "phone", "city", "channels", "preferred_channel")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Write a phone number with digits only, for example 06 12345678.")
            )
        return phone


def _day_field(name: str) -> str:
    return f"day_{name}"


class OwnAvailabilityForm(LocalizedNumbersMixin, forms.Form):
    availability_hours_per_month = forms.DecimalField(
        label=_("Hours per month"),
        max_digits=5,
        decimal_places=1,
        help_text=_(
            "About how many hours a month you have for Samen, for example 8. Write 0 "
            "if you have no time for now."
        ),
        error_messages={"invalid": _("Write a number, for example 8 or 2,5.")},
    )
    meeting_mode = forms.ChoiceField(
        label=_("Online or on site?"),
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
    )
    availability_notes = forms.CharField(
        label=_("Anything else about your time?"),
        help_text=_("For example: not in the school holidays."),
        max_length=250,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, expert: Expert, **kwargs: Any) -> None:
        times: dict[int, list[str]] = {}
        for time in expert.available_times.all():
            times.setdefault(time.weekday, []).append(time.part)
        kwargs.setdefault(
            "initial",
            {
                "availability_hours_per_month": expert.availability_hours_per_month,
                "meeting_mode": expert.meeting_mode,
                "availability_notes": expert.availability_notes,
                **{_day_field(day): times.get(day, []) for day in Weekday.values},
            },
        )
        super().__init__(*args, **kwargs)
        for day, label in Weekday.choices:
            self.fields[_day_field(day)] = forms.MultipleChoiceField(
                label=label,
                choices=DayPart.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        self.helper = _own_helper(
            "availability_hours_per_month",
            Fieldset(
                _("When can you usually take part?"),
                *(InlineCheckboxes(_day_field(day)) for day in Weekday.values),
                css_class="mb-3",
            ),
            "meeting_mode",
            "availability_notes",
        )

    def clean_availability_hours_per_month(self) -> Decimal:
        hours = self.cleaned_data["availability_hours_per_month"]
        if hours < 0:
            raise forms.ValidationError(_("Hours cannot be less than 0."))
        if hours > MAX_HOURS_PER_MONTH:
            raise forms.ValidationError(
                _("Write at most %(hours)s hours a month.") % {"hours": MAX_HOURS_PER_MONTH}
            )
        return hours

    def clean(self) -> dict[str, Any]:
        """The days' checkboxes become one list of (weekday, part of the day), as
        ``expert_profile_update`` takes them."""
        cleaned = super().clean()
        cleaned["available_times"] = [
            (day, part) for day in Weekday.values for part in cleaned.pop(_day_field(day), [])
        ]
        return cleaned


class AwayPeriodForm(forms.Form):
    starts_on = forms.DateField(
        label=_("First day away"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR},
    )
    ends_on = forms.DateField(
        label=_("Last day away"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR},
    )

    def __init__(self, *args: Any, period: AwayPeriod | None = None, **kwargs: Any) -> None:
        if period is not None:
            kwargs.setdefault("initial", {"starts_on": period.starts_on, "ends_on": period.ends_on})
        super().__init__(*args, **kwargs)
        self.helper = _own_helper(
            Div(
                Div("starts_on", css_class="col-sm-6"),
                Div("ends_on", css_class="col-sm-6"),
                css_class="row",
            )
        )


class OwnThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("My themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, expert: Expert, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"themes": list(expert.themes.all())})
        super().__init__(*args, **kwargs)
        self.helper = _own_helper("themes")


class OwnGrowthForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles I want to grow in"),
        choices=ExpertRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    goals = forms.CharField(
        label=_("What do you want to get out of it?"),
        help_text=_("For example: learn to speak in a group, or help other families."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support_needs = forms.MultipleChoiceField(
        label=_("What support do you need?"),
        choices=SupportNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support_note = forms.CharField(
        label=_("Tell us more about the support you need"),
        help_text=_("Optional. For example which language you speak best."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, expert: Expert, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "roles": [role.role for role in expert.preferred_roles.all()],
                "goals": expert.goals,
                "support_needs": [need.need for need in expert.support_needs.all()],
                "support_note": expert.support_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = _own_helper("roles", "goals", "support_needs", "support_note")


class OwnSharingForm(forms.Form):
    bio = forms.CharField(
        label=_("A short introduction for network leads"),
        help_text=_("Who you are and what you bring. Leave out what you want to keep private."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_email_with_leads = forms.BooleanField(
        label=_("Leads of my networks may see my e-mail address"), required=False
    )
    share_phone_with_leads = forms.BooleanField(
        label=_("Leads of my networks may see my phone number"), required=False
    )

    def __init__(self, *args: Any, expert: Expert, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "bio": expert.bio,
                "share_email_with_leads": expert.share_email_with_leads,
                "share_phone_with_leads": expert.share_phone_with_leads,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = _own_helper("bio", "share_email_with_leads", "share_phone_with_leads")
