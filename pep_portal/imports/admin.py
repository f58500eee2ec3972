from django.contrib import admin

from pep_portal.platform.admin_base import ReadOnlyPortalModelAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyPortalModelAdmin):
    list_display = ["original_name", "kind", "status", "rows_read", "created_by", "created_at"]
    list_filter = ["kind", "status"]
