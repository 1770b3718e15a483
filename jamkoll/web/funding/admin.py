from __future__ import annotations

from django.contrib import admin

from .models import Application, Assessment, Goal


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class AssessmentInline(admin.StackedInline):
    model = Assessment
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "intervention", "year", "created"]
    list_filter = ["status", "organization"]
    inlines = [GoalInline, AssessmentInline]
