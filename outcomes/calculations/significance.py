"""Significance of a progress score, and DfE's five progress bands.

Significance (DOMAIN.md 5): a 95% confidence interval wholly below the national average
(0 for progress scores) is "significantly below national", wholly above is "significantly
above national", anything touching or spanning it is "not significantly different".

Progress bands: DfE publishes a band per school ("Well above average" ... or 1-5); where the
published band is present it is used as published, otherwise it is computed by DfE's rule.
For Progress 8: well above = score at least 0.5 with the CI wholly above 0; above = CI wholly
above 0; average = CI includes 0; below = CI wholly below 0; well below = score below -0.5
with the CI wholly below 0. KS2 uses the same shape with a threshold DfE sets per subject
and year, hence ``well_threshold``.
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
