from django.contrib import admin

from pep_portal.platform.admin_base import PortalModelAdmin

from .models import LocalAuthority, OfstedInspection, School, StatisticalNeighbour, Trust


class StatisticalNeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    fk_name = "la"
    extra = 0
    autocomplete_fields = ["neighbour"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(PortalModelAdmin):
    list_display = ["code", "name", "region", "in_partnership"]
    list_filter = ["in_partnership", "region"]
    search_fields = ["name", "code"]
    inlines = [StatisticalNeighbourInline]


@admin.register(Trust)
class TrustAdmin(PortalModelAdmin):
    list_display = ["name", "uid", "trust_type", "companies_house_number"]
    list_filter = ["trust_type"]
    search_fields = ["name", "uid"]


class OfstedInspectionInline(admin.TabularInline):
    model = OfstedInspection
    extra = 0


@admin.register(School)
class SchoolAdmin(PortalModelAdmin):
    list_display = ["urn", "name", "la", "phase", "category", "trust", "status"]
    list_filter = ["phase", "category", "status", "la"]
    search_fields = ["name", "urn", "laestab", "postcode"]
    autocomplete_fields = ["trust", "la"]
    inlines = [OfstedInspectionInline]


@admin.register(OfstedInspection)
class OfstedInspectionAdmin(PortalModelAdmin):
    list_display = ["school", "inspection_date", "framework", "overall_effectiveness"]
    list_filter = ["framework", "overall_effectiveness"]
    search_fields = ["school__name", "school__urn"]
    autocomplete_fields = ["school"]
