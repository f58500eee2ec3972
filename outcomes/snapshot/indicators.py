"""The per-indicator columns LA figures and school figures share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..calculations import rag, significance, trends
from ..models import Measure

# Rows read from outcomes_result for a figure, as the frames name them.
RESULT_FLOATS = ("value", "ci_lower", "ci_upper", "cohort")
# Figure columns as the calculations name them -> as the snapshot models (IndicatorFigure,
# SchoolFigure) name them.
FIGURE_NAMES = {
    "gap_national": "gap",
    "change_3y": "trend_change",
    "direction_3y": "trend_direction",
}


def measure_rules(measure: Measure) -> dict:
    return {
        "higher_is_better": measure.higher_is_better,
        "has_quartile": measure.has_quartile,
        "tolerance": float(measure.rag_tolerance),
        "bottom_quartile_red": measure.rag_bottom_quartile_red,
        "improving_closing_amber": True,
        "trend_tolerance": trends.tolerance_for(measure.unit),
    }


def improving(frame: pd.DataFrame) -> pd.Series:
    """Better than the previous year (respecting polarity); False where unknown."""
    sign = np.where(frame["higher_is_better"].astype(bool), 1.0, -1.0)
    return pd.Series((frame["change"].to_numpy(dtype=float) * sign) > 0, index=frame.index)


def significances(frame: pd.DataFrame, measure: Measure) -> list[str]:
    """The CI against 0 (``significance``); blank for measures without a CI."""
    if not measure.has_confidence_interval:
        return [""] * len(frame)
    return [
        significance.significance(lo, hi) or ""
        for lo, hi in zip(frame["ci_lower"], frame["ci_upper"], strict=True)
    ]


def bands(frame: pd.DataFrame, measure: Measure, *, computed: bool) -> list[str]:
    """DfE's progress band: the published one (READPROG_DESCR, P8_BANDING) where stored,
    else (``computed``: schools) DfE's rule with the measure's threshold."""
    if not measure.has_confidence_interval:
        return [""] * len(frame)
    threshold = significance.well_threshold_for(measure.code)
    out = []
    for v, lo, hi, pub in zip(
        frame["value"], frame["ci_lower"], frame["ci_upper"], frame["published_band"], strict=True
    ):
        band = significance.parse_published_band(pub or None)
        if band is None and computed:
            band = significance.progress_band(v, lo, hi, well_threshold=threshold)
        out.append(band or "")
    return out


def add_rag(frame: pd.DataFrame) -> pd.DataFrame:
    """The indicator RAG: colour, reason code and the tolerance it was judged by (the words
    are formatted on read from these, the value and national: ``rag.figure_reason``)."""
    out = rag.add_indicator_rag(frame)
    out["rag_tolerance"] = out["tolerance"]
    return out


def nan_to_none(value):
    return None if value is None or pd.isna(value) else float(value)
