"""Stage 20, figures: for every school of a few LAs its latest figure per measure and group,
with the comparators (its LA, England), gaps, trend, significance, band and indicator RAG."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schools.models import School

from ..calculations import gaps, trends
from ..models import RESULT_READING_FIELDS, AreaType, Measure, Result, Unit
from ..selectors import PUPIL_PERCENT_KEY_STAGES
from . import indicators
from .reads import in_list, read_frame, table

SCHOOL_COLUMNS = ("school", "la", "measure", "year", "group", *RESULT_READING_FIELDS)
COMPARATOR_COLUMNS = ("area_type", "la", "measure", "year", "group", "value")
# A figure's history: its latest year and the two before it (also all its trend reads).
HISTORY_YEARS = 3


def school_rows(*, la_ids: list[int], measure_ids: list[int]) -> pd.DataFrame:
    """The school results of the LAs' schools for the measures that a figure reads: each
    school's latest three years per measure (the latest year, its change and three-year trend
    and its history go back no further). One query; the database finds the latest years.

    The measures are picked here, not in SQL: the LAs' schools' rows lie across the whole
    table (it is ordered by measure), and a ``measure_id IN`` lets PostgreSQL read them
    through the measure index, slower than one pass over the table. The schools are named
    by id, not by ``la_id IN``: PostgreSQL then estimates the rows from the results' own
    statistics and reads a few small LAs' rows through the school index (0.4 s) instead of
    passing over the whole table (1.6 s); the biggest LAs still take the one pass."""
    schools, school_params = in_list(
        School.objects.filter(la_id__in=la_ids).order_by("pk").values_list("pk", flat=True)
    )
    fields = ", ".join(
        ("school_id", "la_id", "measure_id", "academic_year", "pupil_group", *RESULT_READING_FIELDS)
    )
    inner = ", ".join(
        (
            "r.school_id",
            "s.la_id",
            "r.measure_id",
            "r.academic_year",
            "r.pupil_group",
            *("r." + f for f in RESULT_READING_FIELDS),
        )
    )
    frame = read_frame(
        f"SELECT {fields} FROM (SELECT {inner}, "
        "MAX(r.academic_year) OVER (PARTITION BY r.school_id, r.measure_id) AS latest_year "
        f"FROM {table(Result)} r JOIN {table(School)} s ON s.id = r.school_id "
        f"WHERE r.area_type = %s AND r.school_id IN {schools}) t "
        f"WHERE academic_year > latest_year - {HISTORY_YEARS}",
        [AreaType.SCHOOL, *school_params],
        SCHOOL_COLUMNS,
        ints=("school", "la", "measure", "year"),
        floats=indicators.RESULT_FLOATS,
    )
    wanted = frame["measure"].isin(measure_ids).to_numpy()
    return frame if wanted.all() else frame[wanted].reset_index(drop=True)


def comparator_rows(*, la_ids: list[int], measure_ids: list[int]) -> pd.DataFrame:
    """The LAs' own results and England's, for the measures (one query)."""
    las, la_params = in_list(la_ids)
    ms, m_params = in_list(measure_ids)
    columns = "area_type, la_id, measure_id, academic_year, pupil_group, value"
    return read_frame(
        f"SELECT {columns} FROM {table(Result)} "
        f"WHERE area_type = %s AND la_id IN {las} AND measure_id IN {ms} "
        f"UNION ALL SELECT {columns} FROM {table(Result)} "
        f"WHERE area_type = %s AND measure_id IN {ms}",
        [AreaType.LA, *la_params, *m_params, AreaType.NATIONAL, *m_params],
        COMPARATOR_COLUMNS,
        ints=("measure", "year"),
        floats=("la", "value"),
    )


def school_figures(*, la_ids: list[int], measures: dict[int, Measure], run_id: int) -> pd.DataFrame:
    """The latest figures of every school of the LAs that has results (open or closed, so
    a closed school's history stays readable)."""
    frame = school_rows(la_ids=la_ids, measure_ids=list(measures))
    comparators = comparator_rows(la_ids=la_ids, measure_ids=list(measures)).drop_duplicates()
    national = (
        comparators[comparators.area_type == AreaType.NATIONAL]
        .drop(columns=["area_type", "la"])
        .rename(columns={"value": "national"})
    )
    la_values = (
        comparators[comparators.area_type == AreaType.LA]
        .drop(columns="area_type")
        .astype({"la": "int64"})
        .rename(columns={"value": "la_value"})
    )
    frame = frame.merge(national, on=["measure", "year", "group"], how="left")
    frame = frame.merge(la_values, on=["la", "measure", "year", "group"], how="left")
    rules = pd.DataFrame.from_records(
        [{"measure": pk, **indicators.measure_rules(m)} for pk, m in measures.items()]
    )
    frame = frame.merge(rules, on="measure", how="left")
    frame["bottom_quartile_red"] = False  # quartiles rank LAs, not schools
    frame = gaps.add_gaps(frame, comparators=("national", "la_value"))
    frame = trends.add_trend(
        frame,
        keys=("school", "measure", "group"),
        gap="gap_national",
        tolerance="trend_tolerance",
    )
    frame["improving"] = indicators.improving(frame)
    latest = _latest_with_history(frame)
    figures = []
    for measure_id, part in latest.groupby("measure", sort=False):
        measure = measures[measure_id]
        part = part.copy()
        part["significance"] = indicators.significances(part, measure)
        part["progress_band"] = indicators.bands(part, measure, computed=True)
        if measure.unit == Unit.PERCENT and measure.key_stage in PUPIL_PERCENT_KEY_STAGES:
            part["gap_pupils"] = gaps.gaps_in_pupils(
                part["gap_national"].to_numpy(dtype=float), part["cohort"].to_numpy(dtype=float)
            )
        else:
            part["gap_pupils"] = None
        figures.append(indicators.add_rag(part))
    latest = pd.concat(figures) if figures else latest
    return latest.assign(run=run_id)


def _latest_with_history(frame: pd.DataFrame) -> pd.DataFrame:
    """Latest year per school and measure, with the last three years' values beside it
    (years in order). Worked on arrays: each row's series (school, measure, group) numbered
    once, the history rows sorted by series and year, one dict per series."""
    series = frame.groupby(["school", "measure", "group"], sort=False).ngroup().to_numpy()
    latest_year = frame.groupby(["school", "measure"])["year"].transform("max").to_numpy()
    year = frame["year"].to_numpy()
    rows = np.flatnonzero(year > latest_year - HISTORY_YEARS)
    rows = rows[np.lexsort((year[rows], series[rows]))]
    ids = series[rows]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]).tolist() if len(ids) else []
    ends = [*starts[1:], len(ids)] if starts else []
    first_ids = ids[starts].tolist()
    years = year[rows].astype(str).tolist()
    values = _rounded6(frame["value"].to_numpy(dtype=float)[rows])
    history_of = {
        i: dict(zip(years[s:e], values[s:e], strict=True))
        for i, s, e in zip(first_ids, starts, ends, strict=True)
    }
    is_latest = year == latest_year
    latest = frame[is_latest].copy()
    latest["history"] = [history_of.get(i, {}) for i in series[is_latest].tolist()]
    return latest


def _rounded6(values: np.ndarray) -> list[float | None]:
    """``round(v, 6)`` of each value, None for NaN. Most values have six places or fewer
    (numpy's rounding gives them back unchanged): only the others go through ``round``."""
    with np.errstate(invalid="ignore"):
        unchanged = np.round(values, 6) == values
    out: list[float | None] = values.tolist()
    for i in np.flatnonzero(~unchanged):
        v = out[i]
        out[i] = None if v != v else round(v, 6)
    return out


def renamed(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures with the SchoolFigure model's column names."""
    return figures.rename(columns={**indicators.FIGURE_NAMES, "gap_la_value": "gap_la"})
