from __future__ import annotations

from django.contrib import admin

from .models import (
    Action,
    ActionPlan,
    Activity,
    AssessmentTemplate,
    BoardCase,
    BoardMeeting,
    CharterSignature,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
    Event,
    Goal,
    LibraryItem,
    PlanRevision,
)


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "start_year", "end_year"]
    list_filter = ["owner"]
    inlines = [GoalInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "owner", "due", "status"]
    list_filter = ["status"]


@admin.register(PlanRevision)
class PlanRevisionAdmin(admin.ModelAdmin):
    """Adopted revisions are records: shown, never changed here."""

    list_display = ["plan", "number", "adopted_on"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


class QuestionInline(admin.TabularInline):
    model = ChecklistQuestion
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "key"]
    inlines = [QuestionInline]


admin.site.register([BoardMeeting, CharterSignature, ChecklistResponse, Activity, LibraryItem])


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events without their registrations: registrants' details are seen (and audited) in the app only."""

    list_display = ["title", "organization", "starts", "capacity", "purged"]
    list_filter = ["organization"]
    exclude = ["aggregates"]


@admin.register(BoardCase)
class BoardCaseAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "number", "has_assessment"]


admin.site.register([AssessmentTemplate])
