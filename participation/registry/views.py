"""The coordinator's expert registry: the list with filters, one expert's page, and the export.

The pages to add or change an expert, and to invite them, show only experts' data and live in
the experts app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from experts.access import experts_visible_to, get_expert_for_user
from experts.invitations.selectors import latest_invitation
from experts.models import ExpertStatus
from experts.parental.selectors import current_parental_request
from experts.profiles.selectors import expert_profile_queryset, times_by_day
from participation.access import matches_visible_to, placements_visible_to
from participation.hours.selectors import hours_in_month
from samen.accounts.permissions import coordinator_required
from samen.params import choice_param, page_of, text_param

from .exports import csv_response, xlsx_response
from .filters import RegistryFilter
from .models import ExportFormat, ExportKind
from .rows import expert_rows
from .selectors import (
    LIST_COLUMNS,
    add_open_networks,
    consent_warnings,
    mark_over_load,
    placement_history,
    registry_queryset,
)
from .services import export_log_record

PAGE_SIZE = 25


def _experts(request: HttpRequest, *, networks: bool = True):
    experts = registry_queryset(
        with_erased=text_param(request.GET, "status") == ExpertStatus.ERASED, networks=networks
    )
    return experts_visible_to(request.user, experts)


@coordinator_required
@require_GET
def expert_list(request: HttpRequest) -> HttpResponse:
    """All experts, searchable, filterable and sortable, 25 per page."""
    registry = RegistryFilter(request.GET, queryset=_experts(request, networks=False))
    page = page_of(request, registry.qs.only(*LIST_COLUMNS), PAGE_SIZE)
    page.object_list = list(page.object_list)
    add_open_networks(page.object_list)
    mark_over_load(page.object_list)
    context = {"filter": registry, "page": page, "rows": expert_rows(page.object_list)}
    template = "participation/registry/list.html"
    if request.htmx:
        template = "participation/registry/_results.html"
    return render(request, template, context)


@coordinator_required
@require_GET
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one expert: profile, placements and their history, matches,
    trainings, consents, this month's load, private notes and the invitation."""
    expert = get_expert_for_user(request, pk, queryset=expert_profile_queryset())
    placements = list(
        placements_visible_to(request.user)
        .filter(expert=expert)
        .select_related("network")
        .prefetch_related("roles")
        .order_by("-starts_on", "-pk")
    )
    history = placement_history(placements)
    for placement in placements:
        placement.changes = history.get(placement.pk, [])
    matches = (
        matches_visible_to(request.user)
        .filter(expert=expert)
        .select_related("request__network", "request__organisation")
        .order_by("-proposed_at")
    )
    hours = hours_in_month(expert, day=timezone.localdate())
    warnings = consent_warnings(expert, on=timezone.localdate())
    return render(
        request,
        "participation/registry/detail.html",
        {
            "expert": expert,
            "times": times_by_day(expert),
            "placements": placements,
            "matches": matches,
            "hours_this_month": hours,
            "over_load": hours > expert.availability_hours_per_month,
            "needs_parental_consent": warnings["missing_parental"],
            "consent_withdrawn_linked": warnings["withdrawn_linked"],
            "invitation": latest_invitation(expert),
            # Only under 16 (known from the date of birth): no query for anyone else.
            "parent_link": current_parental_request(expert)
            if expert.needs_parental_consent
            else None,
            "account_in_use": expert.user is not None
            and (expert.user.last_login is not None or expert.user.has_usable_password()),
        },
    )


@coordinator_required
@require_GET
def expert_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV or XLSX, without special-category data. Logged (who, when,
    which filter, how many rows, which format) before the file is sent."""
    registry = RegistryFilter(request.GET, queryset=_experts(request))
    filename = f"{slugify(_('experts'))}-{timezone.localdate():%Y-%m-%d}"
    experts = registry.qs.prefetch_related("preferred_roles")
    export_format = ExportFormat(
        choice_param(request.GET, "format", ExportFormat.values, default=ExportFormat.CSV)
    )
    export_log_record(
        user=request.user,
        kind=ExportKind.EXPERTS,
        query=request.GET.urlencode(),
        rows=experts.count(),
        export_format=export_format,
    )
    if export_format == ExportFormat.XLSX:
        return xlsx_response(experts, filename)
    return csv_response(experts, filename)
