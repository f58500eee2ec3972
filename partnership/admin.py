from django.contrib import admin

from pep_portal.platform.admin_base import PortalModelAdmin

from .categorisation.models import (
    CategorisationDecision,
    CategorisationReview,
    LetterOfConcern,
    LetterTemplate,
)
from .governance.models import Board, Interest, Meeting, Membership, Partnership, Person
from .support.models import Deployment, SystemLeader


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Board)
class BoardAdmin(PortalModelAdmin):
    list_display = ["name", "kind", "parent", "meeting_frequency", "quorum_percent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(PortalModelAdmin):
    list_display = ["name", "organisation", "user"]
    search_fields = ["name", "organisation", "email"]
    autocomplete_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(PortalModelAdmin):
    list_display = ["board", "starts_at", "location", "status", "minutes_status"]
    list_filter = ["board", "status"]


for model in (
    Partnership,
    Interest,
    SystemLeader,
    Deployment,
    CategorisationReview,
    CategorisationDecision,
    LetterTemplate,
    LetterOfConcern,
):
    admin.site.register(model, PortalModelAdmin)
