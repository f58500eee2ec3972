from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import jobs: uploads queued for an importer, run all-or-nothing, with their outcome."""

    name = "pep_portal.imports"
    label = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
