"""Change over time: from the previous year, over three years, and the gap to national.

A change from the previous year exists only when the two years are consecutive (a missing
2015 means no change for 2016, never a change from 2014). The three-year trend looks at the
latest year and the two before it.

Trend words agree with the figures (README "Rules for the numbers"): a three-year change no
larger than the measure's tolerance (``TOLERANCE_BY_UNIT``: 1 percentage point, 0.5 of a
score, 0.1 of a progress score) is "no change", so 70.2 -> 66.6 -> 70.1 is not "declining".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._values import as_float, orient

IMPROVING = "improving"
DECLINING = "declining"
NO_CHANGE = "no change"

# How large a three-year change must be before it is called improving or declining, in the
# measure's own units (a change exactly on the tolerance is still "no change").
TOLERANCE_BY_UNIT = {"percent": 1.0, "score": 0.5, "progress": 0.1, "count": 0.0}


def tolerance_for(unit: str) -> float:
    return TOLERANCE_BY_UNIT.get(unit, 0.0)


def change_from_previous(values_by_year: Mapping[int, float | None], year: int) -> float | None:
    """value(year) - value(year - 1); None unless both consecutive years have a value."""
    current = as_float(values_by_year.get(year))
    previous = as_float(values_by_year.get(year - 1))
    if current is None or previous is None:
        return None
    return current - previous


def direction(
    change: float | None, *, higher_is_better: bool, tolerance: float = 0.0
) -> str | None:
    """ "improving" / "declining" / "no change" for a change, respecting polarity.

    A change within ``tolerance`` either way (inclusive) is "no change"."""
    oriented = orient(as_float(change), higher_is_better)
    if oriented is None:
        return None
    oriented = round(oriented, 9)
    if oriented > tolerance:
        return IMPROVING
    if oriented < -tolerance:
        return DECLINING
    return NO_CHANGE


@dataclass(frozen=True)
class Trend:
    years: tuple[int, int, int]
    values: tuple[float | None, float | None, float | None]
    change: float | None  # latest minus two years before; None unless both exist
    direction: str | None


def three_year_trend(
    values_by_year: Mapping[int, float | None],
    year: int,
    *,
    higher_is_better: bool,
    tolerance: float = 0.0,
) -> Trend:
    """The values of year-2, year-1 and year, the change across them, and its direction."""
    years = (year - 2, year - 1, year)
    values = tuple(as_float(values_by_year.get(y)) for y in years)
    first, last = values[0], values[2]
    change = None if first is None or last is None else last - first
    return Trend(
        years=years,
        values=values,  # type: ignore[arg-type]
        change=change,
        direction=direction(change, higher_is_better=higher_is_better, tolerance=tolerance),
    )


def gap_closing(
    gaps_by_year: Mapping[int, float | None], year: int, *, higher_is_better: bool
) -> bool | None:
    """Whether the gap to national is closing between year-1 and year.

    Only meaningful where the area was behind national last year: True when this year's
    gap is smaller (better) than last year's, False when it is the same or wider. None when
    either year has no gap or the area was not behind.
    """
    previous = orient(as_float(gaps_by_year.get(year - 1)), higher_is_better)
    current = orient(as_float(gaps_by_year.get(year)), higher_is_better)
    if previous is None or current is None or previous >= 0:
        return None
    return current > previous


def add_previous_year(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str],
    columns: Sequence[str] = ("value",),
    year: str = "year",
) -> pd.DataFrame:
    """Vectorised: adds ``previous_<column>`` (the value of year - 1 for the same keys).

    NaN where the previous year is absent: a gap in the years never borrows an older value.
    ``keys`` identify the series (e.g. area, measure, group) and must not include the year.
    """
    keys = list(keys)
    previous = frame[[*keys, year, *columns]].copy()
    previous[year] = previous[year] + 1
    previous = previous.rename(columns={c: f"previous_{c}" for c in columns})
    return frame.merge(previous, on=[*keys, year], how="left")


def add_trend(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str],
    value: str = "value",
    gap: str | None = "gap_national",
    higher_is_better: str = "higher_is_better",
    year: str = "year",
    tolerance: str | None = None,
) -> pd.DataFrame:
    """Vectorised change, three-year trend and gap closing for every series at once.

    ``tolerance`` names a column of trend tolerances (``TOLERANCE_BY_UNIT``); without it a
    change of any size counts. Adds ``change`` (from year - 1), ``change_3y`` (from year - 2), ``direction_3y`` and,
    when ``gap`` is given, ``gap_closing`` (True / False / None as ``gap_closing``).
    """
    columns = [value] + ([gap] if gap else [])
    out = add_previous_year(frame, keys=keys, columns=columns, year=year)
    two_back = frame[[*keys, year, value]].copy()
    two_back[year] = two_back[year] + 2
    out = out.merge(
        two_back.rename(columns={value: f"two_years_before_{value}"}),
        on=[*keys, year],
        how="left",
    )
    sign = np.where(out[higher_is_better].astype(bool).to_numpy(), 1.0, -1.0)
    out["change"] = out[value] - out[f"previous_{value}"]
    out["change_3y"] = out[value] - out[f"two_years_before_{value}"]
    oriented = np.round(out["change_3y"].to_numpy(dtype=float) * sign, 9)
    tol = (
        out[tolerance].astype(float).to_numpy()
        if tolerance is not None
        else np.zeros(len(out), dtype=float)
    )
    direction_3y = np.select(
        [oriented > tol, oriented < -tol, np.abs(oriented) <= tol],
        [IMPROVING, DECLINING, NO_CHANGE],
        "",
    ).astype(object)
    direction_3y[np.isnan(oriented)] = None
    out["direction_3y"] = direction_3y
    if gap:
        now = out[gap].to_numpy(dtype=float) * sign
        before = out[f"previous_{gap}"].to_numpy(dtype=float) * sign
        closing = np.where(now > before, True, False).astype(object)
        closing[np.isnan(now) | np.isnan(before) | (before >= 0)] = None
        out["gap_closing"] = closing
    return out
