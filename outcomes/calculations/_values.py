"""Small helpers shared by the calculation modules (missing values, polarity)."""

from __future__ import annotations

import math
from typing import Any, overload

# Comparisons at a boundary (a gap exactly on a tolerance or target) are made on differences
# rounded to this many decimals, so float noise (50.3 - 53.0 = -2.7000000000000028) never
# moves a figure across a line it sits on.
DECIMALS = 9


def is_missing(value: Any) -> bool:
    """None, NaN or pandas NA: a value that does not exist (suppressed, not published...)."""
    if value is None:
        return True
    try:
        return bool(math.isnan(value))
    except TypeError:
        # pandas.NA and friends raise on bool(); anything else non-numeric counts as missing.
        try:
            import pandas as pd

            return bool(pd.isna(value))
        except (TypeError, ValueError):
            return False


def as_float(value: Any) -> float | None:
    """A float, or None when the value is missing."""
    if is_missing(value):
        return None
    return float(value)


@overload
def orient(difference: float, higher_is_better: bool) -> float: ...
@overload
def orient(difference: float | None, higher_is_better: bool) -> float | None: ...
def orient(difference: float | None, higher_is_better: bool) -> float | None:
    """A difference turned so that positive always means better (absence: lower is better)."""
    if difference is None:
        return None
    return difference if higher_is_better else -difference
