"""The written-down rules: minimum pool for a rank, comparable pools, trend tolerance,
significance against 0, progress RAG, the school RAG. Values are worked by hand."""

import pandas as pd
import pytest

from outcomes.calculations import rag, rank_pool, school_rag, significance, trends
from outcomes.calculations.concern import SchoolFacts

BELOW = significance.SIGNIFICANTLY_BELOW
NOT_SIG = significance.NOT_SIGNIFICANT


@pytest.mark.parametrize(("n", "expected"), [(None, False), (1, False), (19, False), (20, True)])
def test_rank_needs_a_minimum_pool_of_las(n, expected):
    assert rank_pool.has_rank(n) is expected


def test_no_rank_reason_names_the_count_and_the_minimum():
    assert rank_pool.no_rank_reason(1) == (
        "No rank or quartile: only 1 LA has a value this year; a rank needs at least 20."
    )


def test_an_la_alone_in_a_year_gets_no_rank_and_no_quartile():
    frame = pd.DataFrame(
        {
            "rank": pd.array([1, 3], dtype="Int64"),
            "n": pd.array([1, 150], dtype="Int64"),
            "quartile": ["D", "B"],
            "joint": [False, True],
        }
    )
    out = rank_pool.apply_minimum(frame)
    assert out["rank"].isna().tolist() == [True, False]
    assert out["quartile"].tolist() == [None, "B"]
    assert out["joint"].tolist() == [False, True]
    assert out["n"].tolist() == [1, 150]  # kept: the page says how many had a value


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        ((40, 150), (100, 152), 60),  # 152 vs 150: 2 <= 5% of 152
        ((40, 150), (1, 1), None),  # "1st of 1" last year: no change stated
        ((40, 150), (20, 30), None),  # 30 vs 150: pools not comparable
        ((40, 150), (None, 150), None),
        ((40, 150), (30, 142), None),  # 8 > 7.5 (5% of 150)
    ],
)
def test_rank_change_only_between_comparable_pools(now, before, expected):
    assert rank_pool.rank_change(now[0], now[1], before[0], before[1]) == expected


def test_trend_within_tolerance_is_no_change():
    # 70.2 -> 66.6 -> 70.1: -0.1 over three years, within 1 percentage point
    trend = trends.three_year_trend(
        {2014: 70.2, 2015: 66.6, 2016: 70.1},
        2016,
        higher_is_better=True,
        tolerance=trends.tolerance_for("percent"),
    )
    assert trend.direction == trends.NO_CHANGE
    assert trends.direction(-1.0, higher_is_better=True, tolerance=1.0) == trends.NO_CHANGE
    assert trends.direction(-1.1, higher_is_better=True, tolerance=1.0) == trends.DECLINING


def test_vectorised_trend_uses_the_tolerance_column():
    frame = pd.DataFrame(
        {
            "la": [1, 1, 1, 2, 2, 2],
            "year": [2014, 2015, 2016] * 2,
            "value": [70.2, 66.6, 70.1, 60.0, 61.0, 62.5],
            "higher_is_better": [True] * 6,
            "tol": [1.0] * 6,
        }
    )
    out = trends.add_trend(frame, keys=("la",), gap=None, tolerance="tol")
    latest = out[out.year == 2016].set_index("la")["direction_3y"]
    assert latest[1] == "no change"
    assert latest[2] == "improving"  # +2.5


def test_p8_significance_is_against_zero_not_national():
    # 0.22, CI -0.01..0.45: the CI reaches below 0 -> not significantly different
    assert significance.significance(-0.01, 0.45) == NOT_SIG


@pytest.mark.parametrize(
    ("kwargs", "colour", "code"),
    [
        # Progress 8 0.22 (CI -0.01..0.45): never red, green
        (
            {"value": 0.22, "national": -0.03, "significance": NOT_SIG},
            "green",
            rag.NOT_SIGNIFICANTLY_BELOW,
        ),
        # not significant with a negative score and a bottom quartile: still not red
        (
            {"value": -0.4, "national": 0.0, "significance": NOT_SIG, "quartile": "D"},
            "green",
            rag.NOT_SIGNIFICANTLY_BELOW,
        ),
        # school KS2 reading -1.9 (CI -3.4..-0.3), DfE band 4 -> amber
        (
            {"value": -1.9, "national": 0.0, "significance": BELOW, "band": "Below average"},
            "amber",
            rag.BELOW_BAND,
        ),
        (
            {"value": -3.5, "national": 0.0, "significance": BELOW, "band": "Well below average"},
            "red",
            rag.WELL_BELOW,
        ),
        # an LA (no band): -0.4 significantly below, tolerance 0.5 -> amber; -1.6 -> red
        (
            {"value": -0.4, "national": 0.0, "significance": BELOW},
            "amber",
            rag.SIGNIFICANTLY_BELOW_WITHIN,
        ),
        (
            {"value": -1.6, "national": 0.0, "significance": BELOW},
            "red",
            rag.SIGNIFICANTLY_BELOW_BEYOND,
        ),
        # a school's percentage 6 points below national with 30 pupils: 1.8 -> 2 pupils
        ({"value": 47.0, "national": 53.0, "gap_pupils": -2}, "amber", rag.FEW_PUPILS),
        ({"value": 43.0, "national": 53.0, "gap_pupils": -3}, "red", rag.BEYOND_TOLERANCE),
    ],
)
def test_progress_and_school_rag(kwargs, colour, code):
    result = rag.indicator_rag(
        rule=rag.RagRule(tolerance=0.5 if "significance" in kwargs else 2.0), **kwargs
    )
    assert (result.colour, result.code) == (colour, code)


def test_vectorised_rag_reads_significance_band_and_pupils():
    frame = pd.DataFrame(
        {
            "value": [0.22, -3.5, 47.0],
            "national": [-0.03, 0.0, 53.0],
            "higher_is_better": [True] * 3,
            "tolerance": [0.5, 0.5, 2.0],
            "bottom_quartile_red": [False] * 3,
            "improving_closing_amber": [True] * 3,
            "significance": [NOT_SIG, BELOW, ""],
            "progress_band": ["", "Well below average", None],
            "gap_pupils": [None, None, -2],
        }
    )
    assert rag.add_indicator_rag(frame)["rag"].tolist() == ["green", "red", "amber"]


@pytest.mark.parametrize(
    ("facts", "colour"),
    [
        (SchoolFacts(), "none"),
        (SchoolFacts(ofsted_grade=2, attainment_rag="green"), "green"),
        (
            SchoolFacts(ofsted_grade=2, progress_significance=NOT_SIG, attainment_rag="amber"),
            "green",
        ),
        (SchoolFacts(ofsted_grade=2, progress_significance=BELOW), "amber"),
        (SchoolFacts(ofsted_grade=2, attainment_rag="red"), "amber"),
        (SchoolFacts(ofsted_grade=3), "amber"),
        (SchoolFacts(ofsted_grade=4), "red"),
        (SchoolFacts(progress_significance=BELOW, progress_band="Well below average"), "red"),
        (SchoolFacts(attainment_rag="red", progress_significance=BELOW), "amber"),
        (SchoolFacts(attainment_rag="red", progress_significance=NOT_SIG), "amber"),
    ],
)
def test_school_rag(facts, colour):
    assert school_rag.school_rag(facts).colour == colour


def test_school_rag_gives_every_rule_that_applied():
    result = school_rag.school_rag(SchoolFacts(ofsted_grade=3, attainment_rag="red"))
    assert result.reasons == (
        "Latest graded Ofsted inspection: Requires improvement.",
        "Headline attainment red against national.",
    )


def test_published_band_wins_and_ks2_threshold_is_per_subject():
    # Anstey Junior 2019: READPROG -1.9 (CI -3.4 to -0.3), READPROG_DESCR 4
    assert significance.progress_band(-1.9, -3.4, -0.3, published="4") == "Below average"
    threshold = significance.well_threshold_for("ks2_read_prog")
    assert significance.progress_band(-3.0, -4.5, -1.5, well_threshold=threshold) == (
        "Well below average"
    )
    assert significance.progress_band(-2.8, -4.3, -1.3, well_threshold=threshold) == (
        "Below average"
    )
