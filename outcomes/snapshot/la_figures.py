"""Stage 10: every LA x group x year of one measure: value, national, gap, statistical
neighbours' average, rank of N, quartile, significance, change and three-year trend, gap
closing, target progress and the indicator RAG."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schools.models import StatisticalNeighbour

from ..calculations import gaps, quartiles, rank_pool, ranking, targets, trends
from ..models import RESULT_READING_FIELDS, AreaType, Measure, Result, Target
from . import indicators
from .reads import read_frame, table

TARGET_KINDS = {
    Target.Kind.TOP_PERCENT_OF_LAS: targets.TOP_PERCENT,
    Target.Kind.HALVE_GAP: targets.HALVE_GAP,
    Target.Kind.BETTER_THAN_NATIONAL: targets.BETTER_THAN_NATIONAL,
    Target.Kind.AT_LEAST_VALUE: targets.AT_LEAST,
}
COLUMNS = ("area_type", "la", "year", "group", *RESULT_READING_FIELDS)


def measure_rows(measure: Measure) -> pd.DataFrame:
    """The measure's LA and national results (one query)."""
    return read_frame(
        f"SELECT area_type, la_id, academic_year, pupil_group, {', '.join(RESULT_READING_FIELDS)} "
        f"FROM {table(Result)} "
        "WHERE measure_id = %s AND area_type IN (%s, %s)",
        [measure.pk, AreaType.LA, AreaType.NATIONAL],
        COLUMNS,
        ints=("year",),
        floats=("la", *indicators.RESULT_FLOATS),
    )


def la_figures(measure: Measure, *, run_id: int) -> pd.DataFrame:
    frame = measure_rows(measure)
    if frame.empty:
        return frame
    national = (
        frame[frame.area_type == AreaType.NATIONAL]
        .set_index(["year", "group"])["value"]
        .rename("national")
    )
    las = frame[frame.area_type == AreaType.LA].drop(columns="area_type")
    if las.empty:
        return las
    las = las.astype({"la": "int64"}).join(national, on=["year", "group"])
    for key, value in indicators.measure_rules(measure).items():
        las[key] = value
    las["measure"] = measure.pk
    keys = ("year", "group")
    las = ranking.add_ranks(las, keys=keys)
    las = quartiles.add_quartile_bands(las, keys=keys)
    las = rank_pool.apply_minimum(las)
    las = gaps.add_gaps(las, comparators=("national",))
    links = pd.DataFrame.from_records(
        list(StatisticalNeighbour.objects.values_list("la_id", "neighbour_id")),
        columns=["la", "neighbour"],
    )
    if not links.empty:
        averages = gaps.neighbour_averages(las, links, keys=keys, la="la")
        las = las.merge(averages[["year", "group", "la", "neighbour_average"]], how="left")
    else:
        las["neighbour_average"] = np.nan
    las["gap_neighbours"] = las["value"] - las["neighbour_average"]
    las = trends.add_trend(
        las, keys=("la", "group"), gap="gap_national", tolerance="trend_tolerance"
    )
    las["improving"] = indicators.improving(las)
    las = _add_targets(las, measure)
    las["significance"] = indicators.significances(las, measure)
    las["progress_band"] = indicators.bands(las, measure, computed=False)
    las = indicators.add_rag(las)
    return las.rename(
        columns={
            **indicators.FIGURE_NAMES,
            "n": "rank_n",
            "joint": "rank_joint",
            "previous_gap_national": "previous_gap",
            "neighbour_average": "neighbours_average",
        }
    ).assign(run=run_id, measure=measure.pk, quartile=lambda f: f["quartile"].fillna(""))


def _add_targets(las: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    las["target_met"] = False
    las["target_status"] = ""
    las["target_text"] = ""
    nan = indicators.nan_to_none
    for target in Target.objects.filter(measure=measure, area_type=AreaType.LA):
        mine = las[(las["la"] == target.la_id) & (las["group"] == target.pupil_group)]
        by_year = mine.set_index("year")
        for idx, row in mine.iterrows():
            year = int(row["year"])
            kind = TARGET_KINDS[target.kind]
            previous = by_year.loc[year - 1] if year - 1 in by_year.index else None
            baseline = (
                by_year.loc[target.baseline_year] if target.baseline_year in by_year.index else None
            )
            figure = (
                "rank"
                if kind == targets.TOP_PERCENT
                else (
                    "gap_national"
                    if kind in (targets.HALVE_GAP, targets.BETTER_THAN_NATIONAL)
                    else "value"
                )
            )
            progress = targets.target_progress(
                kind=kind,
                year=year,
                due_year=target.due_date.year,
                higher_is_better=measure.higher_is_better,
                value=row["value"],
                national=row["national"],
                rank=None if pd.isna(row["rank"]) else int(row["rank"]),
                n=None if pd.isna(row["n"]) else int(row["n"]),
                threshold=target.value,
                baseline=None if baseline is None else nan(baseline[figure]),
                baseline_year=target.baseline_year,
                previous=None if previous is None else nan(previous[figure]),
            )
            las.loc[idx, "target_status"] = progress.status
            las.loc[idx, "target_text"] = progress.text[:255]
            las.loc[idx, "target_met"] = progress.status == targets.MET
    return las
