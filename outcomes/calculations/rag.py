"""The indicator RAG (DOMAIN.md 5), configurable per measure, with the reason for it.

Rule, checked in this order (the first that applies decides):

1. no value (missing or suppressed)                          -> none
2. meets its target                                           -> green
   Progress scores (a confidence interval): significance decides, never the point estimate
3. DfE band "Well below average"                              -> red
4. CI includes 0 or is above it (not significantly different, or significantly above)
                                                              -> green ("not significantly
                                                                 different" is never red)
5. significantly below, DfE band "Below average"              -> amber
6. significantly below, no band (an LA), within the tolerance -> amber
7. significantly below, no band, beyond the tolerance         -> red
   Attainment (no CI)
8. at or better than national                                 -> green
9. in the bottom quartile of LAs (if the measure says so)     -> red
10. worse than national by no more than the tolerance         -> amber
11. worse beyond the tolerance, but improving and closing     -> amber (if the measure says so)
12. a school's percentage: worse beyond the tolerance, but by fewer than
    ``SMALL_GAP_PUPILS`` pupils of its cohort                 -> amber (one pupil in a class
                                                                 of 30 is 3.3 points)
13. worse than national beyond the tolerance                  -> red
14. no national figure to compare with                        -> none

Gaps are compared unrounded; a gap exactly equal to the tolerance is within it (amber).
The same decision runs on one indicator (``indicator_rag``) or on a whole DataFrame
(``add_indicator_rag``), so the nightly run and a page can never disagree.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pep_portal.platform.rag import FIGURE_RAGS

from . import significance as sig
from ._values import DECIMALS, as_float
from .formatting import format_number

RED, AMBER, GREEN, NONE = (member.value for member in FIGURE_RAGS)

# Reason codes, in the order the rule checks them, with their colour and words.
NO_VALUE = "no_value"
TARGET_MET = "target_met"
AT_OR_BETTER = "at_or_better"
BOTTOM_QUARTILE = "bottom_quartile"
WITHIN_TOLERANCE = "within_tolerance"
IMPROVING_CLOSING = "improving_closing"
BEYOND_TOLERANCE = "beyond_tolerance"
NO_NATIONAL = "no_national"
WELL_BELOW = "well_below"
NOT_SIGNIFICANTLY_BELOW = "not_significantly_below"
BELOW_BAND = "below_band"
SIGNIFICANTLY_BELOW_WITHIN = "significantly_below_within"
SIGNIFICANTLY_BELOW_BEYOND = "significantly_below_beyond"
FEW_PUPILS = "few_pupils"

# A school's percentage gap beyond the tolerance is red only from this many pupils.
SMALL_GAP_PUPILS = 3

COLOUR = {
    NO_VALUE: NONE,
    TARGET_MET: GREEN,
    AT_OR_BETTER: GREEN,
    BOTTOM_QUARTILE: RED,
    WITHIN_TOLERANCE: AMBER,
    IMPROVING_CLOSING: AMBER,
    BEYOND_TOLERANCE: RED,
    NO_NATIONAL: NONE,
    WELL_BELOW: RED,
    NOT_SIGNIFICANTLY_BELOW: GREEN,
    BELOW_BAND: AMBER,
    SIGNIFICANTLY_BELOW_WITHIN: AMBER,
    SIGNIFICANTLY_BELOW_BEYOND: RED,
    FEW_PUPILS: AMBER,
}

REASON_TEMPLATES = {
    NO_VALUE: "No value to judge (suppressed, not published or not available).",
    TARGET_MET: "Meets its target.",
    AT_OR_BETTER: "At or better than national ({value} against {national}).",
    BOTTOM_QUARTILE: "In the bottom quartile of local authorities (band D).",
    WITHIN_TOLERANCE: "{gap} {worse} national, within the tolerance of {tolerance}.",
    IMPROVING_CLOSING: (
        "{gap} {worse} national, beyond the tolerance of {tolerance}, "
        "but improving and closing the gap."
    ),
    BEYOND_TOLERANCE: "{gap} {worse} national, beyond the tolerance of {tolerance}.",
    NO_NATIONAL: "No national figure to compare with.",
    WELL_BELOW: "Progress {value}: well below average (DfE band).",
    NOT_SIGNIFICANTLY_BELOW: (
        "Progress {value}: not significantly below national (the confidence interval "
        "reaches 0 or lies above it)."
    ),
    BELOW_BAND: "Progress {value}: below average (significantly below 0, DfE band).",
    SIGNIFICANTLY_BELOW_WITHIN: (
        "Progress {value}: significantly below national, within the tolerance of {tolerance}."
    ),
    SIGNIFICANTLY_BELOW_BEYOND: (
        "Progress {value}: significantly below national, beyond the tolerance of {tolerance}."
    ),
    FEW_PUPILS: (
        "{gap} {worse} national, beyond the tolerance of {tolerance} but fewer than "
        f"{SMALL_GAP_PUPILS} pupils of the cohort."
    ),
}

# The placeholders each reason's words use.
_TEMPLATE_FIELDS = {
    code: frozenset(name for _, name, _, _ in string.Formatter().parse(words) if name)
    for code, words in REASON_TEMPLATES.items()
}

# The rule in words, for the pages' small print (the same order as ``_decide``).
RULE_TEXT = (
    "Indicator RAG. Progress scores: significance decides (confidence interval against 0): "
    "well below average (DfE band) is red; not significantly different or above is green, "
    "never red; below average is amber (for an LA: amber within the measure's tolerance, red "
    "beyond it). Attainment: green at or better than national or meeting its target; red in "
    "the bottom quartile of LAs; amber within the measure's tolerance of national, or beyond "
    "it but improving and closing the gap, or (a school) fewer than "
    f"{SMALL_GAP_PUPILS} pupils short; red otherwise."
)

# Sensible defaults by unit (officers change them per measure): how far worse than national
# a figure may be and still be amber, in the measure's own units.
DEFAULT_TOLERANCE_BY_UNIT = {
    "percent": 2.0,  # percentage points
    "score": 1.0,  # e.g. Attainment 8 points
    "progress": 0.5,  # progress score
}


@dataclass(frozen=True)
class RagRule:
    """How one measure's RAG is set. ``tolerance`` is in the measure's units."""

    tolerance: float = 2.0
    bottom_quartile_red: bool = True
    improving_closing_amber: bool = True

    @classmethod
    def default_for(cls, unit: str) -> RagRule:
        return cls(tolerance=DEFAULT_TOLERANCE_BY_UNIT.get(unit, 2.0))


@dataclass(frozen=True)
class Rag:
    colour: str
    code: str
    reason: str


def _decide(
    *,
    value: np.ndarray,
    national: np.ndarray,
    higher_is_better: np.ndarray,
    tolerance: np.ndarray,
    bottom_quartile_red: np.ndarray,
    improving_closing_amber: np.ndarray,
    quartile: np.ndarray,
    target_met: np.ndarray,
    improving: np.ndarray,
    gap_closing: np.ndarray,
    significance: np.ndarray | None = None,
    band: np.ndarray | None = None,
    gap_pupils: np.ndarray | None = None,
) -> np.ndarray:
    """Reason codes for arrays of indicators (the one place the rule is written)."""
    size = len(value)
    if significance is None:
        significance = np.full(size, "", dtype=object)
    if band is None:
        band = np.full(size, "", dtype=object)
    if gap_pupils is None:
        gap_pupils = np.full(size, np.nan)
    sign = np.where(higher_is_better, 1.0, -1.0)
    # NaN where either is missing; rounded so a gap exactly on the tolerance is on it.
    oriented = np.round((value - national) * sign, DECIMALS)
    has_value = ~np.isnan(value)
    has_national = ~np.isnan(national)
    progress = (significance == sig.SIGNIFICANTLY_BELOW) | (significance == sig.NOT_SIGNIFICANT)
    progress |= significance == sig.SIGNIFICANTLY_ABOVE
    sig_below = significance == sig.SIGNIFICANTLY_BELOW
    has_band = band != ""
    few_pupils = ~np.isnan(gap_pupils) & (np.abs(gap_pupils) < SMALL_GAP_PUPILS)
    own_gap = np.round(value * np.where(higher_is_better, 1.0, -1.0), DECIMALS)
    conditions = [
        ~has_value,
        target_met,
        progress & (band == sig.WELL_BELOW),
        progress & ~sig_below,
        progress & (band == sig.BELOW),
        progress & ~has_band & (own_gap >= -tolerance),
        progress,
        has_national & (oriented >= 0),
        bottom_quartile_red & (quartile == "D"),
        has_national & (oriented >= -tolerance),
        has_national & improving_closing_amber & improving & gap_closing,
        has_national & few_pupils,
        has_national,
    ]
    codes = [
        NO_VALUE,
        TARGET_MET,
        WELL_BELOW,
        NOT_SIGNIFICANTLY_BELOW,
        BELOW_BAND,
        SIGNIFICANTLY_BELOW_WITHIN,
        SIGNIFICANTLY_BELOW_BEYOND,
        AT_OR_BETTER,
        BOTTOM_QUARTILE,
        WITHIN_TOLERANCE,
        IMPROVING_CLOSING,
        FEW_PUPILS,
        BEYOND_TOLERANCE,
    ]
    return np.select(conditions, codes, default=NO_NATIONAL).astype(object)


def _fmt(value: float | None, precision: int) -> str:
    return format_number(value, precision)


def indicator_rag(
    *,
    value: float | None,
    national: float | None,
    higher_is_better: bool = True,
    rule: RagRule | None = None,
    quartile: str | None = None,
    target_met: bool | None = None,
    improving: bool | None = None,
    gap_closing: bool | None = None,
    significance: str | None = None,
    band: str | None = None,
    gap_pupils: int | None = None,
    precision: int = 1,
) -> Rag:
    """The RAG of one indicator, with its reason in words.

    ``significance`` (the words of ``significance.significance``) and ``band`` (DfE's
    progress band) make it a progress score's RAG; ``gap_pupils`` a school percentage's."""
    rule = rule or RagRule()
    value_f, national_f = as_float(value), as_float(national)
    code = _decide(
        value=np.array([np.nan if value_f is None else value_f]),
        national=np.array([np.nan if national_f is None else national_f]),
        higher_is_better=np.array([higher_is_better]),
        tolerance=np.array([float(rule.tolerance)]),
        bottom_quartile_red=np.array([rule.bottom_quartile_red]),
        improving_closing_amber=np.array([rule.improving_closing_amber]),
        quartile=np.array([quartile or ""], dtype=object),
        target_met=np.array([bool(target_met)]),
        improving=np.array([bool(improving)]),
        gap_closing=np.array([bool(gap_closing)]),
        significance=np.array([significance or ""], dtype=object),
        band=np.array([band or ""], dtype=object),
        gap_pupils=np.array([np.nan if gap_pupils is None else float(gap_pupils)]),
    )[0]
    reason = reason_text(
        code,
        value=value_f,
        national=national_f,
        tolerance=rule.tolerance,
        higher_is_better=higher_is_better,
        precision=precision,
    )
    return Rag(colour=COLOUR[code], code=code, reason=reason)


def add_indicator_rag(
    frame: pd.DataFrame,
    *,
    value: str = "value",
    national: str = "national",
    higher_is_better: str = "higher_is_better",
    tolerance: str = "tolerance",
    bottom_quartile_red: str = "bottom_quartile_red",
    improving_closing_amber: str = "improving_closing_amber",
    quartile: str | None = "quartile",
    target_met: str | None = "target_met",
    improving: str | None = "improving",
    gap_closing: str | None = "gap_closing",
    significance: str | None = "significance",
    band: str | None = "progress_band",
    gap_pupils: str | None = "gap_pupils",
) -> pd.DataFrame:
    """Vectorised RAG: adds ``rag`` (colour) and ``rag_code`` (reason code) to every row.

    Optional columns may be absent (pass None): they count as "no" (no quartile, no target
    met, not improving, not closing). The reason's words come from ``reason_text``.
    """
    size = len(frame)

    def column(name: str | None, default: object) -> np.ndarray:
        if name is None or name not in frame:
            return np.full(size, default, dtype=object)
        return np.asarray(frame[name].to_numpy(dtype=object))

    def flags(name: str | None) -> np.ndarray:
        if name is None or name not in frame:
            return np.zeros(size, dtype=bool)
        return np.asarray(frame[name].astype("boolean").fillna(False).to_numpy(dtype=bool))

    def text(name: str | None) -> np.ndarray:
        if name is None or name not in frame:
            return np.full(size, "", dtype=object)
        return np.asarray(frame[name].fillna("").astype(str).to_numpy(dtype=object))

    codes = _decide(
        value=pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=float),
        national=pd.to_numeric(frame[national], errors="coerce").to_numpy(dtype=float),
        higher_is_better=frame[higher_is_better].astype(bool).to_numpy(),
        tolerance=frame[tolerance].astype(float).to_numpy(),
        bottom_quartile_red=frame[bottom_quartile_red].astype(bool).to_numpy(),
        improving_closing_amber=frame[improving_closing_amber].astype(bool).to_numpy(),
        quartile=column(quartile, ""),
        target_met=flags(target_met),
        improving=flags(improving),
        gap_closing=flags(gap_closing),
        significance=text(significance),
        band=text(band),
        gap_pupils=(
            pd.to_numeric(frame[gap_pupils], errors="coerce").to_numpy(dtype=float)
            if gap_pupils is not None and gap_pupils in frame
            else None
        ),
    )
    out = frame.copy()
    out["rag_code"] = codes
    out["rag"] = [COLOUR[c] for c in codes]
    return out


def reason_text(
    code: str,
    *,
    value: float | None = None,
    national: float | None = None,
    tolerance: float | None = None,
    higher_is_better: bool = True,
    precision: int = 1,
) -> str:
    """The words for a reason code stored by the nightly run."""
    template = REASON_TEMPLATES[code]
    used = _TEMPLATE_FIELDS[code]  # only the numbers the words show (a page's every cell)
    if not used:
        return template
    value_f, national_f = as_float(value), as_float(national)
    words: dict[str, str] = {}
    if "value" in used:
        words["value"] = _fmt(value_f, precision)
    if "national" in used:
        words["national"] = _fmt(national_f, precision)
    if "gap" in used:
        gap = None if value_f is None or national_f is None else abs(value_f - national_f)
        words["gap"] = _fmt(gap, precision)
    if "tolerance" in used:
        words["tolerance"] = _fmt(as_float(tolerance), precision)
    if "worse" in used:
        words["worse"] = "below" if higher_is_better else "above"
    return template.format(**words)


def figure_reason(
    *,
    words: str | None,
    code: str | None,
    value: float | None,
    national: float | None,
    tolerance: float | None,
    higher_is_better: bool,
    precision: int,
) -> str:
    """The words for a snapshot figure's RAG, as a page or the API shows them.

    The nightly run stores the reason's code and the tolerance it judged by (formatting the
    words for every figure was a seventh of its time); the words are made here, when read.
    ``words`` are the words a figure stored before codes were (a snapshot published by an
    older run): shown as they are."""
    if words or not code or code not in REASON_TEMPLATES:
        return words or ""
    return reason_text(
        code,
        value=value,
        national=national,
        tolerance=tolerance,
        higher_is_better=higher_is_better,
        precision=precision,
    )
