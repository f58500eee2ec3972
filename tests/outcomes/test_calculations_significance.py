"""Significance words and DfE's five progress bands."""

import pytest

from outcomes.calculations import significance as sig


@pytest.mark.parametrize(
    ("lower", "upper", "words"),
    [
        (-2.3, -0.9, "significantly below national"),  # Portsmouth KS2 reading 2016
        (-0.01, -0.0001, "significantly below national"),
        (-1.0, 0.0, "not significantly different"),  # touching 0 is not significant
        (0.0, 1.0, "not significantly different"),
        (-0.5, 0.5, "not significantly different"),
        (0.0001, 1.0, "significantly above national"),
        (1.0, 0.2, "significantly above national"),  # bounds given the wrong way round
        (None, 1.0, None),  # no CI, no words
        (-1.0, None, None),
    ],
)
def test_significance_from_the_confidence_interval(lower, upper, words):
    assert sig.significance(lower, upper) == words


def test_significance_against_a_non_zero_national():
    assert sig.significance(44.0, 46.0, national=48.5) == "significantly below national"
    assert sig.significance(47.0, 50.0, national=48.5) == "not significantly different"


@pytest.mark.parametrize(
    ("score", "lower", "upper", "band"),
    [
        # Progress 8: well above = score >= 0.5 with CI wholly above 0
        (0.5, 0.2, 0.8, "Well above average"),
        (0.49, 0.2, 0.78, "Above average"),
        (0.6, -0.1, 1.3, "Average"),  # CI includes 0: average whatever the score
        (0.1, 0.0, 0.2, "Average"),  # CI touching 0 includes it
        (-0.3, -0.6, -0.01, "Below average"),
        (-0.5, -0.8, -0.2, "Below average"),  # exactly -0.5 is not below -0.5
        (-0.51, -0.8, -0.2, "Well below average"),
        (None, -0.8, -0.2, None),
        (-0.6, None, None, None),
    ],
)
def test_progress_band_computed_by_dfe_rule(score, lower, upper, band):
    assert sig.progress_band(score, lower, upper) == band


@pytest.mark.parametrize(
    ("published", "band"),
    [
        ("Well above average", "Well above average"),
        ("  well BELOW  average ", "Well below average"),
        ("1", "Well above average"),
        (5, "Well below average"),
        ("3", "Average"),
    ],
)
def test_published_band_is_used_as_published(published, band):
    # the computed band would be "Average": the published one wins
    assert sig.progress_band(0.1, -0.2, 0.4, published=published) == band


@pytest.mark.parametrize("published", [None, "", " ", "SUPP", "NE"])
def test_unusable_published_band_falls_back_to_the_rule(published):
    assert sig.progress_band(-1.6, -2.3, -0.9, published=published) == "Well below average"


def test_ks2_well_threshold_is_configurable():
    assert sig.progress_band(-1.6, -2.3, -0.9, well_threshold=2.0) == "Below average"
