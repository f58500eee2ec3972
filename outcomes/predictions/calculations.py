"""Pure rules for in-year predictions: what a sensible figure is, and what a prediction says.

No ORM here: plain values in, plain values out, tested without a database.

- ``check_row``: the checks one predicted row must pass (form and upload alike), as
  (column, message) pairs.
- ``prediction_signal``: the 3Ms signal from a school's predictions, a separate suggestion
  beside the one from published data: which measures are predicted to drop, whether the
  school is marginal for the KS2 combined measure.
- ``accuracy``: prediction against the published result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..calculations.gaps import oriented_gap

PERCENT, SCORE, PROGRESS, COUNT = "percent", "score", "progress", "count"

# Sensible ranges by unit; a measure code may narrow them (KS2 scaled scores, Attainment 8).
RANGE_BY_UNIT: dict[str, tuple[float, float]] = {
    PERCENT: (0.0, 100.0),
    PROGRESS: (-10.0, 10.0),
    SCORE: (0.0, 100.0),
    COUNT: (0.0, 100000.0),
}
RANGE_BY_CODE: dict[str, tuple[float, float]] = {
    "ks4_att8": (0.0, 90.0),
    "ks2_read_score": (80.0, 120.0),
    "ks2_mat_score": (80.0, 120.0),
    "ks2_gps_score": (80.0, 120.0),
}
MAX_COHORT = 1000  # more pupils in one year group than any school has: a typing slip

# What counts as a predicted drop from last year's result, in the measure's own units.
DROP_BY_UNIT = {PERCENT: 5.0, PROGRESS: 1.0, SCORE: 2.0}
# Marginal for the KS2 combined measure: within this many points, or pupils, of national.
KS2_COMBINED = "ks2_rwm_exp"
MARGINAL_POINTS = 5.0
MARGINAL_PUPILS = 2
# How far below national a prediction must be to be "well below".
WELL_BELOW_BY_UNIT = {PERCENT: 10.0, PROGRESS: 2.0, SCORE: 4.0}

MINIMUM, MODERATE, MAXIMUM = "minimum", "moderate", "maximum"


def value_range(code: str, unit: str) -> tuple[float, float]:
    return RANGE_BY_CODE.get(code, RANGE_BY_UNIT.get(unit, (-math.inf, math.inf)))


def parse_number(text: object) -> tuple[float | None, str | None]:
    """A cell as a number: (value, None), (None, None) when blank, (None, why) when bad."""
    if text is None:
        return None, None
    if isinstance(text, int | float) and not isinstance(text, bool):
        if isinstance(text, float) and math.isnan(text):
            return None, None
        return float(text), None
    raw = str(text).strip().rstrip("%").strip()
    if not raw:
        return None, None
    try:
        value = float(raw)
    except ValueError:
        return None, f"'{text}' is not a number"
    if math.isnan(value) or math.isinf(value):
        return None, f"'{text}' is not a number"
    return value, None


def parse_count(text: object) -> tuple[int | None, str | None]:
    value, problem = parse_number(text)
    if problem:
        return None, f"'{text}' is not a whole number of pupils"
    if value is None:
        return None, None
    if value != int(value) or value < 0:
        return None, f"'{text}' is not a whole number of pupils"
    return int(value), None


@dataclass(frozen=True)
class CheckedRow:
    cohort: int | None
    predicted_pupils: int | None
    value: float | None
    problems: tuple[tuple[str, str], ...]  # (column, message)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def empty(self) -> bool:
        return self.cohort is None and self.predicted_pupils is None and self.value is None


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_row(
    *, code: str, unit: str, cohort: object, predicted_pupils: object, value: object
) -> CheckedRow:
    """Check one measure-and-group row. Percentages may come as pupils of the cohort (the
    percentage is then worked out) or as the percentage itself; both must agree if given.
    """
    problems: list[tuple[str, str]] = []
    cohort_n, why = parse_count(cohort)
    if why:
        problems.append(("cohort", why))
    pupils_n, why = parse_count(predicted_pupils)
    if why:
        problems.append(("predicted_pupils", why))
    value_f, why = parse_number(value)
    if why:
        problems.append(("predicted_value", why))
    if problems:
        return CheckedRow(cohort_n, pupils_n, value_f, tuple(problems))
    if cohort_n is not None and cohort_n > MAX_COHORT:
        problems.append(("cohort", f"{cohort_n} pupils is more than one year group holds"))
    if cohort_n == 0 and (pupils_n or value_f is not None):
        problems.append(("cohort", "a prediction needs a cohort of at least one pupil"))
    if pupils_n is not None:
        if unit != PERCENT:
            problems.append(
                ("predicted_pupils", "a number of pupils only applies to percentage measures")
            )
        elif cohort_n is None:
            problems.append(("cohort", "give the cohort the predicted pupils are out of"))
        elif pupils_n > cohort_n:
            problems.append(
                (
                    "predicted_pupils",
                    f"{pupils_n} predicted pupils is more than the cohort of {cohort_n}",
                )
            )
    if value_f is not None:
        low, high = value_range(code, unit)
        if not low <= value_f <= high:
            problems.append(
                ("predicted_value", f"{_fmt(value_f)} is outside {_fmt(low)} to {_fmt(high)}")
            )
    if unit == PERCENT and pupils_n is not None and cohort_n and not problems:
        computed = 100.0 * pupils_n / cohort_n
        if value_f is not None and abs(value_f - computed) > 100.0 / cohort_n:
            problems.append(
                (
                    "predicted_value",
                    f"{_fmt(value_f)}% does not match {pupils_n} of {cohort_n} pupils "
                    f"({computed:.1f}%)",
                )
            )
        value_f = computed
    if unit == PERCENT and value_f is not None and pupils_n is None and cohort_n and not problems:
        pupils_n = round(value_f * cohort_n / 100.0)
    if not problems and value_f is None and (cohort_n is not None or pupils_n is not None):
        column = "predicted_pupils" if unit == PERCENT else "predicted_value"
        problems.append((column, "the prediction is missing"))
    return CheckedRow(cohort_n, pupils_n, value_f, tuple(problems))


# --- What predictions say --------------------------------------------------------------------


@dataclass(frozen=True)
class PredictedFigure:
    """One predicted headline figure (all pupils) with what it is compared with."""

    code: str
    name: str
    unit: str
    higher_is_better: bool
    predicted: float | None
    cohort: int | None = None
    last_year: float | None = None
    national: float | None = None


def change(f: PredictedFigure) -> float | None:
    """Predicted minus last year (oriented: negative = worse)."""
    return oriented_gap(f.predicted, f.last_year, higher_is_better=f.higher_is_better)


def is_drop(f: PredictedFigure) -> bool:
    delta = change(f)
    return delta is not None and round(-delta, 6) >= DROP_BY_UNIT.get(f.unit, math.inf)


def gap_to_national(f: PredictedFigure) -> float | None:
    """Predicted minus national (oriented: negative = worse)."""
    return oriented_gap(f.predicted, f.national, higher_is_better=f.higher_is_better)


def is_marginal(f: PredictedFigure) -> bool:
    """KS2 combined within ±5 points of national, or within 2 pupils of it."""
    if f.code != KS2_COMBINED:
        return False
    gap = gap_to_national(f)
    if gap is None:
        return False
    if abs(gap) <= MARGINAL_POINTS:
        return True
    if f.cohort:
        return abs(gap) * f.cohort / 100.0 <= MARGINAL_PUPILS
    return False


def is_well_below(f: PredictedFigure) -> bool:
    gap = gap_to_national(f)
    return gap is not None and round(-gap, 6) > WELL_BELOW_BY_UNIT.get(f.unit, math.inf)


@dataclass(frozen=True)
class PredictionSignalResult:
    level: str
    reasons: tuple[str, ...]
    drops: tuple[str, ...]
    marginal: bool


def prediction_signal(figures: list[PredictedFigure]) -> PredictionSignalResult:
    """The 3Ms signal from predictions alone.

    maximum:  a measure predicted to drop AND to finish well below national.
    moderate: a measure predicted to drop, or predicted well below national.
    minimum:  otherwise (a marginal KS2 combined figure is noted, not raised).
    """
    drops = tuple(f.name for f in figures if is_drop(f))
    below = tuple(f.name for f in figures if is_well_below(f))
    both = tuple(f.name for f in figures if is_drop(f) and is_well_below(f))
    marginal = any(is_marginal(f) for f in figures)
    reasons = []
    if both:
        level = MAXIMUM
        reasons.append("Predicted to drop and finish well below national: " + ", ".join(both) + ".")
    elif drops or below:
        level = MODERATE
    else:
        level = MINIMUM
    if drops and not both:
        reasons.append("Predicted to drop from last year: " + ", ".join(drops) + ".")
    if below and not both:
        reasons.append("Predicted well below national: " + ", ".join(below) + ".")
    if marginal:
        reasons.append(
            f"Marginal for KS2 reading, writing and maths combined (within {MARGINAL_POINTS:g} "
            f"points or {MARGINAL_PUPILS} pupils of national)."
        )
    if not reasons:
        reasons.append("No predicted drop or shortfall against national.")
    return PredictionSignalResult(level, tuple(reasons), drops, marginal)


def accuracy(predicted: float | None, actual: float | None) -> float | None:
    """Actual minus predicted (positive: the result beat the prediction)."""
    if predicted is None or actual is None:
        return None
    return actual - predicted


def mean_absolute_error(differences: list[float | None]) -> float | None:
    known = [abs(d) for d in differences if d is not None]
    return sum(known) / len(known) if known else None
