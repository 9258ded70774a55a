"""Forms for placements. They validate and present; placement_services saves and keeps the
rules (no second open placement, consent under 16, the rate that fits)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import Expert, ExpertRole
from learning_networks.models import LearningNetwork
from participation.models import Circle, FeeRate, LadderLevel, PaymentScheme, Placement
from samen.forms import LocalizedNumbersMixin

from .services import Agreements

_DATE = {"type": "date"}
# The expert search offers at most this many experts: enough to pick from, and the page stays
# small however many experts there are.
EXPERT_SEARCH_LIMIT = 20
# ?parents=none: the networks the dashboard counts as without parents.
WITHOUT_PARENTS = "none"


class FeeRateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FeeRate) -> str:
        return f"{obj} – {obj.get_payment_scheme_display()}"


class PlacementForm(LocalizedNumbersMixin, forms.Form):
    """Ladder level, circle, roles and agreements: what a new and a changed placement share."""

    ladder_level = forms.TypedChoiceField(
        label=_("Participation ladder"),
        choices=LadderLevel.choices,
        coerce=int,
        initial=LadderLevel.ADVISE,
        help_text=_("The circle follows from the level: 1–2 core group, 3–4 second, 5 third."),
    )
    choose_circle = forms.BooleanField(label=_("Choose the circle by hand"), required=False)
    circle = forms.ChoiceField(
        label=_("Circle"),
        choices=[("", "–")] + Circle.choices,
        required=False,
        help_text=_("Only used when you choose the circle by hand."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=ExpertRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expectations = forms.CharField(
        label=_("What is expected"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    hours_per_month = forms.DecimalField(
        label=_("Hours per month"), max_digits=5, decimal_places=1, min_value=0, initial=0
    )
    attendance_agreement = forms.CharField(
        label=_("Attendance"),
        max_length=250,
        required=False,
        help_text=_("For example: every meeting, and the prep meeting before it."),
    )
    continuity_agreement = forms.CharField(
        label=_("Continuity"),
        max_length=250,
        required=False,
        help_text=_("For example: at least one year; say so two months before you stop."),
    )
    payment_scheme = forms.ChoiceField(
        label=_("Way of paying"),
        choices=PaymentScheme.choices,
        initial=PaymentScheme.VOLUNTEER_ALLOWANCE,
    )
    fee_rate = FeeRateChoiceField(
        label=_("Rate"),
        queryset=FeeRate.objects.none(),
        required=False,
        empty_label=_("No rate"),
        help_text=_("Rates that are valid today. The rate must fit the way of paying."),
    )
    travel_costs_reimbursed = forms.BooleanField(
        label=_("Travel costs reimbursed"), required=False, initial=True
    )

    def __init__(self, *args: Any, current_rate: FeeRate | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rates = FeeRate.objects.valid_on(timezone.localdate()).order_by(
            "payment_scheme", "name", "pk"
        )
        if current_rate is not None:
            # A rate that has expired since may stay on the placement it was agreed for.
            rates = rates | FeeRate.objects.filter(pk=current_rate.pk)
        self.fields["fee_rate"].queryset = rates
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout_parts())

    def layout_parts(self) -> list:
        return [
            Fieldset(
                _("Participation ladder and roles"),
                Div(
                    Div("ladder_level", css_class="col-md-6"),
                    Div(Field("choose_circle"), "circle", css_class="col-md-6"),
                    css_class="row",
                ),
                "roles",
            ),
            Fieldset(
                _("Agreements"),
                "expectations",
                Div(
                    Div("hours_per_month", css_class="col-md-4"),
                    Div("attendance_agreement", css_class="col-md-8"),
                    css_class="row",
                ),
                "continuity_agreement",
                Div(
                    Div("payment_scheme", css_class="col-md-4"),
                    Div("fee_rate", css_class="col-md-8"),
                    css_class="row",
                ),
                "travel_costs_reimbursed",
            ),
        ]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("choose_circle") and not data.get("circle"):
            self.add_error("circle", _("Choose a circle, or let it follow the ladder level."))
        return data

    def chosen_circle(self) -> str | None:
        """The circle chosen by hand, or None when it follows the ladder level."""
        data = self.cleaned_data
        return data["circle"] if data.get("choose_circle") else None

    def agreements(self) -> Agreements:
        data = self.cleaned_data
        return Agreements(
            expectations=data["expectations"],
            hours_per_month=data["hours_per_month"],
            attendance_agreement=data["attendance_agreement"],
            continuity_agreement=data["continuity_agreement"],
            payment_scheme=data["payment_scheme"],
            fee_rate=data["fee_rate"],
            travel_costs_reimbursed=data["travel_costs_reimbursed"],
        )

    @staticmethod
    def initial_for(placement: Placement) -> dict:
        return {
            "ladder_level": placement.ladder_level,
            "choose_circle": placement.circle_overridden,
            "circle": placement.circle if placement.circle_overridden else "",
            "roles": [row.role for row in placement.roles.all()],
            "expectations": placement.expectations,
            "hours_per_month": placement.hours_per_month,
            "attendance_agreement": placement.attendance_agreement,
            "continuity_agreement": placement.continuity_agreement,
            "payment_scheme": placement.payment_scheme,
            "fee_rate": placement.fee_rate_id,
            "travel_costs_reimbursed": placement.travel_costs_reimbursed,
        }


@dataclass(frozen=True)
class ExpertOptions:
    """The experts a search offers; ``more`` when there were more matches than shown."""

    query: str
    experts: list[Expert]
    more: bool = False


class PlacementCreateForm(PlacementForm):
    """A new link: who, which network and from when, plus the shared part.

    The expert is never offered as a list of every expert (there may be thousands): the page
    shows either the one expert it was opened for, or a search (``expert_options``); both post
    a pk that this field validates against the experts who may get a placement."""

    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=Expert.objects.current()
        .only("first_name", "last_name", "kind")
        .order_by("first_name", "last_name", "pk"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose an expert.")},
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=LearningNetwork.objects.active().only("name").order_by("name"),
    )
    starts_on = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def layout_parts(self) -> list:
        return [
            Fieldset(
                _("Who and where"),
                Div(
                    Div("network", css_class="col-md-8"),
                    Div("starts_on", css_class="col-md-4"),
                    css_class="row",
                ),
                # The expert is chosen with a search or shown fixed; see the template.
                HTML('{% include "participation/placements/_expert_chooser.html" %}'),
            ),
            *super().layout_parts(),
        ]

    @classmethod
    def expert_for(cls, pk: int) -> Expert | None:
        """The expert with this pk when they may be chosen, else None."""
        queryset = cls.base_fields["expert"].queryset.filter(pk=pk)
        # only() replaces the field's own only(): name and kind for the page, the hours for
        # the form's start.
        return queryset.only(
            "first_name", "last_name", "kind", "availability_hours_per_month"
        ).first()

    @staticmethod
    def initial_for_expert(expert: Expert, *, agreed_hours: Decimal) -> dict:
        """A new link for ``expert`` starts from what they said they like to do and the time
        they have: their preferred roles, and their available hours per month minus the hours
        already agreed in their open placements (``agreed_hours``)."""
        return {
            "roles": list(expert.preferred_roles.values_list("role", flat=True)),
            "hours_per_month": max(
                Decimal("0"), expert.availability_hours_per_month - agreed_hours
            ),
        }

    @classmethod
    def expert_options(
        cls, *, query: str, network_id: int | None = None, selected_id: int | None = None
    ) -> ExpertOptions:
        """Experts who may be chosen and whose name, e-mail address or place holds every word
        of ``query``, at most EXPERT_SEARCH_LIMIT. The one already chosen comes first, also
        when the words no longer match, so a new search does not lose it. ``in_network``
        marks experts with an open placement in the chosen network."""
        query = " ".join(query.split())
        if not query and selected_id is None:
            return ExpertOptions(query=query, experts=[])
        experts = cls.base_fields["expert"].queryset
        matches = Q(pk__in=experts.search(query).values("pk")) if query else Q()
        selected = Value(False)
        if selected_id is not None:
            matches = matches | Q(pk=selected_id) if query else Q(pk=selected_id)
            selected = Case(When(pk=selected_id, then=True), default=False)
        in_network = Value(False)
        if network_id is not None:
            in_network = Exists(
                Placement.objects.open().filter(expert=OuterRef("pk"), network_id=network_id)
            )
        experts = list(
            experts.filter(matches)
            .only("first_name", "last_name", "kind", "email", "city")
            .annotate(selected=selected, in_network=in_network)
            .order_by("-selected", "first_name", "last_name", "pk")[: EXPERT_SEARCH_LIMIT + 1]
        )
        return ExpertOptions(
            query=query,
            experts=experts[:EXPERT_SEARCH_LIMIT],
            more=len(experts) > EXPERT_SEARCH_LIMIT,
        )


class PlacementEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("End date"),
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    reason = forms.CharField(
        label=_("Why does the placement end?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("This is kept in the history of the placement."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class NetworkFilterForm(forms.Form):
    parents = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All networks")), (WITHOUT_PARENTS, _("Active networks without parents"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
