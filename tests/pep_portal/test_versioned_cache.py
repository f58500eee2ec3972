"""versioned_cache.rows_changed (issue 20): a bulk write bumps every generation connected to a
model it names (whichever app connected it), each once, and no other."""

import pytest

from outcomes.la_outcomes_cache import GENERATION as OUTCOMES
from outcomes.models import PeriodResult
from partnership.dashboards.page_cache import GENERATION as DASHBOARDS
from pep_portal.imports.models import ImportJob
from pep_portal.platform.versioned_cache import rows_changed
from schools.models import School, Trust
from schools.register_cache import GENERATION as REGISTER

pytestmark = pytest.mark.django_db


def generations() -> tuple[int, int, int]:
    return REGISTER.value(), OUTCOMES.value(), DASHBOARDS.value()


def test_rows_changed_bumps_each_generation_watching_a_model_once():
    start = generations()

    rows_changed(School, Trust)  # both watched by the register's and the dashboards'

    assert generations() == (start[0] + 1, start[1], start[2] + 1)


def test_rows_changed_leaves_other_generations_alone():
    start = generations()

    rows_changed(PeriodResult)  # the outcomes page's alone
    rows_changed(ImportJob)  # no cached page's generation (its pages read the stamp)

    assert generations() == (start[0], start[1] + 1, start[2])
