"""Gaps to national and to statistical neighbours, and gaps in pupils."""

import math

import pandas as pd
import pytest

from outcomes.calculations import gaps


@pytest.mark.parametrize(
    ("value", "comparator", "expected"),
    [
        (72.6, 74.3, -1.7),  # KS2 writing 2016: national printed as 74, gap from 74.3
        (47.6, 53.0, -5.4),
        (69.7, 69.3, 0.4),
        (53.0, 53.0, 0.0),
        (None, 53.0, None),  # suppressed LA value: no gap, never a gap against 0
        (47.6, None, None),
        (float("nan"), 53.0, None),
        (0.0, 10.0, -10.0),  # a real 0 is a value
    ],
)
def test_gap_is_value_minus_comparator_from_unrounded_values(value, comparator, expected):
    result = gaps.gap(value, comparator)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "comparator", "higher_is_better", "expected"),
    [
        (5.0, 4.0, True, 1.0),
        (5.0, 4.0, False, -1.0),  # absence: one point more absence is one point worse
        (4.0, 5.0, False, 1.0),
        (None, 5.0, False, None),
    ],
)
def test_oriented_gap_is_positive_when_better(value, comparator, higher_is_better, expected):
    result = gaps.oriented_gap(value, comparator, higher_is_better=higher_is_better)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([50.0, 52.0, 54.0], 52.0),
        ([50.0, None, 54.0], 52.0),  # a neighbour without a value is left out, not 0
        ([50.0, float("nan"), 56.0, None], 53.0),
        ([None, None], None),
        ([], None),
        ([0.0, 10.0], 5.0),
    ],
)
def test_neighbour_average_is_plain_mean_of_neighbours_with_a_value(values, expected):
    assert gaps.neighbour_average(values) == expected


@pytest.mark.parametrize(
    ("gap_points", "cohort", "expected"),
    [
        (-8.0, 25, -2),  # a small school's "-8 points" is 2 pupils
        (-8.0, 30, -2),  # -2.4 pupils
        (-10.0, 25, -3),  # -2.5 rounds away from zero
        (10.0, 25, 3),
        (-1.7, 2000, -34),
        (0.0, 30, 0),
        (-8.0, None, None),  # cohort unknown: no pupil figure
        (-8.0, 0, None),
        (None, 30, None),
    ],
)
def test_gap_in_pupils_is_gap_times_cohort_over_100_in_whole_pupils(gap_points, cohort, expected):
    assert gaps.gap_in_pupils(gap_points, cohort) == expected


def test_add_gaps_vectorised_matches_scalar_and_keeps_missing_missing():
    frame = pd.DataFrame(
        {
            "value": [72.6, None, 4.0],
            "national": [74.3, 70.0, 5.0],
            "higher_is_better": [True, True, False],
        }
    )
    out = gaps.add_gaps(frame, higher_is_better="higher_is_better")
    assert out["gap_national"].iloc[0] == pytest.approx(-1.7)
    assert math.isnan(out["gap_national"].iloc[1])
    assert out["oriented_gap_national"].tolist()[2] == pytest.approx(1.0)


def test_neighbour_averages_vectorised_skip_neighbours_without_value():
    values = pd.DataFrame(
        {
            "la": [851, 852, 853, 854],
            "measure": "KS2_RWM",
            "year": 2016,
            "group": "all",
            "value": [47.6, 50.0, None, 54.0],
        }
    )
    neighbours = pd.DataFrame({"la": [851, 851, 851], "neighbour": [852, 853, 854]})
    out = gaps.neighbour_averages(values, neighbours)
    row = out.set_index("la").loc[851]
    assert row["neighbour_average"] == pytest.approx(52.0)
    assert row["neighbour_count"] == 2


def test_gaps_in_pupils_for_arrays_are_the_single_figures_halves_away_from_zero():
    points = [-13.0, 2.5, -2.5, 0.3, 1.7, 5.0, float("nan"), 4.0, 61.3 - 58.1]
    cohorts = [30, 20, 20, 5, 14855, 0, 30, float("nan"), 25]
    expected = [
        gaps.gap_in_pupils(None if math.isnan(g) else g, None if math.isnan(c) else int(c))
        for g, c in zip(points, cohorts, strict=True)
    ]
    assert expected[:3] == [-4, 1, -1]  # half a pupil rounds away from zero
    assert gaps.gaps_in_pupils(points, cohorts) == expected
