from django.apps import AppConfig


class ActionplanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Action plan"

    def ready(self) -> None:
        # Importers register themselves when their module is imported.
        from . import importers  # noqa: F401
