"""The indicator RAG: colour and reason at every boundary, scalar and vectorised alike."""

import pandas as pd
import pytest

from outcomes.calculations import rag
from outcomes.calculations.rag import RagRule

RULE = RagRule(tolerance=2.0)


@pytest.mark.parametrize(
    ("kwargs", "colour", "code"),
    [
        ({"value": 53.0, "national": 53.0}, "green", "at_or_better"),  # level with national
        ({"value": 55.0, "national": 53.0}, "green", "at_or_better"),
        ({"value": 51.0, "national": 53.0}, "amber", "within_tolerance"),  # exactly 2.0 worse
        ({"value": 72.3, "national": 74.3}, "amber", "within_tolerance"),  # 2.0 despite floats
        ({"value": 50.9, "national": 53.0}, "red", "beyond_tolerance"),  # 2.1 worse
        ({"value": 47.6, "national": 53.0}, "red", "beyond_tolerance"),
        # improving and closing: amber even beyond the band
        (
            {"value": 47.6, "national": 53.0, "improving": True, "gap_closing": True},
            "amber",
            "improving_closing",
        ),
        (
            {"value": 47.6, "national": 53.0, "improving": True, "gap_closing": False},
            "red",
            "beyond_tolerance",
        ),
        (
            {"value": 47.6, "national": 53.0, "improving": False, "gap_closing": True},
            "red",
            "beyond_tolerance",
        ),
        # bottom quartile is red, even within the band, even improving
        ({"value": 52.0, "national": 53.0, "quartile": "D"}, "red", "bottom_quartile"),
        (
            {
                "value": 47.6,
                "national": 53.0,
                "quartile": "D",
                "improving": True,
                "gap_closing": True,
            },
            "red",
            "bottom_quartile",
        ),
        ({"value": 52.0, "national": 53.0, "quartile": "C"}, "amber", "within_tolerance"),
        # meeting the target is green whatever else
        (
            {"value": 47.6, "national": 53.0, "quartile": "D", "target_met": True},
            "green",
            "target_met",
        ),
        # lower is better (absence): above national is worse
        ({"value": 4.6, "national": 4.6, "higher_is_better": False}, "green", "at_or_better"),
        ({"value": 6.6, "national": 4.6, "higher_is_better": False}, "amber", "within_tolerance"),
        ({"value": 6.7, "national": 4.6, "higher_is_better": False}, "red", "beyond_tolerance"),
        ({"value": 2.0, "national": 4.6, "higher_is_better": False}, "green", "at_or_better"),
        # missing
        ({"value": None, "national": 53.0}, "none", "no_value"),
        ({"value": None, "national": 53.0, "target_met": True}, "none", "no_value"),
        ({"value": 47.6, "national": None}, "none", "no_national"),
        ({"value": 47.6, "national": None, "quartile": "D"}, "red", "bottom_quartile"),
    ],
)
def test_default_rule(kwargs, colour, code):
    result = rag.indicator_rag(rule=RULE, **kwargs)
    assert (result.colour, result.code) == (colour, code)


@pytest.mark.parametrize(
    ("rule", "kwargs", "colour"),
    [
        (RagRule(tolerance=0.5), {"value": 52.0, "national": 53.0}, "red"),
        (RagRule(tolerance=5.0), {"value": 48.0, "national": 53.0}, "amber"),
        (
            RagRule(bottom_quartile_red=False),
            {"value": 52.0, "national": 53.0, "quartile": "D"},
            "amber",
        ),
        (
            RagRule(improving_closing_amber=False),
            {"value": 47.6, "national": 53.0, "improving": True, "gap_closing": True},
            "red",
        ),
    ],
)
def test_rule_is_configurable_per_measure(rule, kwargs, colour):
    assert rag.indicator_rag(rule=rule, **kwargs).colour == colour


def test_reason_words_carry_the_numbers():
    assert rag.indicator_rag(value=72.6, national=74.3, rule=RULE).reason == (
        "1.7 below national, within the tolerance of 2.0."
    )
    assert rag.indicator_rag(value=47.6, national=53.0, rule=RULE).reason == (
        "5.4 below national, beyond the tolerance of 2.0."
    )
    assert rag.indicator_rag(
        value=5.1, national=4.6, higher_is_better=False, rule=RagRule(tolerance=0.3)
    ).reason == ("0.5 above national, beyond the tolerance of 0.3.")
    assert rag.indicator_rag(value=69.7, national=69.3, rule=RULE).reason == (
        "At or better than national (69.7 against 69.3)."
    )


def test_default_tolerance_by_unit():
    assert RagRule.default_for("progress").tolerance == 0.5
    assert RagRule.default_for("percent").tolerance == 2.0
    assert RagRule.default_for("something new").tolerance == 2.0


def test_vectorised_rag_agrees_with_the_scalar_rule():
    cases = [
        {"value": 53.0, "national": 53.0},
        {"value": 51.0, "national": 53.0},
        {"value": 50.9, "national": 53.0, "improving": True, "gap_closing": True},
        {"value": 52.0, "national": 53.0, "quartile": "D"},
        {"value": 6.7, "national": 4.6, "higher_is_better": False},
        {"value": None, "national": 53.0},
        {"value": 47.6, "national": None},
        {"value": 47.6, "national": 53.0, "target_met": True},
    ]
    frame = pd.DataFrame(
        [
            {
                "value": c["value"],
                "national": c["national"],
                "higher_is_better": c.get("higher_is_better", True),
                "tolerance": 2.0,
                "bottom_quartile_red": True,
                "improving_closing_amber": True,
                "quartile": c.get("quartile"),
                "target_met": c.get("target_met"),
                "improving": c.get("improving"),
                "gap_closing": c.get("gap_closing"),
            }
            for c in cases
        ]
    )
    out = rag.add_indicator_rag(frame)
    for case, colour, code in zip(cases, out["rag"], out["rag_code"], strict=True):
        expected = rag.indicator_rag(rule=RULE, **case)
        assert (colour, code) == (expected.colour, expected.code), case
