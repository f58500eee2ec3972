"""Quartile band A (best) to D, as DfE's LAIT computes it.

The 25/50/75% quantiles of all LAs' values that year (linear interpolation: numpy/pandas'
default, R's ``quantile()`` type 7, which LAIT uses), over local authorities only. Upper
bounds are inclusive and the bands are mirrored by polarity (LAIT's ``mod_la_lvl_table.R``):
for "higher is better" a value <= Q25 is D, <= Q50 C, <= Q75 B, above A; for "lower is
better" a value <= Q25 is A, <= Q50 B, <= Q75 C, above D. So a value exactly on the median
is C when higher is better and B when lower is better. Measures flagged as having no
quartile get no band.
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


HIGHER_BANDS = ("D", "C", "B", "A")  # value <= Q25, <= Q50, <= Q75, above
LOWER_BANDS = ("A", "B", "C", "D")


def _band(value: float, cuts: tuple[float, float, float], *, higher_is_better: bool) -> str:
    bands = HIGHER_BANDS if higher_is_better else LOWER_BANDS
    q25, q50, q75 = cuts
    if value <= q25:
        return bands[0]
    if value <= q50:
        return bands[1]
    if value <= q75:
        return bands[2]
    return bands[3]


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
    cuts = quartile_cuts(values)
    if cuts is None:
        return None
    return _band(own, cuts, higher_is_better=higher_is_better)


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
    out["_value"] = out[value].astype(float)
    grouped = out.groupby(keys, sort=False, dropna=False)["_value"]
    # groupby quantile is cythonised: one pass per cut, however many LAs and measures.
    q25 = grouped.transform("quantile", 0.25).to_numpy()
    q50 = grouped.transform("quantile", 0.5).to_numpy()
    q75 = grouped.transform("quantile", 0.75).to_numpy()
    values = out["_value"].to_numpy()
    position = np.select(
        [values <= q25, values <= q50, values <= q75, values > q75], [0, 1, 2, 3], -1
    )
    higher = out[higher_is_better].astype(bool).to_numpy()
    band = np.where(
        higher,
        np.array([*HIGHER_BANDS, ""], dtype=object)[position],
        np.array([*LOWER_BANDS, ""], dtype=object)[position],
    ).astype(object)
    band[np.isnan(values)] = None
    band[band == ""] = None
    if has_quartile is not None:
        band[~out[has_quartile].astype(bool).to_numpy()] = None
    out["quartile"] = band
    return out.drop(columns="_value")
