from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools register"

    def ready(self) -> None:
        # Registers the "gias", "ofsted" and "statistical_neighbours" importers.
        from . import neighbours  # noqa: F401
        from .importers import ofsted, register  # noqa: F401
        from .intelligence import importers as intelligence_importers  # noqa: F401
        from .intelligence import nightly  # noqa: F401
        from .register_cache import connect_signals

        connect_signals()
