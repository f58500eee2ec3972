from django.contrib import admin

from pep_portal.platform.admin_base import PortalModelAdmin, ReadOnlyPortalModelAdmin

from . import services
from .models import (
    Action,
    LeadRole,
    Milestone,
    MilestoneUpdate,
    Plan,
    Priority,
    SuccessMeasure,
)


class RecomputeRagMixin:
    """Dates, statuses or the amber window changed here: recompute RAG for today."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.milestone_rag_recompute()


@admin.register(LeadRole)
class LeadRoleAdmin(PortalModelAdmin):
    list_display = ["code", "title"]
    search_fields = ["code", "title"]
    filter_horizontal = ["holders"]


@admin.register(Plan)
class PlanAdmin(RecomputeRagMixin, PortalModelAdmin):
    list_display = ["title", "period", "published_on", "is_current", "amber_window_days"]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["number", "description", "who", "when", "due_date"]


@admin.register(Priority)
class PriorityAdmin(PortalModelAdmin):
    list_display = ["plan", "number", "title", "rag"]
    list_filter = ["plan"]
    readonly_fields = ["rag"]
    inlines = [ActionInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["order", "title", "lead", "due_date"]


@admin.register(Action)
class ActionAdmin(RecomputeRagMixin, PortalModelAdmin):
    list_display = ["number", "priority", "who", "when", "due_date", "rag"]
    list_filter = ["priority__plan"]
    search_fields = ["number", "description"]
    filter_horizontal = ["leads"]
    readonly_fields = ["rag"]
    inlines = [MilestoneInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.milestone_rag_recompute()


@admin.register(Milestone)
class MilestoneAdmin(RecomputeRagMixin, PortalModelAdmin):
    """Structure only: status, progress and overrides change through updates on the site."""

    list_display = ["__str__", "due_date", "status", "computed_rag", "rag_override"]
    list_filter = ["action__priority__plan", "computed_rag", "status"]
    search_fields = ["title", "action__number"]
    fields = ["action", "order", "title", "lead", "due_date"]


@admin.register(SuccessMeasure)
class SuccessMeasureAdmin(PortalModelAdmin):
    list_display = ["area", "description", "plan", "priority", "measure", "target_text"]
    list_filter = ["plan"]


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(ReadOnlyPortalModelAdmin):
    list_display = ["milestone", "author", "created_at", "status", "progress", "rag_after"]
    list_filter = ["status", "rag_after"]
