from django.apps import AppConfig


class PepPortalConfig(AppConfig):
    name = "pep_portal"
    verbose_name = "PEP Portal"

    def ready(self) -> None:
        # The nightly run's hooks (after `load_demo`, compute the snapshot once).
        from .nightly import hooks  # noqa: F401
