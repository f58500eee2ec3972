"""Quartile band A (best) to D, as DfE's LAIT computes it.

The 25/50/75% quantiles (linear interpolation, numpy/pandas' default) of all LAs' values
that year. For "higher is better": a value up to and including Q25 is D, up to Q50 is C, up
to Q75 is B, above Q75 is A. For "lower is better" the rule is mirrored (the same rule on
the negated values): a value at or above Q75 is D, at or above Q50 is C, at or above Q25 is
B, below Q25 is A. Measures flagged as having no quartile get no band.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ._values import as_float

BANDS = ("A", "B", "C", "D")
BAND_TEXT = {
    "A": "A (top quartile)",
    "B": "B (second quartile)",
    "C": "C (third quartile)",
    "D": "D (bottom quartile)",
}


def quartile_cuts(values: Iterable[float | None]) -> tuple[float, float, float] | None:
    """Q25, Q50, Q75 of the values present (linear interpolation); None when there are none."""
    present = [v for v in (as_float(x) for x in values) if v is not None]
    if not present:
        return None
    q25, q50, q75 = np.quantile(np.asarray(present, dtype=float), [0.25, 0.5, 0.75])
    return float(q25), float(q50), float(q75)


def _band(oriented: float, cuts: tuple[float, float, float]) -> str:
    q25, q50, q75 = cuts
    if oriented <= q25:
        return "D"
    if oriented <= q50:
        return "C"
    if oriented <= q75:
        return "B"
    return "A"


def quartile_band(
    value: float | None,
    values: Iterable[float | None],
    *,
    higher_is_better: bool,
    has_quartile: bool = True,
) -> str | None:
    """The band of one LA's value among all LAs' values that year (including its own)."""
    own = as_float(value)
    if own is None or not has_quartile:
        return None
    sign = 1.0 if higher_is_better else -1.0
    cuts = quartile_cuts(sign * v for v in (as_float(x) for x in values) if v is not None)
    if cuts is None:
        return None
    return _band(sign * own, cuts)


def add_quartile_bands(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str] = ("measure", "year", "group"),
    value: str = "value",
    higher_is_better: str = "higher_is_better",
    has_quartile: str | None = "has_quartile",
) -> pd.DataFrame:
    """Vectorised bands over every LA x key at once; adds ``quartile`` (A-D or None).

    ``has_quartile`` names a boolean column (the catalogue flag); pass None when every
    measure has quartiles.
    """
    keys = list(keys)
    out = frame.copy()
    sign = np.where(out[higher_is_better].astype(bool).to_numpy(), 1.0, -1.0)
    out["_oriented"] = out[value].astype(float).to_numpy() * sign
    grouped = out.groupby(keys, sort=False, dropna=False)["_oriented"]
    # groupby quantile is cythonised: one pass per cut, however many LAs and measures.
    q25 = grouped.transform("quantile", 0.25).to_numpy()
    q50 = grouped.transform("quantile", 0.5).to_numpy()
    q75 = grouped.transform("quantile", 0.75).to_numpy()
    oriented = out["_oriented"].to_numpy()
    band = np.select(
        [oriented <= q25, oriented <= q50, oriented <= q75, oriented > q75],
        ["D", "C", "B", "A"],
        default="",
    ).astype(object)
    band[np.isnan(oriented)] = None
    band[band == ""] = None
    if has_quartile is not None:
        band[~out[has_quartile].astype(bool).to_numpy()] = None
    out["quartile"] = band
    return out.drop(columns="_oriented")
