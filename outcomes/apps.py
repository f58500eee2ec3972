from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from . import importers  # noqa: F401  (registers the importers)
        from .la_outcomes_cache import connect_signals
        from .predictions import importers as _predictions  # noqa: F401  (the upload job)
        from .predictions import nightly  # noqa: F401  (registers the predictions step)

        connect_signals()
