"""LA rank as DfE's Local Authority Interactive Tool (LAIT) computes it.

- 1 is the best, respecting the measure's polarity (lowest absence ranks 1st);
- ties share the lowest rank ("min" ranking): two LAs on the 140th value are both
  "joint 140th" and the next LA is 142nd;
- an LA with no value (missing, suppressed) has no rank and does not count in N.

Ranks are taken on the values as stored: LAIT ranks the values it publishes, so ties
appear where the published values are equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._values import as_float

DEFAULT_KEYS: tuple[str, ...] = ("measure", "year", "group")


@dataclass(frozen=True)
class Rank:
    rank: int
    n: int
    joint: bool


def rank_within(
    value: float | None, values: Iterable[float | None], *, higher_is_better: bool
) -> Rank | None:
    """The rank of one value among all LAs' values (``values`` includes the LA's own).

    None when the value is missing: no value, no rank.
    """
    own = as_float(value)
    if own is None:
        return None
    present = [v for v in (as_float(x) for x in values) if v is not None]
    if higher_is_better:
        better = sum(1 for v in present if v > own)
    else:
        better = sum(1 for v in present if v < own)
    equal = sum(1 for v in present if v == own)
    return Rank(rank=better + 1, n=len(present), joint=equal > 1)


def add_ranks(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str] = DEFAULT_KEYS,
    value: str = "value",
    higher_is_better: str = "higher_is_better",
) -> pd.DataFrame:
    """Vectorised LAIT ranks over every LA x measure x year x group at once.

    ``frame`` has one row per LA and key, a ``value`` column (NaN when missing) and a boolean
    ``higher_is_better`` column (the measure's polarity). Adds:

    - ``rank`` (nullable Int64; <NA> where the value is missing),
    - ``n`` (LAs with a value in the same key; <NA> where the value is missing),
    - ``joint`` (True where another LA shares the rank).
    """
    keys = list(keys)
    out = frame.copy()
    sign = np.where(out[higher_is_better].astype(bool).to_numpy(), -1.0, 1.0)
    # Ranking the value times -1 for "higher is better" ranks every measure ascending at once.
    out["_sort"] = out[value].astype(float).to_numpy() * sign
    grouped = out.groupby(keys, sort=False, dropna=False)["_sort"]
    ranks = grouped.rank(method="min", ascending=True, na_option="keep")
    counts = grouped.transform("count")
    has_value = out["_sort"].notna()
    out["rank"] = ranks.astype("Int64")
    out["n"] = counts.where(has_value).astype("Int64")
    tie_size = out.groupby([*keys, "_sort"], sort=False, dropna=False)["_sort"].transform("size")
    out["joint"] = has_value & (tie_size > 1)
    return out.drop(columns="_sort")
