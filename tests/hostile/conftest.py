"""Fixtures borrowed from the areas whose pages are attacked here."""

from tests.consultation.conftest import consultation  # noqa: F401
from tests.predictions.conftest import collection, last_year, measures, sign  # noqa: F401
