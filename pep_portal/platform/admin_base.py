from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin


class PortalModelAdmin(ObjectPermissionsModelAdmin):
    """Admin that checks the named (rules) permissions, not Django's per-user DB grants."""

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("pep_portal.use_admin")

    def has_add_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")


class ReadOnlyPortalModelAdmin(PortalModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.site_header = "PEP Portal administration"
admin.site.site_title = "PEP Portal admin"
