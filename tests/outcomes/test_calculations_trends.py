"""Change from the previous year (consecutive years only), three-year trend, gap closing."""

import pandas as pd
import pytest

from outcomes.calculations import trends


@pytest.mark.parametrize(
    ("values", "year", "expected"),
    [
        ({2015: 44.1, 2016: 46.2}, 2016, 2.1),
        ({2014: 40.0, 2016: 46.2}, 2016, None),  # 2015 missing: no change from 2014
        ({2015: None, 2016: 46.2}, 2016, None),  # suppressed previous year
        ({2015: 44.1}, 2016, None),
        ({2015: 50.0, 2016: 50.0}, 2016, 0.0),
    ],
)
def test_change_only_between_consecutive_years(values, year, expected):
    result = trends.change_from_previous(values, year)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("change", "higher_is_better", "expected"),
    [
        (1.0, True, "improving"),
        (-1.0, True, "declining"),
        (0.0, True, "no change"),
        (-0.4, False, "improving"),  # absence fell
        (0.4, False, "declining"),
        (None, True, None),
    ],
)
def test_direction_respects_polarity(change, higher_is_better, expected):
    assert trends.direction(change, higher_is_better=higher_is_better) == expected


def test_three_year_trend_values_change_and_direction():
    trend = trends.three_year_trend(
        {2014: 50.0, 2015: 48.0, 2016: 53.0}, 2016, higher_is_better=True
    )
    assert trend.years == (2014, 2015, 2016)
    assert trend.values == (50.0, 48.0, 53.0)
    assert trend.change == pytest.approx(3.0)
    assert trend.direction == "improving"


def test_three_year_trend_without_the_first_year_has_no_change():
    trend = trends.three_year_trend({2015: 48.0, 2016: 53.0}, 2016, higher_is_better=True)
    assert trend.values == (None, 48.0, 53.0)
    assert trend.change is None
    assert trend.direction is None


@pytest.mark.parametrize(
    ("gaps", "higher_is_better", "expected"),
    [
        ({2015: -5.0, 2016: -3.0}, True, True),  # behind and closing
        ({2015: -3.0, 2016: -5.0}, True, False),  # widening
        ({2015: -3.0, 2016: -3.0}, True, False),  # not closing
        ({2015: -3.0, 2016: 1.0}, True, True),  # closed and overtaken
        ({2015: 2.0, 2016: 1.0}, True, None),  # was not behind
        ({2015: 0.0, 2016: -1.0}, True, None),  # level last year: not behind
        ({2015: 1.0, 2016: 0.5}, False, True),  # absence 1.0 above national, now 0.5
        ({2015: 0.5, 2016: 1.0}, False, False),
        ({2014: -5.0, 2016: -3.0}, True, None),  # not consecutive
        ({2015: None, 2016: -3.0}, True, None),
    ],
)
def test_gap_closing(gaps, higher_is_better, expected):
    assert trends.gap_closing(gaps, 2016, higher_is_better=higher_is_better) == expected


def test_add_trend_vectorised_never_bridges_a_missing_year():
    frame = pd.DataFrame(
        {
            "area": ["851"] * 3 + ["852"] * 2,
            "measure": "A8",
            "year": [2014, 2015, 2016, 2014, 2016],
            "value": [40.0, 44.1, 46.2, 50.0, 49.0],
            "gap_national": [-8.0, -4.0, -2.0, 2.0, 1.0],
            "higher_is_better": True,
        }
    )
    out = trends.add_trend(frame, keys=["area", "measure"]).set_index(["area", "year"])
    assert out.loc[("851", 2016), "change"] == pytest.approx(2.1)
    assert out.loc[("851", 2016), "change_3y"] == pytest.approx(6.2)
    assert out.loc[("851", 2016), "direction_3y"] == "improving"
    assert out.loc[("851", 2016), "gap_closing"] is True
    assert pd.isna(out.loc[("851", 2014), "change"])
    assert pd.isna(out.loc[("852", 2016), "change"])  # 2015 missing
    assert out.loc[("852", 2016), "change_3y"] == pytest.approx(-1.0)
    assert out.loc[("852", 2016), "direction_3y"] == "declining"
    assert out.loc[("852", 2016), "gap_closing"] is None
