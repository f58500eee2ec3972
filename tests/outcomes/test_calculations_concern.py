"""The 3Ms suggestion: rules as data, the highest level reached wins, every reason given."""

import pytest

from outcomes.calculations import concern
from outcomes.calculations.concern import SchoolFacts

BELOW = "significantly below national"
WELL_BELOW = "Well below average"


@pytest.mark.parametrize(
    ("facts", "level", "reason_names"),
    [
        (SchoolFacts(ofsted_grade=2, attainment_rag="green"), "minimum", []),
        (SchoolFacts(ofsted_grade=1, attainment_rag="amber"), "minimum", []),
        (SchoolFacts(ofsted_grade=3), "moderate", ["Requires improvement"]),
        (SchoolFacts(ofsted_grade=4, attainment_rag="green"), "maximum", ["Inadequate"]),
        # one weak indicator alone is noted at minimum, not a concern
        (SchoolFacts(attainment_rag="red"), "minimum", ["Attainment red"]),
        (SchoolFacts(progress_significance=BELOW), "minimum", ["Progress below average"]),
        (
            SchoolFacts(progress_significance=BELOW, progress_band=WELL_BELOW),
            "moderate",
            ["Progress well below average"],
        ),
        (SchoolFacts(progress_significance="not significantly different"), "minimum", []),
        (SchoolFacts(below_floor=True, attainment_trend="improving"), "moderate", ["Below floor"]),
        (
            SchoolFacts(below_floor=True, attainment_trend="declining"),
            "maximum",
            ["Below floor, not improving", "Below floor"],
        ),
        (
            SchoolFacts(below_floor=True, attainment_trend="no change"),
            "maximum",
            ["Below floor, not improving", "Below floor"],
        ),
        (SchoolFacts(below_floor=False, attainment_trend="declining"), "minimum", []),
        (
            SchoolFacts(
                attainment_rag="red",
                progress_significance=BELOW,
                progress_band=WELL_BELOW,
                attainment_trend="declining",
            ),
            "maximum",
            [
                "Weak and not improving",
                "Progress well below average",
                "Weak attainment and progress",
            ],
        ),
        (
            SchoolFacts(
                attainment_rag="red", progress_significance=BELOW, attainment_trend="declining"
            ),
            "moderate",
            ["Weak attainment and progress"],
        ),
        # "not significantly different" progress never raises the level
        (
            SchoolFacts(attainment_rag="red", progress_significance="not significantly different"),
            "minimum",
            ["Attainment red"],
        ),
        # absence: more than 1.0 point above national; exactly 1.0 is not
        (SchoolFacts(absence_gap=1.0), "minimum", []),
        (SchoolFacts(absence_gap=1.1), "moderate", ["High absence"]),
        (SchoolFacts(absence_gap=-0.5), "minimum", []),
    ],
)
def test_suggestion_and_its_reasons(facts, level, reason_names):
    suggestion = concern.suggest_concern(facts)
    assert suggestion.level == level
    assert [rule.name for rule in suggestion.rules] == reason_names
    descriptions = [rule.description for rule in suggestion.rules]
    if level == "minimum":
        assert list(suggestion.reasons) == [concern.NO_RULE_REASON, *descriptions]
    else:
        assert list(suggestion.reasons) == descriptions


def test_ungraded_inspection_gives_no_ofsted_reason_and_says_so():
    suggestion = concern.suggest_concern(
        SchoolFacts(ofsted_grade=None, ofsted_ungraded=True, attainment_rag="green")
    )
    assert suggestion.level == "minimum"
    assert concern.UNGRADED_NOTE in suggestion.notes


def test_no_data_is_noted_rather_than_read_as_no_concern_silently():
    suggestion = concern.suggest_concern(SchoolFacts(ofsted_grade=2))
    assert concern.NO_DATA_NOTE in suggestion.notes


def test_rules_table_is_readable_highest_level_first():
    table = concern.rules_table()
    assert [row["level"] for row in table][:3] == ["maximum"] * 3
    assert table[-1]["level"] == "minimum"
    assert {"level", "name", "description"} == set(table[0])
    assert any("1 percentage point above national" in row["description"] for row in table)


def test_rules_are_data_a_custom_table_can_replace():
    strict = (
        concern.Rule(
            "Any amber",
            "moderate",
            "Headline attainment is amber.",
            lambda f: f.attainment_rag == "amber",
        ),
    )
    assert concern.suggest_concern(SchoolFacts(attainment_rag="amber"), strict).level == "moderate"
