from django.contrib import admin

from .models import BreakoutGroup, LearningNetwork, Meeting, SmallProject


@admin.register(LearningNetwork)
class LearningNetworkAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "theme",
        "target_youth",
        "target_parents",
        "max_group_size",
        "is_active",
        "started_on",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "theme"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["leads", "member_organisations"]


class BreakoutGroupInline(admin.TabularInline):
    model = BreakoutGroup
    extra = 0
    fields = ["name", "topic", "size", "experts"]
    autocomplete_fields = ["experts"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "network",
        "kind",
        "starts_at",
        "status",
        "expected_participants",
        "is_online",
    ]
    list_filter = ["kind", "status", "is_online", "network"]
    list_select_related = ["network"]
    search_fields = ["title", "network__name", "location"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["network", "prepares"]
    inlines = [BreakoutGroupInline]


@admin.register(BreakoutGroup)
class BreakoutGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "meeting", "topic", "size"]
    list_filter = ["meeting__network"]
    list_select_related = ["meeting"]
    search_fields = ["name", "topic", "meeting__title"]
    autocomplete_fields = ["meeting", "experts"]


@admin.register(SmallProject)
class SmallProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "status", "starts_on", "ends_on"]
    list_filter = ["status", "network"]
    list_select_related = ["network"]
    search_fields = ["title", "description", "network__name"]
    autocomplete_fields = ["network", "experts"]
