"""Progress towards a target: met / on track / not on track, with the numbers."""

import pytest

from outcomes.calculations import targets as t


@pytest.mark.parametrize(
    ("rank", "n", "percent", "status", "required"),
    [
        (75, 150, 50, "met", 75),  # exactly the last place in the top half
        (76, 150, 50, "not on track", 75),
        (1, 150, 25, "met", 37),
        (37, 150, 25, "met", 37),
        (38, 150, 25, "not on track", 37),
        (75, 151, 50, "met", 75),  # 75.5 -> 75th is the last place inside 50%
        (76, 151, 50, "not on track", 75),
    ],
)
def test_top_percent_of_las(rank, n, percent, status, required):
    progress = t.target_progress(
        kind=t.TOP_PERCENT, year=2016, due_year=2016, rank=rank, n=n, threshold=percent
    )
    assert progress.status == status
    assert progress.required == required


def test_top_percent_text_says_how_far_to_climb():
    progress = t.target_progress(
        kind=t.TOP_PERCENT, year=2016, due_year=2018, rank=140, n=150, threshold=50
    )
    assert (
        progress.text == "Ranked 140 of 150; the top 50% needs 75 or better (65 places to climb)."
    )


@pytest.mark.parametrize(
    ("rank", "status"),
    [
        (100, "on track"),  # line from 140 (2016) to 75 (2018): 107.5 expected in 2017
        (107, "on track"),
        (108, "not on track"),
    ],
)
def test_top_percent_on_track_against_a_straight_line_from_the_baseline(rank, status):
    progress = t.target_progress(
        kind=t.TOP_PERCENT,
        year=2017,
        due_year=2018,
        rank=rank,
        n=150,
        threshold=50,
        baseline=140,
        baseline_year=2016,
    )
    assert progress.status == status
    assert progress.expected_now == pytest.approx(107.5)


@pytest.mark.parametrize(
    ("value", "national", "year", "status"),
    [
        (50.3, 53.0, 2018, "met"),  # gap -2.7 = half of -5.4 exactly
        (50.2, 53.0, 2018, "not on track"),  # due year passed, gap -2.8
        (49.0, 53.0, 2017, "on track"),  # line: -5.4 -> -2.7, -4.05 expected in 2017
        (48.9, 53.0, 2017, "not on track"),
        (None, 53.0, 2017, "no data"),
    ],
)
def test_halve_the_gap(value, national, year, status):
    progress = t.target_progress(
        kind=t.HALVE_GAP,
        year=year,
        due_year=2018,
        value=value,
        national=national,
        baseline=-5.4,
        baseline_year=2016,
    )
    assert progress.status == status


def test_halve_the_gap_for_absence_where_above_national_is_worse():
    # absence 1.0 above national at baseline: halving needs 0.5 above or less
    met = t.target_progress(
        kind=t.HALVE_GAP,
        year=2018,
        due_year=2018,
        higher_is_better=False,
        value=5.0,
        national=4.5,
        baseline=1.0,
    )
    missed = t.target_progress(
        kind=t.HALVE_GAP,
        year=2018,
        due_year=2018,
        higher_is_better=False,
        value=5.1,
        national=4.5,
        baseline=1.0,
    )
    assert (met.status, missed.status) == ("met", "not on track")
    assert met.required == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("value", "previous", "year", "status"),
    [
        (53.1, None, 2017, "met"),
        (53.0, None, 2018, "not on track"),  # level with national is not better than it
        (52.0, -3.0, 2017, "on track"),  # no baseline: moved the right way since last year
        (52.0, -0.5, 2017, "not on track"),
    ],
)
def test_better_than_national(value, previous, year, status):
    progress = t.target_progress(
        kind=t.BETTER_THAN_NATIONAL,
        year=year,
        due_year=2018,
        value=value,
        national=53.0,
        previous=previous,
    )
    assert progress.status == status


@pytest.mark.parametrize(
    ("value", "higher_is_better", "status"),
    [
        (60.0, True, "met"),
        (59.9, True, "not on track"),
        (4.0, False, "met"),  # absence at most 4.0
        (4.1, False, "not on track"),
    ],
)
def test_at_least_a_value(value, higher_is_better, status):
    threshold = 60.0 if higher_is_better else 4.0
    progress = t.target_progress(
        kind=t.AT_LEAST,
        year=2018,
        due_year=2018,
        higher_is_better=higher_is_better,
        value=value,
        threshold=threshold,
    )
    assert progress.status == status


def test_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="Unknown target kind 'bottom'"):
        t.target_progress(kind="bottom", year=2016, due_year=2018)
