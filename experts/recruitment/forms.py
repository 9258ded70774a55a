"""Forms and list filters for organisations and recruitment contacts. They validate and
present; experts.recruitment saves."""

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet, ModelChoiceFilter

from experts.models import (
    Organisation,
    OrganisationKind,
    RecruitmentChannel,
    RecruitmentContact,
)

_DATE = {"type": "date"}
# ?follow_up=due: the follow-ups the dashboard counts.
FOLLOW_UP_DUE = "due"


def _style(form: forms.Form) -> None:
    for form_field in form.fields.values():
        css = "form-select" if isinstance(form_field.widget, forms.Select) else "form-control"
        form_field.widget.attrs.setdefault("class", css)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "city", "contact_name", "contact_email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div("name", css_class="col-md-8"),
                Div("kind", css_class="col-md-4"),
                css_class="row",
            ),
            Div(
                Div("city", css_class="col-md-4"),
                Div("contact_name", css_class="col-md-4"),
                Div("contact_email", css_class="col-md-4"),
                css_class="row",
            ),
            "notes",
        )


class RecruitmentContactForm(forms.ModelForm):
    class Meta:
        model = RecruitmentContact
        fields = [
            "organisation",
            "date",
            "channel",
            "description",
            "youth_reached",
            "parents_reached",
            "follow_up_on",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "follow_up_on": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "youth_reached": _("Young people who showed interest or signed up."),
            "parents_reached": _("Parents who showed interest or signed up."),
            "follow_up_on": _(
                "When to get back to them. From that day it is on the overview, until you mark "
                "it done in the list of contacts."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.only("name").order_by("name")
        self.fields["date"].initial = timezone.localdate
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div("organisation", css_class="col-md-6"),
                Div("date", css_class="col-md-3"),
                Div("channel", css_class="col-md-3"),
                css_class="row",
            ),
            "description",
            Div(
                Div("youth_reached", css_class="col-md-4"),
                Div("parents_reached", css_class="col-md-4"),
                Div("follow_up_on", css_class="col-md-4"),
                css_class="row",
            ),
            "notes",
        )


class OrganisationFilter(FilterSet):
    q = CharFilter(label=_("Search"), method="search")
    kind = ChoiceFilter(label=_("Type"), choices=OrganisationKind.choices, empty_label=_("All"))

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self.form)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(contact_name__icontains=value)
        )


class RecruitmentContactFilter(FilterSet):
    q = CharFilter(label=_("Search"), method="search")
    organisation = ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.only("name").order_by("name"),
        empty_label=_("All"),
    )
    channel = ChoiceFilter(
        label=_("Channel"), choices=RecruitmentChannel.choices, empty_label=_("All")
    )
    follow_up = ChoiceFilter(
        label=_("Follow-up"),
        choices=[
            (FOLLOW_UP_DUE, _("To do now")),
            ("overdue", _("Overdue")),
            ("planned", _("Planned")),
            ("done", _("Done")),
        ],
        empty_label=_("All"),
        method="filter_follow_up",
    )

    class Meta:
        model = RecruitmentContact
        fields = ["q", "organisation", "channel", "follow_up"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self.form)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organisation__name__icontains=value) | Q(description__icontains=value)
        )

    def filter_follow_up(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == FOLLOW_UP_DUE:
            return queryset.follow_up_due(on=today)
        if value == "overdue":
            return queryset.follow_up_due(on=today - datetime.timedelta(days=1))
        if value == "planned":
            return queryset.follow_up_planned(on=today)
        if value == "done":
            return queryset.follow_up_done()
        return queryset
