"""Serve plotly.js from the portal itself (no CDN): the copy bundled in the plotly package.

``PlotlyFinder`` exposes ``plotly/package_data/plotly.min.js`` from the installed Python
plotly package as the static file ``vendor/plotly.min.js``. Being a staticfiles finder, it
works everywhere static files come from: ``collectstatic`` copies it into STATIC_ROOT (where
WhiteNoise serves it in production), and WhiteNoise with finders (DEBUG / runserver), the
test live server and ``findstatic`` find it directly. The JavaScript therefore always matches
the plotly version pinned in requirements/runtime.txt. Templates load it with
``{% include "includes/plotly.html" %}``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"
FILENAME = "plotly.min.js"
STATIC_PATH = f"{PREFIX}/{FILENAME}"


def plotly_package_data() -> Path | None:
    """The installed plotly package's package_data folder, without importing plotly."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


class PlotlyFinder(BaseFinder):
    """Finds ``vendor/plotly.min.js`` in the installed plotly package."""

    def __init__(self, *args, **kwargs):
        folder = plotly_package_data()
        self.source = folder / FILENAME if folder else None
        self.storage = FileSystemStorage(location=str(folder) if folder else "")
        # collectstatic and WhiteNoise put files under the storage's prefix.
        self.storage.prefix = PREFIX

    def _available(self) -> bool:
        return self.source is not None and self.source.is_file()

    def check(self, **kwargs):
        if self._available():
            return []
        return [
            Error(
                f"plotly.js was not found in the installed plotly package ({self.source}).",
                hint="Install the plotly package from requirements/runtime.txt.",
                id="pep_portal.E001",
            )
        ]

    def find(self, path, find_all=False, **kwargs):
        find_all = kwargs.pop("all", find_all)  # Django < 6.1 still passes `all`
        if path != STATIC_PATH or not self._available():
            return [] if find_all else None
        searched_locations.append(str(self.source.parent))
        match = str(self.source)
        return [match] if find_all else match

    def list(self, ignore_patterns):
        if self._available() and not utils.matches_patterns(FILENAME, ignore_patterns or []):
            yield FILENAME, self.storage
