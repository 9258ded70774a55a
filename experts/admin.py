"""Admin for experts, organisations, recruitment, trainings and consents.

Special-category data (themes, benefit situation, private notes) stays out of lists and
search: it only shows on an expert's own change page, in a collapsed section."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AvailableTime,
    AwayPeriod,
    Consent,
    Expert,
    ExpertPreferredRole,
    ExpertSupportNeed,
    ImportMapping,
    Invitation,
    Organisation,
    ParentalConsentRequest,
    PendingImport,
    RecruitmentContact,
    Theme,
    Training,
    TrainingRecord,
    TrainingRequest,
)

EXPERT_SEARCH_FIELDS = ["first_name", "last_name", "email"]


def expert_search_fields(prefix: str) -> list[str]:
    """Search fields for a model with an ``Expert`` foreign key at ``prefix``."""
    return [f"{prefix}__{field}" for field in EXPERT_SEARCH_FIELDS]


class RecordOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History can be read, never reverted: a consent, payment or approved hour is a record
    of what happened. simple-history hides the revert button but still accepts the POST."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "contact_name", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name", "city", "contact_name", "contact_email"]


@admin.register(RecruitmentContact)
class RecruitmentContactAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "organisation",
        "channel",
        "youth_reached",
        "parents_reached",
        "follow_up_on",
    ]
    list_filter = ["channel", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "description"]
    # Marked done on the recruitment list, which records who and when.
    readonly_fields = ["follow_up_done_at", "follow_up_done_by"]
    date_hierarchy = "date"
    autocomplete_fields = ["organisation", "created_by"]


class ExpertPreferredRoleInline(admin.TabularInline):
    model = ExpertPreferredRole
    extra = 0


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0
    autocomplete_fields = ["training"]
    fields = ["training", "started_on", "completed_on", "hours"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "given_by", "given_by_name", "given_at", "withdrawn_at", "recorded_by"]
    # Who recorded a consent is who is logged in (ExpertAdmin.save_formset), never a choice.
    readonly_fields = ["recorded_by"]
    show_change_link = True


def _recorded_by(consent: Consent, user) -> None:
    """A consent added on the admin site is recorded by the logged-in user. A change keeps
    who recorded it; the consent's history says who changed it."""
    if consent.pk is None:
        consent.recorded_by = user


@admin.register(Expert)
class ExpertAdmin(RecordOnlyHistoryAdmin):
    list_display = ["full_name", "kind", "expertise", "status", "city", "email", "user"]
    list_filter = ["status", "kind", "expertise"]
    list_select_related = ["user"]
    search_fields = [*EXPERT_SEARCH_FIELDS, "city"]
    # Uses the expert_name_idx index.
    ordering = ["last_name", "first_name"]
    autocomplete_fields = ["user", "recruitment_source", "themes"]
    readonly_fields = ["created_at", "updated_at", "erased_at"]
    inlines = [ExpertPreferredRoleInline, TrainingRecordInline, ConsentInline]
    fieldsets = (
        (
            None,
            {"fields": ("user", "first_name", "last_name", "kind", "expertise", "status", "bio")},
        ),
        (
            _("Contact"),
            {
                "fields": (
                    "email",
                    "phone",
                    "city",
                    "contact_by_email",
                    "contact_by_call",
                    "contact_by_text",
                    "contact_by_chat",
                    "preferred_channel",
                )
            },
        ),
        (
            _("Availability and support"),
            {
                "fields": (
                    "availability_hours_per_month",
                    "availability_notes",
                    "meeting_mode",
                    "paused_until",
                    "goals",
                    "support_note",
                    "coach",
                    "coach_contact",
                    "recruitment_source",
                )
            },
        ),
        (
            _("What leads may see"),
            {
                "fields": (
                    "share_email_with_leads",
                    "share_phone_with_leads",
                )
            },
        ),
        (
            _("Private: special-category personal data"),
            {
                "classes": ("collapse",),
                "fields": ("date_of_birth", "themes", "benefit_situation", "private_notes"),
            },
        ),
        (_("Dates"), {"fields": ("created_at", "updated_at", "erased_at")}),
    )

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Expert) -> str:
        return obj.full_name

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is Consent:
            for consent_form in formset.forms:
                _recorded_by(consent_form.instance, request.user)
        super().save_formset(request, form, formset, change)


@admin.register(ExpertPreferredRole)
class ExpertPreferredRoleAdmin(admin.ModelAdmin):
    list_display = ["expert", "role"]
    list_filter = ["role"]
    list_select_related = ["expert"]
    search_fields = expert_search_fields("expert")
    autocomplete_fields = ["expert"]


@admin.register(ExpertSupportNeed)
class ExpertSupportNeedAdmin(admin.ModelAdmin):
    list_display = ["expert", "need"]
    list_filter = ["need"]
    list_select_related = ["expert"]
    search_fields = expert_search_fields("expert")
    autocomplete_fields = ["expert"]


@admin.register(AvailableTime)
class AvailableTimeAdmin(admin.ModelAdmin):
    list_display = ["expert", "weekday", "part"]
    list_filter = ["weekday", "part"]
    list_select_related = ["expert"]
    search_fields = expert_search_fields("expert")
    autocomplete_fields = ["expert"]


@admin.register(AwayPeriod)
class AwayPeriodAdmin(admin.ModelAdmin):
    list_display = ["expert", "starts_on", "ends_on"]
    list_select_related = ["expert"]
    search_fields = expert_search_fields("expert")
    autocomplete_fields = ["expert"]
    date_hierarchy = "starts_on"
    readonly_fields = ["created_at"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "provider", "hours", "qualifies_as_expertise"]
    list_filter = ["kind", "qualifies_as_expertise"]
    search_fields = ["name", "provider"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["expert", "training", "started_on", "completed_on", "hours"]
    list_filter = ["training__kind", "training"]
    list_select_related = ["expert", "training"]
    search_fields = [*expert_search_fields("expert"), "training__name"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["expert", "training"]


@admin.register(Consent)
class ConsentAdmin(RecordOnlyHistoryAdmin):
    list_display = [
        "expert",
        "purpose",
        "given_by",
        "given_by_name",
        "given_at",
        "withdrawn_at",
        "method",
        "in_force",
    ]
    list_filter = [
        "purpose",
        "given_by",
        "method",
        ("withdrawn_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["expert"]
    search_fields = [*expert_search_fields("expert"), "given_by_name"]
    date_hierarchy = "given_at"
    autocomplete_fields = ["expert"]
    # The scan is private: it has no URL, and is checked by its content when the coordinator's
    # door records it (experts.consents.services). Here it is only a link to that download.
    # Who recorded a consent is who is logged in (save_model), never a choice.
    # A parent's link that gave a consent is a record of what happened, never a choice.
    exclude = ["scan"]
    readonly_fields = ["recorded_by", "scan_download", "parental_request"]

    def save_model(self, request, obj: Consent, form, change) -> None:
        _recorded_by(obj, request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj: Consent) -> bool:
        return obj.in_force

    @admin.display(description=_("scan"))
    def scan_download(self, obj: Consent) -> str:
        if not obj.scan:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("coordinator:consent_scan", args=[obj.pk]),
            _("Download the scan"),
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the coordinator's door; here they can only be looked at."""

    list_display = [
        "expert",
        "email",
        "sent_at",
        "expires_at",
        "accepted_at",
        "withdrawn_at",
        "sent_by",
    ]
    list_filter = ["sent_at", "accepted_at", "withdrawn_at"]
    list_select_related = ["expert", "sent_by"]
    search_fields = expert_search_fields("expert") + ["email"]
    date_hierarchy = "sent_at"
    readonly_fields = [
        "expert",
        "email",
        "sent_at",
        "expires_at",
        "send_count",
        "emailed_at",
        "accepted_at",
        "sent_by",
        "withdrawn_at",
        "withdrawn_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ParentalConsentRequest)
class ParentalConsentRequestAdmin(admin.ModelAdmin):
    """A parent's consent link: asked in the expert's door (or again by the coordinator),
    answered through the link. Here it can only be looked at; the link's token is never shown
    (only its hash is stored)."""

    list_display = [
        "expert",
        "parent_name",
        "parent_email",
        "created_at",
        "expires_at",
        "answered_at",
        "replaced_at",
    ]
    list_filter = ["relation", "created_at", ("answered_at", admin.EmptyFieldListFilter)]
    list_select_related = ["expert"]
    search_fields = [*expert_search_fields("expert"), "parent_name", "parent_email"]
    date_hierarchy = "created_at"
    exclude = ["token_hash"]
    readonly_fields = [
        "expert",
        "parent_name",
        "parent_email",
        "relation",
        "created_at",
        "expires_at",
        "emailed_at",
        "requested_by",
        "replaced_at",
        "answered_at",
        "answered_by_name",
        "declined_purposes",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PendingImport)
class PendingImportAdmin(admin.ModelAdmin):
    """A file read by a coordinator's import and not yet confirmed or cancelled (an hour at
    most). Only who, which file and when are shown, never its rows: they are the
    coordinator's alone. It can be deleted here."""

    list_display = ["filename", "owner", "created_at"]
    list_select_related = ["owner"]
    fields = ["owner", "filename", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    """Made by the coordinator's import, when they say what a file's columns mean. Here it
    can be looked at, and deleted so that the next such file is asked about again."""

    list_display = ["__str__", "updated_by", "updated_at"]
    list_select_related = ["updated_by"]
    readonly_fields = ["headers", "columns", "values", "updated_by", "updated_at"]
    exclude = ["headers_key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingRequest)
class TrainingRequestAdmin(admin.ModelAdmin):
    """A training an expert asked for on their own page. The coordinator marks it handled on
    their list (``coordinator:training_request_list``); here it can be looked up, or deleted."""

    list_display = ["expert", "__str__", "status", "created_at", "handled_at"]
    list_filter = ["status", "training"]
    list_select_related = ["expert", "training"]
    search_fields = [*expert_search_fields("expert"), "training__name", "wish"]
    date_hierarchy = "created_at"
    fields = ["expert", "training", "wish", "note", "status", "created_at", "handled_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
