"""Admin for tips & tops rounds and questionnaires.

Answers to a questionnaire come from parents through a link; the admin shows them but
does not change them."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import (
    Answer,
    EvaluationRound,
    Feedback,
    Question,
    Questionnaire,
    QuestionnaireResponse,
)


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "status", "opens_on", "closes_on"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    autocomplete_fields = ["networks"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["short_text", "kind", "respondent_group", "round", "network", "created_at"]
    list_filter = ["kind", "respondent_group", "round", "network"]
    list_select_related = ["round", "network"]
    search_fields = ["text"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["round", "network", "author"]
    readonly_fields = ["created_at"]

    @admin.display(description=_("text"))
    def short_text(self, obj: Feedback) -> str:
        return Truncator(obj.text).chars(80)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "choices", "required"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "round", "is_open", "response_count", "created_at"]
    list_filter = ["is_open", "network"]
    list_select_related = ["network", "round"]
    search_fields = ["title"]
    autocomplete_fields = ["network", "round"]
    readonly_fields = ["token", "created_at"]
    inlines = [QuestionInline]

    def get_queryset(self, request) -> QuerySet[Questionnaire]:
        return super().get_queryset(request).annotate(response_count=Count("responses"))

    @admin.display(description=_("responses"), ordering="response_count")
    def response_count(self, obj: Questionnaire) -> int:
        return obj.response_count


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "questionnaire", "order", "kind", "required"]
    list_filter = ["kind", "required"]
    list_select_related = ["questionnaire"]
    search_fields = ["text", "questionnaire__title"]
    autocomplete_fields = ["questionnaire"]


class ReadOnlyAdminMixin:
    """Anonymous answers are what a parent said: view and delete, never add or change."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "text", "scale"]
    readonly_fields = fields


@admin.register(QuestionnaireResponse)
class QuestionnaireResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "questionnaire", "submitted_at"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    search_fields = ["questionnaire__title", "answers__text"]
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["short_text", "scale", "question", "response"]
    list_filter = ["question__questionnaire"]
    list_select_related = ["question", "response__questionnaire"]
    search_fields = ["text", "question__text"]

    @admin.display(description=_("answer"))
    def short_text(self, obj: Answer) -> str:
        return Truncator(obj.text).chars(80)
