"""When an LA rank and quartile exist, and when two years' ranks may be compared.

Rules (README "Rules for the numbers"; the outcomes pages print the same words):

- **Minimum pool.** A rank ("119th of 150") and a quartile band (A-D) are given only over
  local authorities, and only when at least ``MIN_LAS`` LAs have a value for the measure,
  year and pupil group. With fewer, a rank says nothing about the LA ("1st of 1, quartile
  D" was the old answer for an LA alone in a year): the figure keeps its value, gap and
  significance, shows no rank and says why.
- **Comparable pools.** A change of rank ("rose 12 places") and a quartile movement are
  stated only between two years that both have a rank and whose pools differ by at most
  ``POOL_TOLERANCE`` of the larger pool (LA reorganisations move LAIT's N between 150 and
  153; a year with 30 LAs reporting is not comparable with one with 150).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._values import as_float

MIN_LAS = 20  # fewest LAs with a value for a rank and a quartile to be given
POOL_TOLERANCE = 0.05  # largest difference between two years' pools, as a share of the larger


def has_rank(n: int | None) -> bool:
    """Whether a pool of ``n`` LAs with a value is large enough for a rank and quartile."""
    n_f = as_float(n)
    return n_f is not None and n_f >= MIN_LAS


def no_rank_reason(n: int | None, *, has_value: bool = True) -> str:
    """Why a figure has no rank, in the words the pages print."""
    if not has_value:
        return "No rank: no value this year (no value, no rank)."
    n_f = as_float(n)
    count = 0 if n_f is None else int(n_f)
    las = "LA has" if count == 1 else "LAs have"
    return (
        f"No rank or quartile: only {count} {las} a value this year; "
        f"a rank needs at least {MIN_LAS}."
    )


def pools_comparable(n_now: int | None, n_before: int | None) -> bool:
    """Whether ranks from two years (pools of ``n_now`` and ``n_before`` LAs) may be compared."""
    if not (has_rank(n_now) and has_rank(n_before)):
        return False
    now, before = float(n_now), float(n_before)  # type: ignore[arg-type]
    return abs(now - before) <= POOL_TOLERANCE * max(now, before)


def rank_change(
    rank: int | None, n: int | None, previous_rank: int | None, previous_n: int | None
) -> int | None:
    """Places gained (positive) or lost since last year; None unless the pools compare."""
    if as_float(rank) is None or as_float(previous_rank) is None:
        return None
    if not pools_comparable(n, previous_n):
        return None
    return int(previous_rank) - int(rank)  # type: ignore[arg-type]


def apply_minimum(
    frame: pd.DataFrame,
    *,
    rank: str = "rank",
    n: str = "n",
    quartile: str = "quartile",
    joint: str = "joint",
) -> pd.DataFrame:
    """Vectorised: blanks rank, joint and quartile where fewer than ``MIN_LAS`` have a value.

    ``n`` is kept, so a page can say how many LAs had a value.
    """
    out = frame.copy()
    small = ~(pd.to_numeric(out[n], errors="coerce").fillna(0).to_numpy() >= MIN_LAS)
    if small.any():
        out[rank] = out[rank].astype("Int64").mask(small)
        if quartile in out:
            band = out[quartile].to_numpy(dtype=object).copy()
            band[small] = None
            out[quartile] = pd.Series(band, index=out.index, dtype=object)
        if joint in out:
            out[joint] = np.where(small, False, out[joint].astype(bool))
    return out
