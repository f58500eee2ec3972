from django.contrib import admin

from pep_portal.platform.admin_base import PortalModelAdmin

from . import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(models.Board)
class BoardAdmin(PortalModelAdmin):
    list_display = ["name", "kind", "parent", "meeting_frequency", "quorum_percent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(models.Person)
class PersonAdmin(PortalModelAdmin):
    list_display = ["name", "organisation", "user"]
    search_fields = ["name", "organisation", "email"]
    autocomplete_fields = ["user"]


@admin.register(models.Meeting)
class MeetingAdmin(PortalModelAdmin):
    list_display = ["board", "starts_at", "location", "status", "minutes_status"]
    list_filter = ["board", "status"]


for model in (
    models.Partnership,
    models.Interest,
    models.SystemLeader,
    models.Deployment,
    models.CategorisationReview,
    models.CategorisationDecision,
    models.LetterTemplate,
    models.LetterOfConcern,
):
    admin.site.register(model, PortalModelAdmin)
