from django.contrib import admin

from pep_portal.platform.admin_base import PortalModelAdmin, ReadOnlyPortalModelAdmin

from .models import (
    MEASURE_DISPLAY_FIELDS,
    IndicatorMapping,
    Measure,
    Result,
    ResultRevision,
    Target,
)
from .services import COMPARED_FIELDS


class IndicatorMappingInline(admin.TabularInline):
    model = IndicatorMapping
    extra = 0
    fields = ["source", "indicator", "filters", "pupil_group", "field", "is_builtin"]
    readonly_fields = ["is_builtin"]


@admin.register(Measure)
class MeasureAdmin(PortalModelAdmin):
    """Officers edit the catalogue: names, precision, groups and the RAG settings."""

    list_display = [
        "code",
        "name",
        "key_stage",
        "unit",
        "polarity",
        "decimal_places",
        "rag_tolerance",
        "rag_bottom_quartile_red",
        "is_headline",
        "is_active",
    ]
    list_editable = ["rag_tolerance", "rag_bottom_quartile_red", "is_headline"]
    list_filter = ["key_stage", "unit", "polarity", "is_headline", "is_active"]
    search_fields = ["code", "name", "description"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "key_stage", "description"]}),
        (
            "How it is shown",
            {"fields": [*MEASURE_DISPLAY_FIELDS, "is_headline", "sort_order", "is_active"]},
        ),
        ("RAG", {"fields": ["rag_tolerance", "rag_bottom_quartile_red"]}),
    ]
    inlines = [IndicatorMappingInline]


class ResultRevisionInline(admin.TabularInline):
    model = ResultRevision
    extra = 0
    can_delete = False
    readonly_fields = [
        *COMPARED_FIELDS,
        "source",
        "replaced_by_source",
        "replaced_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Result)
class ResultAdmin(PortalModelAdmin):
    list_display = [
        "measure",
        "area_type",
        "school",
        "la",
        "region",
        "academic_year",
        "pupil_group",
        "value",
        "suppression",
        "status",
        "updated_at",
    ]
    list_filter = ["area_type", "academic_year", "status", "pupil_group", "measure__key_stage"]
    search_fields = ["measure__code", "school__name", "school__urn", "la__name", "region"]
    raw_id_fields = ["school", "la"]
    list_select_related = ["measure", "school", "la"]
    readonly_fields = ["source", "created_at", "updated_at"]
    inlines = [ResultRevisionInline]


@admin.register(ResultRevision)
class ResultRevisionAdmin(ReadOnlyPortalModelAdmin):
    list_display = ["result", "value", "suppression", "status", "source", "replaced_at"]
    raw_id_fields = ["result"]


@admin.register(Target)
class TargetAdmin(PortalModelAdmin):
    list_display = [
        "measure",
        "pupil_group",
        "area_type",
        "la",
        "school",
        "kind",
        "value",
        "due_date",
    ]
    list_filter = ["kind", "area_type"]
    raw_id_fields = ["school"]


@admin.register(IndicatorMapping)
class IndicatorMappingAdmin(PortalModelAdmin):
    list_display = [
        "source",
        "indicator",
        "filters_key",
        "measure",
        "pupil_group",
        "field",
        "is_builtin",
    ]
    list_filter = ["source", "is_builtin", "field"]
    search_fields = ["indicator", "measure__code"]
    readonly_fields = ["is_builtin", "created_by", "created_at"]
