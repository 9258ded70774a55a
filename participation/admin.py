"""Admin for placements, requests, matches, attendance and fees.

Placements, fee rates, allowance limits, payments and activity logs keep their history
(who changed what, when): open "History" on a change page."""

from decimal import Decimal

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from experts.admin import RecordOnlyHistoryAdmin, expert_search_fields

from .models import (
    ActivityLog,
    ActivityStatus,
    AllowanceLimit,
    Attendance,
    DeclaredAllowance,
    FeeRate,
    Match,
    Payment,
    PaymentStatus,
    Placement,
    PlacementRole,
    Request,
)


class PlacementRoleInline(admin.TabularInline):
    model = PlacementRole
    extra = 0


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
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
    autocomplete_fields = ["expert", "network", "fee_rate", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [PlacementRoleInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Placement.clean() fills the circle from the ladder level when it is left empty.
        form.base_fields["circle"].required = False
        return form


@admin.register(PlacementRole)
class PlacementRoleAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "role"]
    list_filter = ["role", "placement__network"]
    list_select_related = ["placement__expert", "placement__network"]
    search_fields = [*expert_search_fields("placement__expert"), "placement__network__name"]
    autocomplete_fields = ["placement"]


class MatchInline(admin.TabularInline):
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
    autocomplete_fields = ["expert"]
    show_change_link = True


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["network", "organisation", "themes", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [MatchInline]

    @admin.display(description=_("asked by"))
    def requester(self, obj: Request) -> str:
        return str(obj.requester or "")


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["request", "expert", "fee_rate", "proposed_by"]
    readonly_fields = ["proposed_at"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "expert", "status", "hours", "companion"]
    list_filter = ["status", "meeting__network"]
    list_select_related = ["meeting", "expert"]
    search_fields = [*expert_search_fields("expert"), "meeting__title"]
    autocomplete_fields = ["meeting", "expert"]


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
class DeclaredAllowanceAdmin(admin.ModelAdmin):
    list_display = ["expert", "organisation_name", "year", "month", "amount"]
    list_filter = ["year"]
    list_select_related = ["expert"]
    search_fields = [*expert_search_fields("expert"), "organisation_name"]
    autocomplete_fields = ["expert"]


PAYMENT_FIELDS_FIXED_WHEN_PAID = [
    "expert",
    "payee_name",
    "payment_scheme",
    "year",
    "month",
    "allowance_amount",
    "fee_amount",
    "costs_amount",
    "status",
    "reference",
    "paid_at",
    "paid_by",
]


@admin.register(Payment)
class PaymentAdmin(RecordOnlyHistoryAdmin):
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
    autocomplete_fields = ["expert", "created_by", "paid_by"]
    # Counting every payment on each page load gets slow over seven years of records.
    show_full_result_count = False

    def get_readonly_fields(self, request, obj: Payment | None = None) -> list[str]:
        # A payment is made once: after it is paid, its amounts and payee are a record.
        if obj is not None and obj.status == PaymentStatus.PAID:
            return [*PAYMENT_FIELDS_FIXED_WHEN_PAID, "created_by", "created_at"]
        return ["created_by", "created_at"]

    def has_delete_permission(self, request, obj: Payment | None = None) -> bool:
        # Paid payments are kept seven years for the tax books.
        if obj is not None and obj.status == PaymentStatus.PAID:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj: Payment, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("total (€)"))
    def total(self, obj: Payment) -> Decimal:
        return obj.total


ACTIVITY_FIELDS_FIXED_WHEN_PAID = [
    "expert",
    "placement",
    "match",
    "meeting",
    "date",
    "kind",
    "hours",
    "sessions",
    "travel_costs",
    "status",
    "fee_rate",
    "amount",
    "approved_by",
    "approved_at",
    "payment",
]


@admin.register(ActivityLog)
class ActivityLogAdmin(RecordOnlyHistoryAdmin):
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
    autocomplete_fields = [
        "expert",
        "placement",
        "match",
        "meeting",
        "fee_rate",
        "payment",
        "logged_by",
        "approved_by",
    ]
    # There may be a million rows: do not count them all on every page.
    show_full_result_count = False

    def get_readonly_fields(self, request, obj: ActivityLog | None = None) -> list[str]:
        # Paid hours belong to a payment that was made; changing them would break the books.
        if obj is not None and obj.status == ActivityStatus.PAID:
            return [*ACTIVITY_FIELDS_FIXED_WHEN_PAID, "logged_by", "created_at"]
        return ["created_at"]
