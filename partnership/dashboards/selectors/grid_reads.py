"""The schools grid's hot reads, as SQL written once (issue 20).

Each is read on every uncached grid, trust page and export, always in the same shape: the
ORM's query building and compiling cost more CPU than running them (~0.4-0.8 ms each at
England scale, with the model instances or value rows). The SQL is what the ORM wrote for
the same querysets (same tables, conditions and order: the same rows), run through
``pep_portal.platform.sql_rows`` (Django's cursor, so counted and logged like any query;
dates and JSON converted as the ORM converts them) with ``%s`` parameters (PostgreSQL and
SQLite). An empty list of schools runs no query, as an empty ``__in`` does not.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import NamedTuple

from django.db import router
from django.db.models import Field, Model

from outcomes.models import (
    GRID_CELL_FIELDS,
    AreaType,
    DashboardFigure,
    Measure,
    PupilGroup,
    Result,
    ResultStatus,
    SchoolFigure,
    SchoolSummary,
)
from partnership.categorisation.models import CategorisationDecision
from partnership.categorisation.selectors import LATEST_DECISION_SQL
from pep_portal.platform import sql_rows
from schools.models import School, Trust


def _marks(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def _rows(
    model: type[Model], sql: str, params: Sequence, fields: Sequence[Field | None] = ()
) -> list[tuple]:
    """``sql``'s rows, column i converted as the ORM converts ``fields[i]`` (None or past
    the end: as the database gives it)."""
    return sql_rows.rows(model, sql, list(params), list(fields))


def _field(model: type[Model], name: str) -> Field:
    return model._meta.get_field(name)  # type: ignore[return-value]


@functools.cache
def _figure_columns() -> str:
    """The school and the fields SchoolFigure's schoolfig_grid_cells index includes, in that
    order (GRID_CELL_FIELDS): the read below is answered from the index alone."""
    columns = ["school_id", *(_field(SchoolFigure, name).column for name in GRID_CELL_FIELDS)]
    return ", ".join(f'"pep_portal_schoolfigure"."{c}"' for c in columns)


def school_figure_rows(
    *, run_id: int, school_ids: Sequence[int], measure_ids: Sequence[int], groups: Sequence[str]
) -> list[tuple]:
    """The run's school figures as rows of the school id and ``GRID_CELL_FIELDS`` (the
    measure's id for the measure), 1 query."""
    if not school_ids or not measure_ids or not groups:
        return []
    columns = _figure_columns()
    return _rows(
        SchoolFigure,
        f'SELECT {columns} FROM "pep_portal_schoolfigure"'
        f' WHERE ("pep_portal_schoolfigure"."group" IN ({_marks(groups)})'
        f' AND "pep_portal_schoolfigure"."measure_id" IN ({_marks(measure_ids)})'
        ' AND "pep_portal_schoolfigure"."run_id" = %s'
        f' AND "pep_portal_schoolfigure"."school_id" IN ({_marks(school_ids)}))',
        [*groups, *measure_ids, run_id, *school_ids],
    )


class Summary(NamedTuple):
    """What the grid shows of a school's SchoolSummary."""

    rag: str
    rag_reason: str
    ofsted_grade: int | None
    ofsted_date: dt.date | None
    concern: str
    concern_reasons: list


class GridSchool(NamedTuple):
    """A school of the grid with its trust (``school.trust``), its summary in the run (None:
    not in the snapshot) and its latest 3Ms decision as (category, decided on)."""

    school: School
    summary: Summary | None
    decision: tuple[str, dt.date] | None


# Open schools with their trust (select_related("trust")), their summary in the run and
# their latest 3Ms decision (as categorisation.selectors.latest_categorisations finds it), by
# name and URN: the partnership LAs' ({scope} on an INNER JOIN of the LAs) or one trust's.
_SUMMARY_COLUMNS = (
    "rag",
    "rag_reason",
    "ofsted_grade",
    "ofsted_date",
    "concern",
    "concern_reasons",
)
_SCHOOLS_SQL = (
    f'SELECT {sql_rows.columns(School, "s")}, {sql_rows.columns(Trust, "t")}, m."id", '
    + ", ".join(f'm."{c}"' for c in _SUMMARY_COLUMNS)
    + ', d."category", d."decided_on"'
    ' FROM "schools_school" s{join}'
    ' LEFT OUTER JOIN "schools_trust" t ON (s."trust_id" = t."id")'
    ' LEFT OUTER JOIN "pep_portal_schoolsummary" m ON (m."run_id" = %s AND m."school_id" = s."id")'
    ' LEFT OUTER JOIN "partnership_categorisationdecision" d ON (d."id" = '
    + LATEST_DECISION_SQL.replace("{school}", 's."id"')
    + ') WHERE (s."status" IN ({statuses}) AND {scope}) ORDER BY s."name" ASC, s."urn" ASC'
)
_PARTNERSHIP_JOIN = ' INNER JOIN "schools_localauthority" l ON (s."la_id" = l."id")'


def grid_schools(*, run_id: int, statuses: Sequence[str], trust_id: int | None) -> list[GridSchool]:
    """The schools of those statuses, by name and URN, each with its trust, summary and
    latest decision: the trust's (``trust_id``), else those in a partnership LA (1 query)."""
    if trust_id is None:
        sql = _SCHOOLS_SQL.format(
            join=_PARTNERSHIP_JOIN, statuses=_marks(statuses), scope='l."in_partnership"'
        )
        params = [run_id, *statuses]
    else:
        sql = _SCHOOLS_SQL.format(join="", statuses=_marks(statuses), scope='s."trust_id" = %s')
        params = [run_id, *statuses, trust_id]
    parts = (School, Trust)
    fields = [
        *sql_rows.model_fields(School),
        *sql_rows.model_fields(Trust),
        None,
        *(_field(SchoolSummary, c) for c in _SUMMARY_COLUMNS),
        None,
        _field(CategorisationDecision, "decided_on"),
    ]
    width = len(fields) - len(_SUMMARY_COLUMNS) - 3
    db = router.db_for_read(School)
    trust_field = School._meta.get_field("trust")
    found = []
    for row in _rows(School, sql, params, fields):
        school, trust = sql_rows.instances(db, row, parts)
        trust_field.set_cached_value(school, trust)
        summary_id, *summary = row[width : width + 1 + len(_SUMMARY_COLUMNS)]
        category, decided_on = row[-2:]
        found.append(
            GridSchool(
                school,
                None if summary_id is None else Summary(*summary),
                None if category is None else (category, decided_on),
            )
        )
    return found


def other_pupils_nationally(*, measure_ids: Sequence[int]) -> dict[tuple[int, int], float | None]:
    """England's non-disadvantaged pupils' value by (measure, year); of several rows, the
    last by status and id, as the ORM's dict of the same ordered rows kept (1 query)."""
    if not measure_ids:
        return {}
    rows = _rows(
        Result,
        'SELECT "measure_id", "academic_year", "value" FROM "outcomes_result"'
        ' WHERE ("area_type" = %s'
        f' AND "measure_id" IN ({_marks(measure_ids)}) AND "pupil_group" = %s)'
        ' ORDER BY 1 ASC, 2 ASC, "status" ASC, "id" ASC',
        [str(AreaType.NATIONAL), *measure_ids, str(PupilGroup.NON_DISADVANTAGED)],
    )
    return {(measure, year): value for measure, year, value in rows}


def provisional_years(*, la_id: int) -> list[int]:
    """The years of the LA's provisional published results, oldest first (1 query)."""
    rows = _rows(
        Result,
        'SELECT DISTINCT "academic_year" FROM "outcomes_result"'
        ' WHERE ("area_type" = %s AND "la_id" = %s AND "status" = %s)',
        [str(AreaType.LA), la_id, str(ResultStatus.PROVISIONAL)],
    )
    return sorted(year for (year,) in rows)


def run_block(*, run_id: int, key: str):
    """The data of the run's block ``key`` for no LA, the first by id; None without one
    (DashboardFigure.values_list("data").first(), 1 query)."""
    rows = _rows(
        DashboardFigure,
        'SELECT "data" FROM "pep_portal_dashboardfigure"'
        ' WHERE ("key" = %s AND "la_id" IS NULL AND "run_id" = %s) ORDER BY "id" ASC LIMIT 1',
        [key, run_id],
        [_field(DashboardFigure, "data")],
    )
    return rows[0][0] if rows else None


def trusts_with_open_schools(*, statuses: Sequence[str]) -> list[tuple[int, str]]:
    """(id, name) of each trust with a school of those statuses in a partnership LA, by
    name (1 query)."""
    return [
        (pk, name)
        for pk, name in _rows(
            Trust,
            'SELECT DISTINCT "schools_trust"."id", "schools_trust"."name" FROM "schools_trust"'
            ' INNER JOIN "schools_school" ON ("schools_trust"."id" = "schools_school"."trust_id")'
            ' INNER JOIN "schools_localauthority"'
            ' ON ("schools_school"."la_id" = "schools_localauthority"."id")'
            ' WHERE ("schools_localauthority"."in_partnership"'
            f' AND "schools_school"."status" IN ({_marks(statuses)})) ORDER BY 2 ASC',
            list(statuses),
        )
    ]


def active_headline_measures() -> list[Measure]:
    """Active headline measures in catalogue order (Meta.ordering), as model instances
    (a raw queryset: Django's converters, no query building; 1 query)."""
    columns = ", ".join(f'"{f.column}"' for f in Measure._meta.concrete_fields)
    return list(
        Measure.objects.raw(
            f'SELECT {columns} FROM "outcomes_measure" WHERE ("is_active" AND "is_headline")'
            ' ORDER BY "sort_order" ASC, "code" ASC'
        )
    )
