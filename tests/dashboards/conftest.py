"""Dashboard fixtures: the hand-worked dataset of tests/dashboards/data.py, computed by the
real nightly run, with the shared role fixtures' schools in it."""

import pytest

from . import data


@pytest.fixture
def snapshot(db, school, other_school, django_capture_on_commit_callbacks):
    built = data.build(schools=[school, other_school])
    built["run"] = data.run_nightly(django_capture_on_commit_callbacks)
    return built
