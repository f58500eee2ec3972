from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """Shared plumbing: uploads, backups, audit, cache, static files, middleware."""

    name = "pep_portal.platform"
    label = "platform"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"
