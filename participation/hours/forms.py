"""The expert's form to log hours and travel costs. It validates and presents;
participation.hours.services saves and keeps the rules (not a day still to come, not before the
placement started, the receipt's type and size, the same form sent twice)."""

import datetime
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import Expert
from participation.models import ActivityKind, ActivityLog
from samen.formatting import format_date
from samen.forms import LocalizedNumbersMixin

from .selectors import log_targets

RECEIPT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
ZERO = Decimal("0")
# The fields of a log that point to what the hours were for.
TARGETS = ("placement", "match", "meeting")


class ActivityLogForm(LocalizedNumbersMixin, forms.Form):
    """Hours an expert logs: when, for what, how many, travel costs and a receipt."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as day-month-year, for example 3-2-2026.")},
    )
    target = forms.ChoiceField(label=_("What was it for?"), required=False)
    kind = forms.ChoiceField(label=_("What did you do?"), choices=ActivityKind.choices)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("For example 2,5 for two and a half hours."),
        error_messages={"invalid": _("Write a number, for example 2,5.")},
    )
    travel_costs = forms.DecimalField(
        label=_("Travel costs in euros"),
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty if you had no travel costs."),
        error_messages={"invalid": _("Write an amount, for example 12,40.")},
    )
    description = forms.CharField(
        label=_("What did you do? (a few words)"),
        max_length=250,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        widget=forms.FileInput(attrs={"accept": RECEIPT_ACCEPT}),
        help_text=_(
            "Optional. A photo or PDF of a ticket or bill. Only you and the coordinators see it."
        ),
    )
    remove_receipt = forms.BooleanField(label=_("Remove the receipt"), required=False)

    def __init__(
        self,
        *args: Any,
        expert: Expert,
        log: ActivityLog | None = None,
        today: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        self.today = today or timezone.localdate()
        if log is not None:
            kwargs.setdefault("initial", self.initial_for(log))
        else:
            kwargs.setdefault("initial", {"date": self.today})
        super().__init__(*args, **kwargs)
        self.targets = log_targets(expert, today=self.today)
        self.fields["target"].choices = self._target_choices(log)
        if log is None or not log.receipt:
            del self.fields["remove_receipt"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "date",
            "target",
            "kind",
            Div(
                Div("hours", css_class="col-sm-6"),
                Div("travel_costs", css_class="col-sm-6"),
                css_class="row",
            ),
            "description",
            "receipt",
            *(["remove_receipt"] if "remove_receipt" in self.fields else []),
        )

    @staticmethod
    def initial_for(log: ActivityLog) -> dict[str, Any]:
        ids = {name: getattr(log, f"{name}_id") for name in TARGETS}
        target = next((f"{name}:{pk}" for name, pk in ids.items() if pk), "")
        return {
            "date": log.date,
            "target": target,
            "kind": log.kind,
            "hours": log.hours,
            "travel_costs": log.travel_costs or None,
            "description": log.description,
        }

    def _target_choices(self, log: ActivityLog | None) -> list:
        self._objects: dict[str, Any] = {}
        groups = []
        labels = {
            "placement": (_("My networks"), lambda p: p.network.name),
            "match": (_("My requests"), lambda m: m.request.title),
            "meeting": (
                _("Meetings"),
                lambda m: f"{m.title} ({format_date(timezone.localtime(m.starts_at))})",
            ),
        }
        for name in TARGETS:
            objects = list(self.targets[name])
            # A log being changed keeps what it was for, even when that has ended since.
            current = getattr(log, name) if log is not None else None
            if current is not None and current not in objects:
                objects.append(current)
            group_label, label = labels[name]
            options = []
            for obj in objects:
                self._objects[f"{name}:{obj.pk}"] = (name, obj)
                options.append((f"{name}:{obj.pk}", label(obj)))
            if options:
                groups.append((group_label, options))
        return [("", _("Something else")), *groups]

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if hours is None:
            return ZERO
        if hours < 0:
            raise forms.ValidationError(_("Hours cannot be less than 0."))
        if hours > 24:
            raise forms.ValidationError(_("A day has 24 hours. Write at most 24 hours."))
        return hours

    def clean_travel_costs(self) -> Decimal:
        costs = self.cleaned_data["travel_costs"]
        if costs is None:
            return ZERO
        if costs < 0:
            raise forms.ValidationError(_("Travel costs cannot be less than 0."))
        return costs

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            "hours" in cleaned
            and "travel_costs" in cleaned
            and not cleaned["hours"]
            and not cleaned["travel_costs"]
        ):
            self.add_error("hours", _("Write the hours, the travel costs or both."))
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        """The fields for ``activity_log_submit`` and ``activity_log_change``, with what the
        hours were for as the placement, request or meeting itself."""
        data = self.cleaned_data
        fields: dict[str, Any] = dict.fromkeys(TARGETS)
        if data["target"]:
            name, obj = self._objects[data["target"]]
            fields[name] = obj
        fields.update(
            date=data["date"],
            kind=data["kind"],
            hours=data["hours"],
            travel_costs=data["travel_costs"],
            description=data["description"].strip(),
        )
        return fields
