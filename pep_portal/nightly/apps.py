from django.apps import AppConfig


class NightlyConfig(AppConfig):
    """The nightly run: the engine that computes every figure into the snapshot."""

    name = "pep_portal.nightly"
    label = "nightly"
    verbose_name = "Nightly run"
    default_auto_field = "django.db.models.BigAutoField"
