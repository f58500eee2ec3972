"""Where one school sits among all schools in its LA, for the workforce comparison.

Pure functions. Other schools are given as plain values only: the comparison never needs
their names, so the caller can anonymise them before they reach a page.
"""

from __future__ import annotations

from dataclasses import dataclass


def quantile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (as pandas' default)."""
    data = sorted(values)
    if not data:
        return None
    pos = (len(data) - 1) * q
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


@dataclass(frozen=True)
class Position:
    value: float | None
    n: int  # schools with a value, this one included
    rank: int | None  # 1 = highest value
    percentile: float | None  # % of the other schools with a lower value
    quartile: int | None  # 1 (top quarter, highest values) to 4
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    minimum: float | None
    maximum: float | None


def position(value: float | None, others: list[float | None]) -> Position:
    known = [v for v in others if v is not None]
    everyone = known + ([value] if value is not None else [])
    stats = {
        "median": quantile(everyone, 0.5),
        "lower_quartile": quantile(everyone, 0.25),
        "upper_quartile": quantile(everyone, 0.75),
        "minimum": min(everyone) if everyone else None,
        "maximum": max(everyone) if everyone else None,
    }
    if value is None:
        return Position(None, len(everyone), None, None, None, **stats)
    rank = 1 + sum(1 for v in known if v > value)
    percentile = 100.0 * sum(1 for v in known if v < value) / len(known) if known else None
    quartile = min(4, 1 + int(4 * (rank - 1) / len(everyone)))
    return Position(value, len(everyone), rank, percentile, quartile, **stats)
