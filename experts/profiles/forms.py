"""Forms of the experts app. They validate and present; services save."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import Expert, ExpertRole, RecruitmentContact
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
