"""The coordinator's expert registry: list, detail, create, edit, invite and export.

Every page here is for coordinators (and admins) only; they see every expert."""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters import ChoiceFilter, ModelChoiceFilter
from openpyxl import Workbook

from experts.filters import ExpertFilter
from experts.forms import ExpertForm
from experts.models import ConsentGiver, ConsentPurpose, Expert, ExpertStatus
from experts.selectors import expert_profile_queryset, latest_invitation
from experts.services import expert_create, expert_invite, expert_update
from learning_networks.models import LearningNetwork
from samen.accounts.permissions import coordinator_required

from ..models import ActivityLog, Match, Placement
from ..selectors import (
    month_bounds,
    only_inactive,
    only_missing_parental_consent,
    only_over_availability,
)

PAGE_SIZE = 25
EXPORT_CHUNK = 500
# The values of the filters that the dashboard's signals link to.
LOAD_OVER = "over"
INACTIVE_YES = "yes"
CONSENT_MISSING_PARENTAL = "missing_parental"


def _inactive_choices() -> list[tuple[str, str]]:
    # A callable, so the setting is read when the form is built, not at import.
    return [
        (
            INACTIVE_YES,
            _("No activity for %(days)s days") % {"days": settings.SAMEN_INACTIVE_AFTER_DAYS},
        )
    ]


class RegistryFilter(ExpertFilter):
    """The expert filters plus the network an expert has an open placement in, and the three
    dashboard signals about experts (over their hours, inactive, no parental consent)."""

    network = ModelChoiceFilter(
        label=gettext_lazy("Network"),
        queryset=LearningNetwork.objects.only("pk", "name").order_by("name"),
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
        choices=[(CONSENT_MISSING_PARENTAL, gettext_lazy("Under 16, no consent from a parent"))],
        method="filter_consent",
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_network(self, queryset: QuerySet[Expert], name: str, value: LearningNetwork):
        return queryset.filter(
            pk__in=Placement.objects.open().filter(network=value).values("expert")
        )

    # The next three are the dashboard's signals; they share their definition with it.
    def filter_load(self, queryset: QuerySet[Expert], name: str, value: str):
        if value != LOAD_OVER:
            return queryset
        return only_over_availability(queryset, today=timezone.localdate())

    def filter_inactive(self, queryset: QuerySet[Expert], name: str, value: str):
        if value != INACTIVE_YES:
            return queryset
        now = timezone.now()
        return only_inactive(queryset, today=timezone.localdate(now), now=now)

    def filter_consent(self, queryset: QuerySet[Expert], name: str, value: str):
        if value != CONSENT_MISSING_PARENTAL:
            return queryset
        return only_missing_parental_consent(queryset, today=timezone.localdate())


def _registry_queryset(request: HttpRequest) -> QuerySet[Expert]:
    """Every expert (erased ones only when asked for), with hours logged this month and their
    open placements."""
    start, end = month_bounds(timezone.localdate())
    hours = (
        ActivityLog.objects.counting()
        .filter(expert=OuterRef("pk"), date__gte=start, date__lt=end)
        .order_by()
        .values("expert")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    experts = Expert.objects.annotate(
        hours_this_month=Coalesce(Subquery(hours), Value(Decimal("0")), output_field=DecimalField())
    ).prefetch_related(
        "preferred_roles",
        Prefetch(
            "placements",
            queryset=Placement.objects.open().select_related("network").order_by("network__name"),
            to_attr="open_placements",
        ),
    )
    if request.GET.get("status") != ExpertStatus.ERASED:
        experts = experts.exclude(status=ExpertStatus.ERASED)
    return experts


def _mark_over_load(experts: Iterable[Expert]) -> None:
    for expert in experts:
        expert.over_load = expert.hours_this_month > expert.availability_hours_per_month


def get_expert_for_coordinator(request: HttpRequest, pk: int, queryset=None) -> Expert:
    """The one access rule for an expert on these pages: a coordinator sees every expert."""
    if not request.user.is_coordinator:
        raise Http404
    return get_object_or_404(Expert.objects.all() if queryset is None else queryset, pk=pk)


@coordinator_required
def expert_list(request: HttpRequest) -> HttpResponse:
    """All experts, searchable, filterable and sortable, 25 per page."""
    registry = RegistryFilter(request.GET, queryset=_registry_queryset(request))
    page = Paginator(registry.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_over_load(page.object_list)
    context = {"filter": registry, "page": page}
    template = "participation/experts/list.html"
    if request.htmx:
        template = "participation/experts/_results.html"
    return render(request, template, context)


def _placement_history(placements: list[Placement]) -> dict[int, list]:
    """Per placement, the ladder-level and status changes from its audit trail, oldest first."""
    changes: dict[int, list] = defaultdict(list)
    rows = (
        Placement.history.filter(id__in=[p.pk for p in placements])
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    previous: dict[int, object] = {}
    for row in rows:
        before = previous.get(row.id)
        if before is None or (before.ladder_level, before.status) != (
            row.ladder_level,
            row.status,
        ):
            changes[row.id].append(
                {
                    "date": row.history_date,
                    "level": row.ladder_level,
                    "ladder_level": row.get_ladder_level_display(),
                    "status": row.get_status_display(),
                    "by": row.history_user,
                    "first": before is None,
                }
            )
        previous[row.id] = row
    return changes


def _needs_parental_consent(expert: Expert) -> bool:
    if not expert.needs_parental_consent:
        return False
    return not any(
        consent.in_force
        and consent.purpose == ConsentPurpose.PARTICIPATION
        and consent.given_by != ConsentGiver.SELF
        for consent in expert.consents.all()
    )


@coordinator_required
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one expert: profile, placements and their history, matches,
    trainings, consents, this month's load, private notes and the invitation."""
    expert = get_expert_for_coordinator(request, pk, expert_profile_queryset())
    placements = list(
        Placement.objects.filter(expert=expert)
        .select_related("network")
        .prefetch_related("roles")
        .order_by("-starts_on", "-pk")
    )
    history = _placement_history(placements)
    for placement in placements:
        placement.changes = history.get(placement.pk, [])
    matches = (
        Match.objects.filter(expert=expert)
        .select_related("request__network", "request__organisation")
        .order_by("-proposed_at")
    )
    start, end = month_bounds(timezone.localdate())
    hours = ActivityLog.objects.counting().filter(
        expert=expert, date__gte=start, date__lt=end
    ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    return render(
        request,
        "participation/experts/detail.html",
        {
            "expert": expert,
            "placements": placements,
            "matches": matches,
            "hours_this_month": hours,
            "over_load": hours > expert.availability_hours_per_month,
            "needs_parental_consent": _needs_parental_consent(expert),
            "invitation": latest_invitation(expert),
            "account_in_use": expert.user is not None
            and (expert.user.last_login is not None or expert.user.has_usable_password()),
        },
    )


def _save_form(request: HttpRequest, form: ExpertForm, expert: Expert | None) -> Expert | None:
    """Write through the service; its validation errors land on the form."""
    try:
        if expert is None:
            return expert_create(**form.service_kwargs())
        return expert_update(expert=expert, **form.service_kwargs())
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _after_save(request: HttpRequest, expert: Expert, text: str) -> HttpResponse:
    messages.success(request, text)
    if _needs_parental_consent(expert):
        messages.warning(
            request,
            _(
                "This expert is under 16. Record the consent of a parent or guardian "
                "before they take part."
            ),
        )
    return redirect("participation:expert_detail", pk=expert.pk)


@coordinator_required
def expert_create_view(request: HttpRequest) -> HttpResponse:
    """Register a new expert."""
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert = _save_form(request, form, None)
        if expert is not None:
            return _after_save(request, expert, _("The expert was added."))
    return render(request, "participation/experts/form.html", {"form": form, "expert": None})


@coordinator_required
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an expert's profile."""
    expert = get_expert_for_coordinator(
        request, pk, Expert.objects.prefetch_related("preferred_roles", "consents")
    )
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, expert)
        if saved is not None:
            return _after_save(request, saved, _("The changes were saved."))
    return render(request, "participation/experts/form.html", {"form": form, "expert": expert})


@require_POST
@coordinator_required
def expert_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the expert to their account by e-mail, or invite them again."""
    expert = get_expert_for_coordinator(request, pk)
    try:
        invitation = expert_invite(expert=expert, sent_by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The invitation was sent to %(email)s.") % {"email": invitation.email},
        )
    return redirect("participation:expert_detail", pk=expert.pk)


# Export. Special-category data (themes, private notes, benefit) and the date of birth and
# introduction are left out on purpose: an export leaves Samen and its access rules.
EXPORT_COLUMNS = [
    (gettext_lazy("First name"), lambda e: e.first_name),
    (gettext_lazy("Last name"), lambda e: e.last_name),
    (gettext_lazy("E-mail address"), lambda e: e.email),
    (gettext_lazy("Phone number"), lambda e: e.phone),
    (gettext_lazy("Place"), lambda e: e.city),
    (gettext_lazy("Kind"), lambda e: e.get_kind_display()),
    (gettext_lazy("Experience"), lambda e: e.get_expertise_display()),
    (gettext_lazy("Status"), lambda e: e.get_status_display()),
    (gettext_lazy("Available hours per month"), lambda e: e.availability_hours_per_month),
    (gettext_lazy("Hours this month"), lambda e: e.hours_this_month),
    (
        gettext_lazy("Networks"),
        lambda e: ", ".join(p.network.name for p in e.open_placements),
    ),
    (
        gettext_lazy("Preferred roles"),
        lambda e: ", ".join(r.get_role_display() for r in e.preferred_roles.all()),
    ),
    (gettext_lazy("Added on"), lambda e: timezone.localtime(e.created_at).date()),
]

# A cell that starts like a formula runs as one in a spreadsheet; phone numbers are harmless.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+?[\d\s()-]+$")


def _safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PHONE.match(value):
        return "'" + value
    return value


def _export_rows(experts: QuerySet[Expert]) -> Iterator[list]:
    for expert in experts.iterator(chunk_size=EXPORT_CHUNK):
        yield [_safe(getter(expert)) for _label, getter in EXPORT_COLUMNS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(experts: QuerySet[Expert], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        # The byte-order mark makes Excel read the file as UTF-8.
        yield "\ufeff" + writer.writerow([str(label) for label, _getter in EXPORT_COLUMNS])
        for row in _export_rows(experts):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_response(experts: QuerySet[Expert], filename: str) -> HttpResponse:
    # Write-only mode streams rows to a temporary file instead of holding every cell.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Experts"))
    sheet.append([str(label) for label, _getter in EXPORT_COLUMNS])
    for row in _export_rows(experts):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@coordinator_required
def expert_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV or XLSX, without special-category data."""
    registry = RegistryFilter(request.GET, queryset=_registry_queryset(request))
    filename = f"{slugify(_('experts'))}-{timezone.localdate():%Y-%m-%d}"
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(registry.qs, filename)
    return _csv_response(registry.qs, filename)
