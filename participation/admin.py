"""Admin for placements, requests, matches, attendance and fees.

Placements, requests, matches, attendance, hours and payments are workflow records: they are
shown here but made and changed only in the coordinator's door, whose services keep the
rules. Fee rates, allowance limits and allowances from elsewhere are reference data and stay
editable.

Placements, matches, fee rates, allowance limits, allowances from elsewhere, payments and
activity logs keep their history (who changed what, when): open "History" on a change page."""

from decimal import Decimal
from typing import NamedTuple

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from experts.admin import RecordOnlyHistoryAdmin, expert_search_fields

from .models import (
    ActivityLog,
    AllowanceLimit,
    Attendance,
    CalendarFeed,
    DataExport,
    DeclaredAllowance,
    ErasureRequest,
    ExpertMonth,
    ExportLog,
    FeeRate,
    Match,
    MonthTotal,
    NetworkComposition,
    Payment,
    Placement,
    PlacementRole,
    Request,
)


class CoordinatorLink(NamedTuple):
    url: str
    text: Promise


class ViewOnlyMixin:
    """Nothing can be added, changed or deleted, by anyone: a superuser too, whose permission
    checks Django otherwise skips. For a model admin and for an inline."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class WorkflowRecordAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """A workflow record (placement, request, match, attendance, hours, payment) can be looked
    up here, never written: the admin's forms would skip what the services check (parental
    consent, a rate valid on the day, both sides' confirmation, one open placement per expert
    and network). The list and the record's page say where the change is made instead."""

    change_list_template = "admin/participation/workflow_record/change_list.html"
    change_form_template = "admin/participation/workflow_record/change_form.html"
    # Where the record is made and changed instead, in B1 Dutch once translated.
    where_to_change: Promise

    def coordinator_link(self, obj: Model | None) -> CoordinatorLink | None:
        """The coordinator's page for the list (``obj`` is None) or for this record."""
        return None

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # Every field: the history admin builds its form for an old version from these, and
        # an input there would suggest that the record can be changed.
        opts = self.model._meta
        return [
            field.name for field in [*opts.fields, *opts.many_to_many] if not field.auto_created
        ]

    def _note_context(self, request: HttpRequest, obj: Model | None) -> dict:
        # Only a coordinator (an admin counts as one) can open the coordinator's pages.
        link = self.coordinator_link(obj) if request.user.is_coordinator else None
        return {"where_to_change": self.where_to_change, "coordinator_link": link}

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        context = {**self._note_context(request, None), **(extra_context or {})}
        return super().changelist_view(request, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self._note_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)


class WorkflowRecordHistoryAdmin(WorkflowRecordAdmin, RecordOnlyHistoryAdmin):
    """A workflow record with an audit trail: its history can be read, not reverted."""


class PlacementRoleInline(ViewOnlyMixin, admin.TabularInline):
    model = PlacementRole
    extra = 0


@admin.register(Placement)
class PlacementAdmin(WorkflowRecordHistoryAdmin):
    list_display = [
        "expert",
        "network",
        "status",
        "ladder_level",
        "circle",
        "payment_scheme",
        "hours_per_month",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["status", "network", "ladder_level", "circle", "payment_scheme"]
    list_select_related = ["expert", "network"]
    search_fields = [*expert_search_fields("expert"), "network__name"]
    date_hierarchy = "starts_on"
    inlines = [PlacementRoleInline]
    where_to_change = _(
        "Placements are made and changed on the coordinator's pages. There Samen checks the "
        "rules. Here you can only look at them."
    )

    def coordinator_link(self, obj: Placement | None) -> CoordinatorLink:
        if obj is None:
            return CoordinatorLink(reverse("coordinator:network_list"), _("Go to the networks"))
        return CoordinatorLink(
            reverse("coordinator:placement_edit", args=[obj.pk]), _("Change this placement")
        )


@admin.register(PlacementRole)
class PlacementRoleAdmin(WorkflowRecordHistoryAdmin):
    list_display = ["placement", "role"]
    list_filter = ["role", "placement__network"]
    list_select_related = ["placement__expert", "placement__network"]
    search_fields = [*expert_search_fields("placement__expert"), "placement__network__name"]
    where_to_change = _(
        "The roles in a placement are changed with the placement, on the coordinator's pages. "
        "Here you can only look at them."
    )

    def coordinator_link(self, obj: PlacementRole | None) -> CoordinatorLink:
        if obj is None:
            return CoordinatorLink(reverse("coordinator:network_list"), _("Go to the networks"))
        return CoordinatorLink(
            reverse("coordinator:placement_edit", args=[obj.placement_id]),
            _("Change this placement"),
        )


class MatchInline(ViewOnlyMixin, admin.TabularInline):
    model = Match
    extra = 0
    fields = [
        "expert",
        "status",
        "hours",
        "payment_scheme",
        "expert_confirmed_at",
        "requester_confirmed_at",
    ]
    show_change_link = True


@admin.register(Request)
class RequestAdmin(WorkflowRecordAdmin):
    list_display = [
        "title",
        "requester",
        "role",
        "status",
        "perspective",
        "expertise_wanted",
        "experts_wanted",
        "respond_by",
    ]
    list_filter = ["status", "role", "perspective", "expertise_wanted", "mode", "payment_scheme"]
    list_select_related = ["network", "organisation"]
    search_fields = ["title", "question", "contact_name", "organisation__name", "network__name"]
    date_hierarchy = "created_at"
    inlines = [MatchInline]
    where_to_change = _(
        "Requests for expert input are made and changed on the coordinator's pages. Here you "
        "can only look at them."
    )

    def coordinator_link(self, obj: Request | None) -> CoordinatorLink:
        if obj is None:
            return CoordinatorLink(reverse("coordinator:request_list"), _("Go to the requests"))
        return CoordinatorLink(
            reverse("coordinator:request_detail", args=[obj.pk]), _("Go to this request")
        )

    @admin.display(description=_("asked by"))
    def requester(self, obj: Request) -> str:
        return str(obj.requester or "")


@admin.register(Match)
class MatchAdmin(WorkflowRecordHistoryAdmin):
    list_display = [
        "expert",
        "request",
        "status",
        "hours",
        "payment_scheme",
        "proposed_at",
        "expert_confirmed_at",
        "requester_confirmed_at",
    ]
    list_filter = ["status", "payment_scheme"]
    list_select_related = ["expert", "request"]
    search_fields = [*expert_search_fields("expert"), "request__title"]
    date_hierarchy = "proposed_at"
    where_to_change = _(
        "Matches are proposed and answered on the coordinator's pages, at the request. There "
        "Samen checks that both sides said yes. Here you can only look at them."
    )

    def coordinator_link(self, obj: Match | None) -> CoordinatorLink:
        if obj is None:
            return CoordinatorLink(reverse("coordinator:match_list"), _("Go to the matches"))
        return CoordinatorLink(
            reverse("coordinator:request_detail", args=[obj.request_id]),
            _("Go to the request of this match"),
        )


@admin.register(Attendance)
class AttendanceAdmin(WorkflowRecordAdmin):
    list_display = ["meeting", "expert", "status", "hours", "companion"]
    list_filter = ["status", "meeting__network"]
    list_select_related = ["meeting", "expert"]
    search_fields = [*expert_search_fields("expert"), "meeting__title"]
    where_to_change = _(
        "Attendance can only be looked at here. Experts say on their own page whether they "
        "come. A page for leads to record who was there comes later."
    )


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Who has a calendar link, and since when. The key itself is not shown: it is the
    expert's, who makes a new one on their own page."""

    list_display = ["expert", "renewed_at"]
    list_select_related = ["expert"]
    fields = ["expert", "renewed_at"]
    readonly_fields = ["expert", "renewed_at"]
    search_fields = expert_search_fields("expert")


@admin.register(FeeRate)
class FeeRateAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "payment_scheme",
        "role",
        "unit",
        "amount",
        "only_for_kind",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["payment_scheme", "role", "unit", "only_for_kind"]
    search_fields = ["name"]


@admin.register(AllowanceLimit)
class AllowanceLimitAdmin(SimpleHistoryAdmin):
    list_display = ["year", "per_hour_21_and_over", "per_hour_under_21", "per_month", "per_year"]


@admin.register(DeclaredAllowance)
class DeclaredAllowanceAdmin(SimpleHistoryAdmin):
    list_display = ["expert", "organisation_name", "year", "month", "amount"]
    list_filter = ["year"]
    list_select_related = ["expert"]
    search_fields = [*expert_search_fields("expert"), "organisation_name"]
    autocomplete_fields = ["expert"]


@admin.register(Payment)
class PaymentAdmin(WorkflowRecordHistoryAdmin):
    list_display = [
        "reference",
        "payee_name",
        "expert",
        "year",
        "month",
        "payment_scheme",
        "total",
        "status",
        "paid_at",
    ]
    list_filter = ["status", "payment_scheme", "year"]
    list_select_related = ["expert"]
    search_fields = ["reference", "payee_name"]
    date_hierarchy = "created_at"
    # Counting every payment on each page load gets slow over seven years of records.
    show_full_result_count = False
    where_to_change = _(
        "Payments can only be looked at here. There is no page yet to make payments. That "
        "page comes later."
    )

    @admin.display(description=_("total (€)"))
    def total(self, obj: Payment) -> Decimal:
        return obj.total


@admin.register(ActivityLog)
class ActivityLogAdmin(WorkflowRecordHistoryAdmin):
    list_display = [
        "date",
        "expert",
        "kind",
        "hours",
        "sessions",
        "travel_costs",
        "amount",
        "status",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["expert"]
    search_fields = [*expert_search_fields("expert"), "description"]
    date_hierarchy = "date"
    # There may be a million rows: do not count them all on every page.
    show_full_result_count = False
    where_to_change = _(
        "Hours can only be looked at here. Experts log and change their own hours on their own "
        "pages. There is no page yet to approve hours. The coordinator's pages show the hours "
        "waiting for approval."
    )

    def coordinator_link(self, obj: ActivityLog | None) -> CoordinatorLink:
        return CoordinatorLink(
            reverse("coordinator:activity_waiting"), _("Go to the hours waiting for approval")
        )

    exclude = ["receipt"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # The receipt is private: it has no URL. Here it is only a link to the coordinator's
        # download, which checks who asks.
        fields = super().get_readonly_fields(request, obj)
        return ["receipt_download" if name == "receipt" else name for name in fields]

    @admin.display(description=_("receipt"))
    def receipt_download(self, obj: ActivityLog) -> str:
        if not obj.receipt:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("coordinator:activity_receipt", args=[obj.pk]),
            _("Download the receipt"),
        )


@admin.register(ExpertMonth)
class ExpertMonthAdmin(WorkflowRecordAdmin):
    list_display = ["month", "expert", "logs", "hours", "waiting_logs", "waiting_hours"]
    list_select_related = ["expert"]
    search_fields = expert_search_fields("expert")
    date_hierarchy = "month"
    show_full_result_count = False
    where_to_change = _(
        "These sums are counted from the hours that were logged. Samen keeps them up to date "
        "itself; they cannot be changed by hand."
    )


@admin.register(MonthTotal)
class MonthTotalAdmin(WorkflowRecordAdmin):
    list_display = ["month", "experts", "hours", "waiting_logs", "waiting_hours"]
    date_hierarchy = "month"
    where_to_change = ExpertMonthAdmin.where_to_change


@admin.register(NetworkComposition)
class NetworkCompositionAdmin(WorkflowRecordAdmin):
    list_display = ["network", "youth", "parents", "circle_core", "circle_second", "circle_third"]
    list_select_related = ["network"]
    search_fields = ["network__name"]
    where_to_change = _(
        "These counts come from the placements of the network. Samen keeps them up to date "
        "itself; they cannot be changed by hand."
    )


@admin.register(ExportLog)
class ExportLogAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Every export of personal data, as the export wrote it: read here, never changed or
    deleted."""

    list_display = ["exported_at", "user_email", "kind", "format", "rows", "query"]
    list_filter = ["kind", "format"]
    search_fields = ["user_email", "query"]
    date_hierarchy = "exported_at"
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


@admin.register(DataExport)
class DataExportAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Which expert downloaded their own data, and when. The file is not shown: it is the
    expert's, downloaded only on their own page, and deleted when its time is up."""

    list_display = ["expert", "state", "requested_at", "finished_at", "expires_at", "size"]
    list_filter = ["state"]
    list_select_related = ["expert"]
    fields = ["expert", "state", "requested_at", "finished_at", "expires_at", "size", "rows"]
    readonly_fields = fields
    search_fields = expert_search_fields("expert")
    show_full_result_count = False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(WorkflowRecordAdmin):
    list_display = ["expert", "state", "requested_at", "decided_at", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["expert", "decided_by"]
    exclude = ["farewell_to", "farewell_language"]
    search_fields = expert_search_fields("expert")
    where_to_change = _(
        "An ExpEx or parent asks for erasure on their own page; a coordinator answers on the "
        "page of requests to erase data, which erases everything in one go."
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [
            name for name in super().get_readonly_fields(request, obj) if name not in self.exclude
        ]

    def coordinator_link(self, obj: Model | None) -> CoordinatorLink | None:
        if obj is None:
            return CoordinatorLink(reverse("coordinator:erasure_list"), _("Requests to erase data"))
        return CoordinatorLink(
            reverse("coordinator:erasure_detail", args=[obj.pk]), _("This request")
        )
