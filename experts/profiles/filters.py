"""Search, filters and sorting for the expert registry (django-filter, plain GET parameters)."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet

from experts.models import (
    Expert,
    Expertise,
    ExpertKind,
    ExpertRole,
    ExpertStatus,
    Organisation,
    RecruitmentChannel,
    Theme,
)

# Sort keys on the page and what they order by; the pk keeps pages stable.
SORTS = {
    "name": ("first_name", "last_name", "pk"),
    "-name": ("-first_name", "-last_name", "-pk"),
    "kind": ("kind", "first_name", "last_name", "pk"),
    "availability": ("availability_hours_per_month", "first_name", "pk"),
    "-availability": ("-availability_hours_per_month", "first_name", "pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}
SORT_CHOICES = [
    ("name", _("Name (A–Z)")),
    ("-name", _("Name (Z–A)")),
    ("kind", _("Kind")),
    ("-availability", _("Most hours available")),
    ("availability", _("Fewest hours available")),
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
]


def source_choices() -> list:
    """Recruitment sources: the organisations that recruitment went through, and the channels."""
    organisations = Organisation.objects.filter(recruitment_contacts__isnull=False).distinct()
    return [
        (
            _("Organisation"),
            [(f"org-{pk}", name) for pk, name in organisations.values_list("pk", "name")],
        ),
        (
            _("Channel"),
            [(f"channel-{value}", label) for value, label in RecruitmentChannel.choices],
        ),
    ]


def theme_choices() -> list[tuple[str, str]]:
    # Ids and names: a model instance per option (ModelChoiceFilter) cost more than the option.
    return [
        (str(pk), name) for pk, name in Theme.objects.order_by("name").values_list("pk", "name")
    ]


class ExpertFilter(FilterSet):
    """The registry's filters. Every filter joins at most one row per expert, so no DISTINCT."""

    q = CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, e-mail or place")}),
    )
    kind = ChoiceFilter(label=_("Kind"), choices=ExpertKind.choices, empty_label=_("All"))
    expertise = ChoiceFilter(label=_("Experience"), choices=Expertise.choices, empty_label=_("All"))
    theme = ChoiceFilter(
        label=_("Theme"), field_name="themes", choices=theme_choices, empty_label=_("All")
    )
    role = ChoiceFilter(
        label=_("Preferred role"),
        field_name="preferred_roles__role",
        choices=ExpertRole.choices,
        empty_label=_("All"),
    )
    available = ChoiceFilter(
        label=_("Available"),
        choices=[("yes", _("Has time and no break"))],
        method="filter_available",
        empty_label=_("All"),
    )
    source = ChoiceFilter(
        label=_("Recruited through"),
        choices=source_choices,
        method="filter_source",
        empty_label=_("All"),
    )
    status = ChoiceFilter(label=_("Status"), choices=ExpertStatus.choices, empty_label=_("All"))
    sort = ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Expert
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Expert]:
        queryset = super().qs
        # A list without a chosen sort still pages stably.
        if not self.form.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["name"])
        return queryset

    def filter_search(self, queryset: QuerySet[Expert], name: str, value: str):
        return queryset.search(value)

    def filter_available(self, queryset: QuerySet[Expert], name: str, value: str):
        if value != "yes":
            return queryset
        return queryset.available(on=timezone.localdate())

    def filter_source(self, queryset: QuerySet[Expert], name: str, value: str):
        kind, _sep, key = value.partition("-")
        if kind == "org":
            return queryset.filter(recruitment_source__organisation_id=key)
        if kind == "channel":
            return queryset.filter(recruitment_source__channel=key)
        return queryset

    def filter_sort(self, queryset: QuerySet[Expert], name: str, value: str):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))
