"""Group gaps: disadvantaged vs other pupils nationally, boys vs girls, SEN support vs all."""

import pandas as pd
import pytest

from outcomes.calculations import groups


def test_group_gaps_use_the_right_comparators():
    la = {"all": 47.6, "disadvantaged": 36.0, "boys": 44.0, "girls": 51.0, "sen_support": 12.0}
    national = {"all": 53.0, "disadvantaged": 39.0, "non_disadvantaged": 60.0}
    result = {g.comparison.name: g for g in groups.group_gaps(la, national)}
    disadvantaged = result["Disadvantaged vs other pupils nationally"]
    assert disadvantaged.comparator == 60.0  # national NON-disadvantaged, not the LA's
    assert disadvantaged.gap == pytest.approx(-24.0)
    assert result["Boys vs girls"].gap == pytest.approx(-7.0)
    assert result["SEN support vs all pupils"].gap == pytest.approx(-35.6)


def test_missing_group_value_gives_no_gap():
    result = groups.group_gaps({"all": 50.0, "boys": None, "girls": 52.0}, {})
    assert all(g.gap is None for g in result)


def test_add_group_gaps_vectorised():
    frame = pd.DataFrame(
        {
            "area": ["851", "851", "851", "852", "852"],
            "measure": "KS2_RWM",
            "year": 2016,
            "group": ["disadvantaged", "boys", "girls", "disadvantaged", "boys"],
            "value": [36.0, 44.0, 51.0, 40.0, 50.0],
        }
    )
    national = pd.DataFrame(
        {"measure": "KS2_RWM", "year": 2016, "group": ["non_disadvantaged"], "value": [60.0]}
    )
    out = groups.add_group_gaps(frame, national).set_index(["area", "comparison"])
    assert out.loc[("851", "Disadvantaged vs other pupils nationally"), "gap"] == pytest.approx(
        -24.0
    )
    assert out.loc[("852", "Disadvantaged vs other pupils nationally"), "gap"] == pytest.approx(
        -20.0
    )
    assert out.loc[("851", "Boys vs girls"), "gap"] == pytest.approx(-7.0)
    assert pd.isna(out.loc[("852", "Boys vs girls"), "gap"])  # no girls figure
