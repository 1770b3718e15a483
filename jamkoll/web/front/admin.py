from __future__ import annotations

from django.contrib import admin

from .models import FindingCase, FindingComment, FindingEvent, Submission, SubmissionVersion


class SubmissionVersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    can_delete = False
    readonly_fields = ["intervention", "version"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "uploaded_by", "created", "status", "year", "problem_count"]
    list_filter = ["status", "organization"]
    readonly_fields = ["organization", "uploaded_by", "created", "decided", "status", "files", "interventions",
                       "report", "problems", "problem_count"]
    inlines = [SubmissionVersionInline]


class FindingCommentInline(admin.TabularInline):
    model = FindingComment
    extra = 0


class FindingEventInline(admin.TabularInline):
    model = FindingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "user", "kind", "from_status", "to_status", "details"]


@admin.register(FindingCase)
class FindingCaseAdmin(admin.ModelAdmin):
    list_display = ["finding_id", "year", "organization", "status", "action_due"]
    list_filter = ["status", "year", "organization", "dimension"]
    search_fields = ["finding_id", "category", "explanation"]
    raw_id_fields = ["previous"]
    inlines = [FindingCommentInline, FindingEventInline]
