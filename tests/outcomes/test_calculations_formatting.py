"""Display: rounding by precision, signs, ranks in words; missing values never as numbers."""

import pytest

from outcomes.calculations import formatting as fmt


@pytest.mark.parametrize(
    ("value", "precision", "text"),
    [
        (74.3, 0, "74"),  # KS2 writing national 2016, printed as 74
        (72.6, 1, "72.6"),
        (72.65, 1, "72.7"),  # half away from zero, not banker's rounding
        (0.125, 2, "0.13"),
        (-1.65, 1, "-1.7"),
        (-0.04, 1, "0.0"),  # never "-0.0"
        (46.2, 1, "46.2"),
        (53.0, 0, "53"),
        (0.0, 1, "0.0"),  # a real zero is shown
    ],
)
def test_format_number(value, precision, text):
    assert fmt.format_number(value, precision) == text


@pytest.mark.parametrize(
    ("value", "state", "text"),
    [
        (None, None, "not available"),
        (float("nan"), None, "not available"),
        (None, "suppressed", "suppressed"),
        (None, "SUPP", "suppressed"),
        (12.0, "suppressed", "suppressed"),  # a suppressed value never leaks as a number
        (None, "c", "suppressed"),
        (None, "x", "not available"),
        (None, "z", "not applicable"),
        (None, "NE", "no pupils entered"),
        (None, "LOWCOV", "low coverage"),
        (None, "low_coverage", "low coverage"),
        (None, "some_new_state", "some new state"),
    ],
)
def test_missing_values_are_words(value, state, text):
    assert fmt.format_number(value, 1, state=state) == text
    assert fmt.format_gap(value, 1, state=state) == text


@pytest.mark.parametrize(
    ("gap", "text"),
    [
        (0.4, "+0.4"),
        (-1.7, "-1.7"),
        (0.0, "0.0"),
        (-0.04, "0.0"),
        (0.8, "+0.8"),
        (None, "not available"),
    ],
)
def test_format_gap_has_a_sign(gap, text):
    assert fmt.format_gap(gap, 1) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (140, "140th"),
    ],
)
def test_ordinal(n, text):
    assert fmt.ordinal(n) == text


def test_rank_text():
    assert fmt.rank_text(140, 150, joint=True) == "joint 140th of 150"
    assert fmt.rank_text(119, 150) == "119th of 150"
    assert fmt.rank_text(None, 150) == "no rank"


@pytest.mark.parametrize(
    ("pupils", "text"), [(-2, "2 pupils"), (1, "1 pupil"), (0, "0 pupils"), (None, "")]
)
def test_pupils_text(pupils, text):
    assert fmt.pupils_text(pupils) == text


def test_format_percent():
    assert fmt.format_percent(47.6) == "47.6%"
    assert fmt.format_percent(None, state="suppressed") == "suppressed"
