"""Gaps: an area's value minus a comparator's, always from unrounded values.

DOMAIN.md 5: "Store unrounded, show rounded." KS2 writing 2016: Portsmouth 72.6 against a
national 74.3 (printed as 74) is a gap of -1.7, not -1.4.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ._values import as_float, orient


def gap(value: float | None, comparator: float | None) -> float | None:
    """value - comparator (e.g. LA minus national); None when either is missing."""
    value, comparator = as_float(value), as_float(comparator)
    if value is None or comparator is None:
        return None
    return value - comparator


def oriented_gap(
    value: float | None, comparator: float | None, *, higher_is_better: bool
) -> float | None:
    """The gap turned so that positive means better than the comparator, negative worse."""
    return orient(gap(value, comparator), higher_is_better)


def neighbour_average(values: Iterable[float | None]) -> float | None:
    """The statistical neighbours' average: the plain mean of the neighbours with a value.

    Neighbours without a value (suppressed, not published) are left out of the mean, not
    counted as 0. None when no neighbour has a value.
    """
    present = [v for v in (as_float(x) for x in values) if v is not None]
    if not present:
        return None
    return math.fsum(present) / len(present)


def gap_in_pupils(gap_points: float | None, cohort: int | None) -> int | None:
    """A percentage-point gap as a number of pupils: gap x cohort / 100, in whole pupils.

    A small school's "-8 points" with 25 pupils reads as "-2 pupils". Halves round away from
    zero (-0.5 pupils -> -1), as people count. None when the cohort is unknown or empty.
    """
    gap_points = as_float(gap_points)
    if gap_points is None or cohort is None or cohort <= 0:
        return None
    pupils = Decimal(str(gap_points)) * Decimal(int(cohort)) / Decimal(100)
    return int(pupils.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def gaps_in_pupils(gap_points: np.ndarray, cohorts: np.ndarray) -> list[int | None]:
    """``gap_in_pupils`` for arrays (NaN for none): the same numbers, worked in floats and
    checked exactly (``gap_in_pupils``) only where a result lies near a half pupil."""
    gap_points = np.asarray(gap_points, dtype=float)
    cohorts = np.asarray(cohorts, dtype=float)
    known = ~np.isnan(gap_points) & ~np.isnan(cohorts) & (np.nan_to_num(cohorts) > 0)
    with np.errstate(invalid="ignore"):
        pupils = gap_points * cohorts / 100.0
        rounded = np.sign(pupils) * np.floor(np.abs(pupils) + 0.5)
        near_half = np.abs(np.abs(pupils) % 1.0 - 0.5) < 1e-6
    out: list[int | None] = [None] * len(gap_points)
    for i in np.flatnonzero(known):
        if near_half[i]:
            out[i] = gap_in_pupils(float(gap_points[i]), int(cohorts[i]))
        else:
            out[i] = int(rounded[i])
    return out


def add_gaps(
    frame: pd.DataFrame,
    *,
    value: str = "value",
    comparators: Iterable[str] = ("national",),
    higher_is_better: str | None = None,
) -> pd.DataFrame:
    """Vectorised gaps: adds ``gap_<comparator>`` for each comparator column.

    Missing values (NaN) give a NaN gap. With ``higher_is_better`` (a boolean column name),
    also adds ``oriented_gap_<comparator>`` (positive = better).
    """
    out = frame.copy()
    for comparator in comparators:
        out[f"gap_{comparator}"] = out[value] - out[comparator]
        if higher_is_better is not None:
            sign = out[higher_is_better].map({True: 1.0, False: -1.0}).astype(float)
            out[f"oriented_gap_{comparator}"] = out[f"gap_{comparator}"] * sign
    return out


def neighbour_averages(
    values: pd.DataFrame,
    neighbours: pd.DataFrame,
    *,
    keys: Iterable[str] = ("measure", "year", "group"),
    la: str = "la",
    value: str = "value",
) -> pd.DataFrame:
    """Vectorised statistical-neighbour averages for every LA.

    ``values``: one row per LA x keys with ``value`` (NaN when missing).
    ``neighbours``: columns ``la`` and ``neighbour`` (one row per pair).
    Returns keys + ``la`` + ``neighbour_average`` + ``neighbour_count`` (neighbours with a
    value); LAs whose neighbours have no value are left out.
    """
    keys = list(keys)
    present = values.dropna(subset=[value])[[*keys, la, value]].rename(columns={la: "neighbour"})
    joined = neighbours[[la, "neighbour"]].merge(present, on="neighbour", how="inner")
    grouped = joined.groupby([*keys, la], sort=False)[value]
    result = grouped.agg(neighbour_average="mean", neighbour_count="count").reset_index()
    return result
