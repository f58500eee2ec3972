"""Quartile bands A (best) to D as LAIT computes them."""

import numpy as np
import pandas as pd
import pytest

from outcomes.calculations import quartiles

# Values 1..9: Q25 = 3, Q50 = 5, Q75 = 7 exactly (linear interpolation).
NINE = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]


def test_cuts_use_linear_interpolation():
    assert quartiles.quartile_cuts(NINE) == (3.0, 5.0, 7.0)
    # 1,2,3,4: Q25 = 1.75, Q50 = 2.5, Q75 = 3.25 (numpy's default method)
    assert quartiles.quartile_cuts([4.0, 1.0, 3.0, 2.0]) == (1.75, 2.5, 3.25)
    assert quartiles.quartile_cuts([None, 2.0, float("nan")]) == (2.0, 2.0, 2.0)
    assert quartiles.quartile_cuts([None]) is None


@pytest.mark.parametrize(
    ("value", "higher_is_better", "band"),
    [
        # higher is better: <= Q25 D, <= Q50 C, <= Q75 B, else A; edges exactly on the cuts
        (1.0, True, "D"),
        (3.0, True, "D"),  # exactly Q25
        (4.0, True, "C"),
        (5.0, True, "C"),  # exactly Q50
        (6.0, True, "B"),
        (7.0, True, "B"),  # exactly Q75
        (8.0, True, "A"),
        (9.0, True, "A"),
        # lower is better, as LAIT: <= Q25 A, <= Q50 B, <= Q75 C, else D (upper bounds
        # inclusive here too, so a value on a cut takes the better band)
        (1.0, False, "A"),
        (3.0, False, "A"),  # exactly Q25
        (4.0, False, "B"),
        (5.0, False, "B"),  # exactly Q50: B, where higher-is-better gives C
        (6.0, False, "C"),
        (7.0, False, "C"),  # exactly Q75
        (8.0, False, "D"),
        (9.0, False, "D"),
    ],
)
def test_band_edges(value, higher_is_better, band):
    assert quartiles.quartile_band(value, NINE, higher_is_better=higher_is_better) == band


def test_missing_values_and_measures_without_quartile_have_no_band():
    assert quartiles.quartile_band(None, NINE, higher_is_better=True) is None
    assert quartiles.quartile_band(5.0, NINE, higher_is_better=True, has_quartile=False) is None
    # other LAs' missing values do not move the cuts
    assert quartiles.quartile_band(3.0, [*NINE, None, None], higher_is_better=True) == "D"


def test_vectorised_bands_match_scalar_for_each_measure_and_polarity():
    rng = np.random.default_rng(3)
    rows = []
    for measure, hib, flag in [("A", True, True), ("B", False, True), ("C", True, False)]:
        values = np.round(rng.normal(50, 10, 150), 0)
        values[5] = np.nan
        for la, v in enumerate(values):
            rows.append((measure, 2016, "all", la, v, hib, flag))
    frame = pd.DataFrame(
        rows,
        columns=["measure", "year", "group", "la", "value", "higher_is_better", "has_quartile"],
    )
    out = quartiles.add_quartile_bands(frame)
    for measure, group in out.groupby("measure"):
        hib, flag = bool(group.higher_is_better.iloc[0]), bool(group.has_quartile.iloc[0])
        values = group["value"].tolist()
        for value, band in zip(values, group["quartile"], strict=True):
            expected = quartiles.quartile_band(
                value, values, higher_is_better=hib, has_quartile=flag
            )
            if expected is None:
                assert pd.isna(band), (measure, value)
            else:
                assert band == expected, (measure, value)
    assert set(out[out.measure == "A"]["quartile"].dropna()) == {"A", "B", "C", "D"}
