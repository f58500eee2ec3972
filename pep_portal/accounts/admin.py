from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from pep_portal.platform.admin_base import PortalModelAdmin

from .models import User


@admin.register(User)
class UserAdmin(PortalModelAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "school", "trust", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["school", "trust"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "job_title")}),
        ("Role", {"fields": ("role", "school", "trust")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined", "invited_at", "invited_by")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined", "invited_at", "invited_by"]
