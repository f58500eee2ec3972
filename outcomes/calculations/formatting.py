"""Display: round stored values by the measure's precision; never show a missing value as a
number.

Rounding is half away from zero on the decimal value as written (72.65 -> 72.7), not
Python's float/banker's rounding, so the portal prints what the published tables print.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ._values import as_float

NOT_AVAILABLE = "not available"

# Suppression / status words for values that exist only as a marker. Keys are the codes the
# importers store (DfE performance-table and EES markers, and the portal's own states).
MISSING_TEXT = {
    "suppressed": "suppressed",
    "supp": "suppressed",
    "c": "suppressed",
    "not_applicable": "not applicable",
    "na": "not applicable",
    "z": "not applicable",
    "not_published": "not published",
    "np": "not published",
    "not_available": NOT_AVAILABLE,
    "x": NOT_AVAILABLE,
    "low_coverage": "low coverage",
    "lowcov": "low coverage",
    "not_entered": "no pupils entered",
    "ne": "no pupils entered",
    "no_eligible": "no eligible pupils",
    "nse": "no eligible pupils",
    "not_reported": "not reported",
    "nr": "not reported",
    "new": "new school",
    "low": "rounds to zero",
}


def missing_text(state: str | None) -> str:
    """The words for a suppression state; "not available" when there is none."""
    if not state:
        return NOT_AVAILABLE
    key = str(state).strip().lower()
    return MISSING_TEXT.get(key, key.replace("_", " "))


def round_half_up(value: float, precision: int) -> Decimal:
    """Round the value as written in decimal, halves away from zero."""
    quantum = Decimal(1).scaleb(-precision) if precision > 0 else Decimal(1)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: float | None, precision: int = 1, *, state: str | None = None) -> str:
    """A stored value for display: rounded to ``precision`` decimals, or words when missing.

    ``state`` is the suppression state: when set, the words are shown even if a value
    exists, so a suppressed value can never leak as a number.
    """
    if value.__class__ is float and not state:  # the common case, without as_float's tests
        return missing_text(state) if value != value else _number_text(value, precision)
    number = as_float(value)
    if state or number is None:
        return missing_text(state)
    return _number_text(number, precision)


@lru_cache(maxsize=8192)
def _number_text(number: float, precision: int) -> str:
    """A float rounded for display. Remembered: a page formats the same numbers again and
    again (a grid's national values and tolerances in every school's RAG reason, a value in
    its cell and in its reason), and Decimal rounding is most of a figure's formatting."""
    rounded = round_half_up(number, precision)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0"
    return f"{rounded:f}"


def format_gap(gap: float | None, precision: int = 1, *, state: str | None = None) -> str:
    """A gap with its sign: "+0.4", "-1.7", "0.0"."""
    text = format_number(gap, precision, state=state)
    if state or as_float(gap) is None:
        return text
    return text if text.startswith("-") or Decimal(text) == 0 else f"+{text}"


def format_percent(value: float | None, precision: int = 1, *, state: str | None = None) -> str:
    """A percentage: "47.6%"."""
    text = format_number(value, precision, state=state)
    return f"{text}%" if not state and as_float(value) is not None else text


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 140th."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rank_text(rank: int | None, n: int | None, *, joint: bool = False) -> str:
    """ "joint 140th of 150", "119th of 150", or "no rank" where there is no value."""
    if rank is None or n is None or as_float(rank) is None:
        return "no rank"
    prefix = "joint " if joint else ""
    return f"{prefix}{ordinal(int(rank))} of {int(n)}"


def pupils_text(pupils: int | None) -> str:
    """A gap in pupils in words, without the sign: "2 pupils", "1 pupil", "0 pupils"."""
    if pupils is None:
        return ""
    count = abs(int(pupils))
    return f"{count} pupil" if count == 1 else f"{count} pupils"
