"""The published figures: the one place every page, export and the API reads a comparative
figure from.

The nightly run computes every comparative figure once, by the rules in
``outcomes/calculations/`` (README "Rules for the numbers"), into the published snapshot:
value, national comparator, gap, rank of N, quartile, significance and progress band, trend,
targets, indicator RAG (``IndicatorFigure`` for LAs, ``SchoolFigure`` for schools) and the
school RAG and 3Ms suggestion (``SchoolSummary``). This module reads those rows and words
them; it never recomputes a rank, band, significance or trend. A page that needs a figure
the run has not stored yet asks for a run (an import ends by starting one), not for a
calculation here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from typing import NamedTuple

from django.db import router
from django.db.models import Subquery

from pep_portal.nightly.models import CurrentSnapshot
from pep_portal.nightly.selectors import PUBLISHED_RUN_SQL
from pep_portal.platform import sql_rows

from .calculations import formatting as fmt
from .calculations import groups as group_calc
from .calculations import rag as rag_calc
from .calculations.rank_pool import MIN_LAS
from .models import (
    AreaType,
    IndicatorFigure,
    KeyStage,
    Measure,
    PupilGroup,
    ResultStatus,
    SchoolFigure,
    Unit,
)

# National figures printed at the precision DfE publishes them where that differs from the
# measure's: KS2 national percentages are published as whole numbers (2016: writing 74,
# from an unrounded 74.3 - the gap is still taken from 74.3), and national progress is 0 by
# construction. Anything not listed uses the measure's own decimal places.
NATIONAL_DECIMALS: dict[tuple[str, str], int] = {
    (KeyStage.KS2, Unit.PERCENT): 0,
    (KeyStage.KS2, Unit.PROGRESS): 0,
}

TREND_WORDS = {"improving": "improving", "declining": "declining", "no change": "no change"}


def national_decimals(measure: Measure) -> int:
    return NATIONAL_DECIMALS.get((measure.key_stage, measure.unit), measure.decimal_places)


def _run(run_id: int | None):
    """``run_id``, or the published run as a subquery (no rows before the first run), so a
    page reads its figures in one query."""
    if run_id is not None:
        return run_id
    return Subquery(CurrentSnapshot.objects.filter(singleton=1).values("run_id")[:1])


# --- Words for stored figures ---------------------------------------------------------------


def value_text(value, precision: int, suppression: str = "") -> str:
    return fmt.format_number(value, precision, state=suppression or None)


def ci_text(lower, upper, precision: int) -> str:
    if lower is None or upper is None:
        return ""
    return f"{value_text(lower, precision)} to {value_text(upper, precision)}"


def rank_text(rank: int | None, n: int | None, *, joint: bool = False) -> str:
    """ "joint 140th of 150"; where the pool was below the minimum, why there is no rank."""
    if rank is None and n is not None and 0 < n < MIN_LAS:
        return f"not ranked: fewer than {MIN_LAS} LAs ({n} with a value)"
    return fmt.rank_text(rank, n, joint=joint)


# --- Schools ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolFigureRow:
    """One school's latest figure for one measure and group, as the run stored it."""

    measure: Measure
    year: int
    value: float | None
    suppression: str
    cohort: int | None
    ci_lower: float | None
    ci_upper: float | None
    la_value: float | None
    national: float | None
    gap: float | None
    gap_la: float | None
    gap_pupils: int | None
    significance: str
    progress_band: str
    history: dict[int, float | None]  # the last three years' values, by year
    trend_direction: str
    rag: str
    rag_reason: str
    rag_code: str
    rag_tolerance: float | None

    @property
    def precision(self) -> int:
        return self.measure.decimal_places

    @property
    def rag_reason_text(self) -> str:
        """The RAG's reason in words, from the stored code and tolerance."""
        return rag_calc.figure_reason(
            words=self.rag_reason,
            code=self.rag_code,
            value=self.value,
            national=self.national,
            tolerance=self.rag_tolerance,
            higher_is_better=self.measure.higher_is_better,
            precision=self.precision,
        )

    @property
    def value_text(self) -> str:
        return value_text(self.value, self.precision, self.suppression)

    @property
    def la_text(self) -> str:
        return value_text(self.la_value, self.precision)

    @property
    def national_text(self) -> str:
        return value_text(self.national, national_decimals(self.measure))

    @property
    def gap_text(self) -> str:
        return fmt.format_gap(self.gap, self.precision)

    @property
    def gap_la_text(self) -> str:
        return fmt.format_gap(self.gap_la, self.precision)

    @property
    def ci_text(self) -> str:
        return "" if self.suppression else ci_text(self.ci_lower, self.ci_upper, self.precision)

    @property
    def gap_pupils_text(self) -> str:
        if not self.gap_pupils:
            return ""
        side = "below" if self.gap_pupils < 0 else "above"
        return f"{fmt.pupils_text(self.gap_pupils)} {side}"

    def history_text(self, year: int) -> str:
        """The year's value as shown (the latest year with its suppression words)."""
        if year == self.year:
            return self.value_text
        return value_text(self.history.get(year), self.precision)


_STORED_FIELDS = [f.name for f in fields(SchoolFigureRow) if f.name not in ("measure", "history")]


def _school_row(f: SchoolFigure) -> SchoolFigureRow:
    return SchoolFigureRow(
        measure=f.measure,
        **{name: getattr(f, name) for name in _STORED_FIELDS},
        history={int(y): v for y, v in (f.history or {}).items()},
    )


def school_figures(
    *, school_id: int, run_id: int | None = None, group: str = PupilGroup.ALL
) -> list[SchoolFigureRow]:
    """The school's figures in the published snapshot (or ``run_id``'s), in catalogue order
    (1 query)."""
    rows = (
        SchoolFigure.objects.filter(run_id=_run(run_id), school_id=school_id, group=group)
        .select_related("measure")
        .order_by("measure__sort_order", "measure__code")
    )
    return [_school_row(f) for f in rows]


class HeadlineFigure(NamedTuple):
    """Another school's stored figure on a headline measure (the similar schools' columns)."""

    school_id: int
    measure_id: int
    value: float | None
    suppression: str


# What the school page reads of each row: the other schools' part (HeadlineFigure's
# fields, so value and suppression twice), the school's own figure, and its measure (every
# field: the page's rows carry it).
_OWN_COLUMNS = [*_STORED_FIELDS, "history"]
_MEASURE_FIELDS = [f.attname for f in Measure._meta.concrete_fields]
_FIGURE_FIELDS = [
    SchoolFigure._meta.get_field(name) for name in [*HeadlineFigure._fields, *_OWN_COLUMNS]
]
# The query as Django built it from the queryset (values_list of those columns and the
# measure's, ordered by the measure's catalogue order), written once: building it cost
# the school page ~2.5 ms of CPU per request, the database answers it in ~0.3 ms.
_FIGURES_SQL = (
    "SELECT "
    + ", ".join(f'f."{field.column}"' for field in _FIGURE_FIELDS)
    + ", "
    + sql_rows.columns(Measure, "m")
    + "{provisional} "
    + 'FROM "pep_portal_schoolfigure" f '
    + 'INNER JOIN "outcomes_measure" m ON (f."measure_id" = m."id") '
    + 'WHERE ((f."school_id" = %s OR (m."is_active" AND m."is_headline")) '
    + 'AND f."group" = %s AND f."run_id" = {run} AND f."school_id" IN ({schools})) '
    + 'ORDER BY m."sort_order" ASC, m."code" ASC'
)
# Whether a figure's year is provisional for the partnership's LA (its first by code).
_PROVISIONAL_SQL = (
    ', EXISTS(SELECT 1 AS "a" FROM "outcomes_result" V0 WHERE (V0."academic_year" = f."year" '
    'AND V0."area_type" = %s AND V0."la_id" = (SELECT U0."id" FROM "schools_localauthority" U0 '
    'WHERE U0."in_partnership" ORDER BY U0."code" ASC LIMIT 1) AND V0."status" = %s) LIMIT 1)'
)


def school_figures_and_headlines(
    *,
    school_id: int,
    others: list[int],
    run_id: int | None = None,
    partnership_provisional: bool = False,
) -> tuple[list[SchoolFigureRow], list[HeadlineFigure], set[int]]:
    """The school's figures for all pupils (as :func:`school_figures`) and, in the same
    query, the other schools' figures for all pupils on the active headline measures (the
    school page's similar schools), each list in catalogue order (1 query).

    With ``partnership_provisional``, the years of the school's figures whose source rows
    for the partnership's LA (the first of its LAs by code) are provisional, read in the
    same query (a page asks whether its data year is); otherwise an empty set.

    Read as rows of values, not model instances: the page reads every figure of the school
    and its similar schools on every request, and making a figure and a measure instance
    of each row cost it about as much CPU as the rest of the query. The SQL is written
    once (``_FIGURES_SQL``, SQLite's and PostgreSQL's common dialect), not built by the
    ORM per request."""
    schools = [school_id, *others]
    params: list = []
    fields: list = [*_FIGURE_FIELDS, *Measure._meta.concrete_fields]
    if partnership_provisional:
        params += [AreaType.LA.value, ResultStatus.PROVISIONAL.value]
        fields.append(None)
    params += [school_id, PupilGroup.ALL.value]
    if run_id is not None:
        params.append(run_id)
    params += schools
    sql = _FIGURES_SQL.format(
        provisional=_PROVISIONAL_SQL if partnership_provisional else "",
        run="%s" if run_id is not None else PUBLISHED_RUN_SQL,
        schools=", ".join(["%s"] * len(schools)),
    )
    own: list[SchoolFigureRow] = []
    other: list[HeadlineFigure] = []
    provisional: set[int] = set()
    own_at = len(HeadlineFigure._fields)
    measure_at = own_at + len(_OWN_COLUMNS)
    db = router.db_for_read(SchoolFigure)
    for row in sql_rows.rows(SchoolFigure, sql, params, fields):
        headline = HeadlineFigure._make(row[:own_at])
        if headline.school_id != school_id:
            other.append(headline)
            continue
        stored = dict(zip(_OWN_COLUMNS, row[own_at:measure_at], strict=True))
        history = stored.pop("history") or {}
        own.append(
            SchoolFigureRow(
                measure=Measure.from_db(
                    db, _MEASURE_FIELDS, row[measure_at : measure_at + len(_MEASURE_FIELDS)]
                ),
                history={int(y): v for y, v in history.items()},
                **stored,
            )
        )
        if partnership_provisional and row[-1]:
            provisional.add(stored["year"])
    return own, other, provisional


# --- Local authorities ------------------------------------------------------------------------


def la_figures(
    *, la_id: int, run_id: int | None = None, years=None, groups=None, measure_ids=None
) -> list[dict]:
    """The LA's stored figures (every field of ``IndicatorFigure``: value, national, gap,
    rank, rank_n, quartile, significance, previous_value, trend_direction, rag ...), as
    dicts, oldest year first (1 query)."""
    qs = IndicatorFigure.objects.filter(run_id=_run(run_id), la_id=la_id)
    if years is not None:
        qs = qs.filter(year__in=list(years))
    if groups is not None:
        qs = qs.filter(group__in=list(groups))
    if measure_ids is not None:
        qs = qs.filter(measure_id__in=list(measure_ids))
    return list(qs.order_by("year").values())


def group_gaps(figures: list[dict]) -> list[group_calc.GroupGap]:
    """The boards' group comparisons for one measure and year, from the stored figures of
    every group: the LA's value against the comparator group (nationally or the LA's own),
    from the stored unrounded values."""
    values = {f["group"]: f["value"] for f in figures}
    national = {f["group"]: f["national"] for f in figures}
    return group_calc.group_gaps(values, national)


def figures_by_key(figures: list[dict]) -> dict[tuple[int, int, str], dict]:
    """{(measure id, year, group): stored figure}."""
    return {(f["measure_id"], f["year"], f["group"]): f for f in figures}


def by_measure_and_year(figures: list[dict]) -> dict[tuple[int, int], list[dict]]:
    """{(measure id, year): the stored figures of every group}."""
    out: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for f in figures:
        out[(f["measure_id"], f["year"])].append(f)
    return out
