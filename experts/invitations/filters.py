"""The filters of the coordinator's overview of invitations (django-filter, GET parameters)."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet

from experts.models import Expert, Invitation, InvitationState


class InvitationFilter(FilterSet):
    """A name or address, and the state (open, accepted, expired, withdrawn)."""

    q = CharFilter(label=_("Search"), method="filter_search")
    state = ChoiceFilter(
        label=_("State"),
        choices=InvitationState.choices,
        method="filter_state",
        empty_label=_("All"),
    )

    class Meta:
        model = Invitation
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name or e-mail address")
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        experts = Expert.objects.search(value).values("pk")
        return queryset.filter(Q(expert__in=experts) | Q(email__icontains=value.strip()))

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The queryset carries the state (InvitationQuerySet.with_state).
        return queryset.filter(current_state=value)
