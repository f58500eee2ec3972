"""The pure rules: ranges, cohorts, drops, marginal KS2 RWM, the signal, accuracy."""

import pytest

from outcomes.predictions import calculations as calc


@pytest.mark.parametrize(
    ("unit", "code", "value", "ok"),
    [
        ("percent", "ks2_rwm_exp", "100", True),
        ("percent", "ks2_rwm_exp", "100.1", False),
        ("percent", "ks2_rwm_exp", "-1", False),
        ("progress", "ks2_read_prog", "-10", True),
        ("progress", "ks2_read_prog", "10.5", False),
        ("score", "ks4_att8", "90", True),
        ("score", "ks4_att8", "91", False),
    ],
)
def test_values_outside_sensible_ranges_are_refused(unit, code, value, ok):
    checked = calc.check_row(code=code, unit=unit, cohort="", predicted_pupils="", value=value)
    assert checked.ok is ok
    if not ok:
        assert checked.problems[0][0] == "predicted_value"
        assert "outside" in checked.problems[0][1]


def test_predicted_pupils_cannot_exceed_the_cohort():
    checked = calc.check_row(
        code="ks2_rwm_exp", unit="percent", cohort="30", predicted_pupils="31", value=""
    )
    assert checked.problems == (
        ("predicted_pupils", "31 predicted pupils is more than the cohort of 30"),
    )


def test_pupils_of_cohort_become_the_percentage():
    checked = calc.check_row(
        code="ks2_rwm_exp", unit="percent", cohort="40", predicted_pupils="26", value=""
    )
    assert checked.ok and checked.value == pytest.approx(65.0)


def test_a_percentage_that_disagrees_with_the_pupils_is_refused():
    checked = calc.check_row(
        code="ks2_rwm_exp", unit="percent", cohort="40", predicted_pupils="26", value="80"
    )
    assert checked.problems[0][0] == "predicted_value"
    assert "does not match 26 of 40" in checked.problems[0][1]


def test_text_in_a_number_cell_is_named():
    checked = calc.check_row(
        code="ks2_rwm_exp", unit="percent", cohort="thirty", predicted_pupils="", value=""
    )
    assert checked.problems == (("cohort", "'thirty' is not a whole number of pupils"),)


def _rwm(predicted, last=None, national=53.5, cohort=None):
    return calc.PredictedFigure(
        "ks2_rwm_exp", "KS2 RWM", "percent", True, predicted, cohort, last, national
    )


def test_a_drop_is_five_points_or_more_worse_than_last_year():
    assert calc.is_drop(_rwm(55.0, last=60.0))
    assert not calc.is_drop(_rwm(55.1, last=60.0))


def test_marginal_within_five_points_or_two_pupils_of_national():
    assert calc.is_marginal(_rwm(58.5))  # +5.0
    assert not calc.is_marginal(_rwm(60.0, cohort=60))  # +6.5 points = 3.9 pupils
    assert calc.is_marginal(_rwm(60.0, cohort=30))  # +6.5 points = 1.95 pupils
    assert not calc.is_marginal(
        calc.PredictedFigure("ks2_read_exp", "R", "percent", True, 53.5, None, None, 53.5)
    )


def test_signal_levels():
    assert calc.prediction_signal([_rwm(60.0, last=60.0, national=53.5)]).level == calc.MINIMUM
    moderate = calc.prediction_signal([_rwm(50.0, last=60.0, national=53.5)])
    assert moderate.level == calc.MODERATE
    assert moderate.drops == ("KS2 RWM",) and moderate.marginal
    maximum = calc.prediction_signal([_rwm(40.0, last=60.0, national=53.5)])
    assert maximum.level == calc.MAXIMUM
    assert "drop and finish well below national" in maximum.reasons[0]


def test_accuracy_is_result_minus_prediction():
    assert calc.accuracy(50.0, 56.0) == pytest.approx(6.0)
    assert calc.accuracy(50.0, None) is None
    assert calc.mean_absolute_error([6.0, -2.0, None]) == pytest.approx(4.0)
