from __future__ import annotations

from django.contrib import admin

from .models import (
    KPI,
    Geometry,
    IndicatorValue,
    MemberIndicator,
    PublishedFigure,
    Region,
    RegionalStrategy,
    StrategyMember,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["county_code", "slug", "organization", "published"]


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
    list_display = ["kpi_id", "title", "goal", "is_divided_by_gender", "auspice", "operating_area", "source"]
    list_filter = ["goal", "is_divided_by_gender", "source", "auspice"]
    list_editable = ["goal"]
    search_fields = ["kpi_id", "title"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["kpi", "area_id", "period", "gender", "value", "count"]
    list_filter = ["period", "gender"]
    search_fields = ["kpi__kpi_id", "area_id"]


@admin.register(Geometry)
class GeometryAdmin(admin.ModelAdmin):
    list_display = ["region", "file_name", "uploaded", "uploaded_by"]
    readonly_fields = ["geojson", "sha256", "missing", "uploaded", "uploaded_by"]


class StrategyMemberInline(admin.TabularInline):
    model = StrategyMember
    extra = 0


@admin.register(RegionalStrategy)
class RegionalStrategyAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "adopted", "published"]
    inlines = [StrategyMemberInline]


@admin.register(MemberIndicator)
class MemberIndicatorAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "year", "women", "men"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(admin.ModelAdmin):
    list_display = ["organization", "region", "year", "label", "women", "men", "total"]
    list_filter = ["year", "region"]
