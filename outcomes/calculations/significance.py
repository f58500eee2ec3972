"""Significance of a progress score, and DfE's five progress bands.

Significance (DOMAIN.md 5; README "Rules for the numbers"): a progress score's 95% confidence
interval is tested against 0, the national average by construction, as DfE does: wholly
below 0 is "significantly below national", wholly above is "significantly above national",
anything touching or spanning 0 is "not significantly different". Never against a published
national row: a Progress 8 of 0.22 with CI -0.01 to 0.45 is "not significantly different"
on every page and in the API, whatever the national state-funded figure (-0.03) is.

Progress bands: DfE publishes a band per school ("Well above average" ... or 1-5); where the
published band is present it is used as published, otherwise it is computed by DfE's rule.
For Progress 8: well above = score at least 0.5 with the CI wholly above 0; above = CI wholly
above 0; average = CI includes 0; below = CI wholly below 0; well below = score below -0.5
with the CI wholly below 0. KS2 uses the same shape with a threshold DfE sets per subject
and year, hence ``well_threshold``; ``WELL_THRESHOLD`` holds it per measure code (KS2:
read from DfE's 2018/19 files, where bands 4 and 5 part at about -2.9 reading, -2.5 writing
and -3.2 maths). The published band always wins over the computed one.
"""

from __future__ import annotations

from ._values import as_float

SIGNIFICANTLY_BELOW = "significantly below national"
SIGNIFICANTLY_ABOVE = "significantly above national"
NOT_SIGNIFICANT = "not significantly different"

WELL_ABOVE = "Well above average"
ABOVE = "Above average"
AVERAGE = "Average"
BELOW = "Below average"
WELL_BELOW = "Well below average"
BANDS = (WELL_ABOVE, ABOVE, AVERAGE, BELOW, WELL_BELOW)

# DfE numbers its bands 1 (well above) to 5 (well below) in some downloads.
WELL_THRESHOLD = {
    "ks4_p8": 0.5,
    "ks2_read_prog": 2.9,
    "ks2_writ_prog": 2.5,
    "ks2_mat_prog": 3.2,
}
DEFAULT_WELL_THRESHOLD = 0.5


def well_threshold_for(code: str) -> float:
    return WELL_THRESHOLD.get(code, DEFAULT_WELL_THRESHOLD)


_BAND_BY_NUMBER = {str(i): band for i, band in enumerate(BANDS, start=1)}
_BAND_BY_TEXT = {band.lower(): band for band in BANDS}


def significance(lower: float | None, upper: float | None, *, national: float = 0.0) -> str | None:
    """Words for a confidence interval against the national value; None without a CI.

    The interval is closed: a bound exactly on the national value is "not significantly
    different".
    """
    lower, upper = as_float(lower), as_float(upper)
    if lower is None or upper is None:
        return None
    if lower > upper:
        lower, upper = upper, lower
    if upper < national:
        return SIGNIFICANTLY_BELOW
    if lower > national:
        return SIGNIFICANTLY_ABOVE
    return NOT_SIGNIFICANT


def parse_published_band(text: str | int | None) -> str | None:
    """A published band ("Well above average", "well below average", "1"..."5") or None."""
    if text is None:
        return None
    cleaned = " ".join(str(text).strip().split()).lower()
    if not cleaned:
        return None
    if cleaned in _BAND_BY_NUMBER:
        return _BAND_BY_NUMBER[cleaned]
    return _BAND_BY_TEXT.get(cleaned)


def progress_band(
    score: float | None,
    lower: float | None,
    upper: float | None,
    *,
    published: str | int | None = None,
    well_threshold: float = 0.5,
) -> str | None:
    """DfE's five-way band: the published band where present, else DfE's rule.

    None when there is neither a usable published band nor a score with its CI.
    """
    band = parse_published_band(published)
    if band is not None:
        return band
    score = as_float(score)
    words = significance(lower, upper)
    if score is None or words is None:
        return None
    if words == SIGNIFICANTLY_ABOVE:
        return WELL_ABOVE if score >= well_threshold else ABOVE
    if words == SIGNIFICANTLY_BELOW:
        return WELL_BELOW if score < -well_threshold else BELOW
    return AVERAGE
