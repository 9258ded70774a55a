"""The registry's filters: the expert filters, the network of an open placement, the five
dashboard signals about experts, which share their definition with the dashboard, and who has
no consent to take part (linked from a request's suggestions)."""

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter

from experts.models import Expert
from experts.profiles.filters import ExpertFilter
from learning_networks.models import LearningNetwork
from participation.hours import selectors as hours
from participation.models import Placement
from participation.placements.selectors import linked_after_consent_withdrawn
from samen.forms import FastSelect

# The values of the filters that the dashboard's signals link to.
LOAD_OVER = "over"
INACTIVE_YES = "yes"
CONSENT_MISSING_PARENTAL = "missing_parental"
CONSENT_WAITING_PARENT = "waiting_parent"
CONSENT_MISSING = "missing"
CONSENT_WITHDRAWN_LINKED = "withdrawn_linked"


def _inactive_choices() -> list[tuple[str, str]]:
    # A callable, so the setting is read when the form is built, not at import.
    return [
        (
            INACTIVE_YES,
            _("No activity for %(days)s days") % {"days": settings.SAMEN_INACTIVE_AFTER_DAYS},
        )
    ]


def _network_choices() -> list[tuple[str, str]]:
    # Ids and names only: a model instance per option cost more than the rest of the form.
    return [
        (str(pk), name)
        for pk, name in LearningNetwork.objects.order_by("name").values_list("pk", "name")
    ]


class RegistryFilter(ExpertFilter):
    """The expert filters plus the network an expert has an open placement in, and the five
    dashboard signals about experts (over their hours, inactive, no parental consent, a parent
    asked through a link, consent withdrawn while still linked)."""

    network = ChoiceFilter(
        label=gettext_lazy("Network"),
        choices=_network_choices,
        method="filter_network",
        empty_label=gettext_lazy("All"),
    )
    load = ChoiceFilter(
        label=gettext_lazy("Hours this month"),
        choices=[(LOAD_OVER, gettext_lazy("More than they gave"))],
        method="filter_load",
        empty_label=gettext_lazy("All"),
    )
    inactive = ChoiceFilter(
        label=gettext_lazy("Activity"),
        choices=_inactive_choices,
        method="filter_inactive",
        empty_label=gettext_lazy("All"),
    )
    consent = ChoiceFilter(
        label=gettext_lazy("Consent"),
        choices=[
            (CONSENT_MISSING, gettext_lazy("No consent to take part")),
            (CONSENT_MISSING_PARENTAL, gettext_lazy("Under 16, no consent from a parent")),
            (CONSENT_WAITING_PARENT, gettext_lazy("Under 16, a parent was asked")),
            (CONSENT_WITHDRAWN_LINKED, gettext_lazy("Consent withdrawn, still linked")),
        ],
        method="filter_consent",
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                # The networks alone are 200 options at reference scale.
                field.widget = FastSelect(attrs=field.widget.attrs)
                field.widget.choices = field.choices
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_network(self, queryset: QuerySet[Expert], name: str, value: str):
        return queryset.filter(
            pk__in=Placement.objects.open().filter(network_id=value).values("expert")
        )

    # The next three are the dashboard's signals: the same rules, on the same experts.
    def filter_load(self, queryset: QuerySet[Expert], name: str, value: str):
        if value != LOAD_OVER:
            return queryset
        return hours.over_availability(queryset.current(), day=timezone.localdate())

    def filter_inactive(self, queryset: QuerySet[Expert], name: str, value: str):
        if value != INACTIVE_YES:
            return queryset
        now = timezone.now()
        return hours.inactive(queryset, today=timezone.localdate(now), now=now)

    def filter_consent(self, queryset: QuerySet[Expert], name: str, value: str):
        today = timezone.localdate()
        if value == CONSENT_MISSING:
            # Who the suggestions for a request leave out for want of consent.
            return queryset.current().exclude(
                pk__in=Expert.objects.with_consent_to_take_part(on=today).values("pk")
            )
        if value == CONSENT_WITHDRAWN_LINKED:
            return linked_after_consent_withdrawn(queryset, on=today)
        if value == CONSENT_WAITING_PARENT:
            return queryset.current().waiting_for_parent(on=today)
        if value != CONSENT_MISSING_PARENTAL:
            return queryset
        return queryset.current().missing_parental_consent(on=today)
