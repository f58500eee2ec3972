from django.contrib import admin

from pep_portal.platform.admin_base import PortalModelAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(PortalModelAdmin):
    list_display = ("name", "user", "created", "expiry", "last_used_at")
    search_fields = ("name", "user__email")
    fields = ("name", "user", "created", "expiry", "last_used_at")
    readonly_fields = ("name", "user", "created", "expiry", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are made by their owner, on the profile page
