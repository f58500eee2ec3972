"""The LA outcomes page (``/outcomes/``) cached per published snapshot and results version
(issue 20), as the dashboards are cached per published nightly run.

The page's figures are the published snapshot's (``outcomes.figures``); around them it
reads published results (which LAs, years and pupil groups have any, each row's national
figure and source, the part-year figures), the catalogue's measures and the register's LA
names and neighbours. Its filters and tables (``{% cache %}`` in ``la_outcomes.html``) and
its LA list are kept under a key made of (``pep_portal.platform.versioned_cache``):

- the published run (id and switch time): a new run publishes, new keys;
- the results version (:func:`outcomes_version`): the latest import job to finish (any
  upload), the latest result, result revision (every stored result a file changed) and
  part-year result, the latest part-year update and statistical-neighbour row (bulk
  writes on any path, the command line's too), the register's version (LA names), and a
  generation bumped when a measure, result, part-year result or neighbour is saved or
  deleted one at a time;
- the page's query string, and the viewer's scope (``selectors.la_outcomes_scope``).

Entries live ``DASHBOARD_PAGE_CACHE_SECONDS`` (the dashboards' setting: default an hour;
0 turns the cache off).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from pep_portal.imports.models import ImportJob
from pep_portal.nightly.models import CurrentSnapshot
from pep_portal.platform import versioned_cache
from schools.models import StatisticalNeighbour
from schools.register_cache import register_stamps_sql, register_version

from .models import Measure, PeriodResult, Result, ResultRevision


def timeout() -> int:
    return settings.DASHBOARD_PAGE_CACHE_SECONDS


CACHE = versioned_cache.VersionedCache("outcomes", seconds=timeout)
GENERATION = CACHE.generation


def connect_signals() -> None:
    GENERATION.connect((Measure, Result, PeriodResult, StatisticalNeighbour))


def outcomes_version() -> tuple:
    """The published run, the results' and the register's versions: one query (index probes
    but for the few part-year rows) and two cache reads."""
    tables = {
        "snapshot": CurrentSnapshot._meta.db_table,
        "job": ImportJob._meta.db_table,
        "result": Result._meta.db_table,
        "revision": ResultRevision._meta.db_table,
        "period": PeriodResult._meta.db_table,
        "neighbour": StatisticalNeighbour._meta.db_table,
    }
    register_sql, params = register_stamps_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT run_id FROM {snapshot} WHERE singleton = 1),"  # noqa: S608
            " (SELECT switched_at FROM {snapshot} WHERE singleton = 1),"
            " (SELECT MAX(finished_at) FROM {job}), (SELECT MAX(id) FROM {result}),"
            " (SELECT MAX(id) FROM {revision}), (SELECT MAX(id) FROM {period}),"
            " (SELECT MAX(updated_at) FROM {period}), (SELECT MAX(id) FROM {neighbour}), ".format(
                **tables
            )
            + register_sql,
            params,
        )
        row = cursor.fetchone()
    return (
        tuple(str(value) for value in row[:8]),
        register_version(row[8:]),
        GENERATION.value(),
    )


# The cache key of one read or rendered fragment, and a read from the cache, for this
# version, viewer scope and parameters.
key = CACHE.key
cached = CACHE.cached
