"""Headline sentences (pure): each indicator on three counts, respecting polarity."""

from partnership.dashboards import charts
from partnership.dashboards.headlines import (
    CHALLENGE,
    STRENGTH,
    IndicatorFacts,
    copy_text,
    headlines,
    sentence,
)


def facts(**kw) -> IndicatorFacts:
    base = {
        "code": "ks2_mat_exp",
        "name": "KS2 maths",
        "unit": "percent",
        "precision": 1,
        "higher_is_better": True,
        "year": 2016,
        "value": 63.7,
        "national": 70.0,
        "gap": -6.3,
        "previous_gap": -5.1,
        "rank": 140,
        "previous_rank": 128,
        "rank_n": 150,
        "previous_rank_n": 150,
        "rag": "red",
    }
    base.update(kw)
    return IndicatorFacts(**base)


def test_the_boards_example_sentence():
    assert sentence(facts()) == (
        "KS2 maths: 6.3 points below national, gap widened by 1.2, rank fell 12 places"
    )


def test_a_narrowing_gap_and_a_rising_rank():
    assert sentence(facts(gap=-2.0, previous_gap=-3.5, rank=100, previous_rank=101)) == (
        "KS2 maths: 2.0 points below national, gap narrowed by 1.5, rank rose 1 place"
    )


def test_ahead_of_national_the_lead_grows_or_shrinks():
    assert sentence(facts(gap=1.0, previous_gap=0.4, rank=20, previous_rank=20)) == (
        "KS2 maths: 1.0 points above national, lead grew by 0.6, rank unchanged"
    )
    assert "lead shrank by 0.5" in sentence(facts(gap=0.5, previous_gap=1.0))


def test_crossing_national_is_said_plainly():
    assert "closed the gap (was 1.2 below last year)" in sentence(facts(gap=0.3, previous_gap=-1.2))
    assert "fell behind national (was 0.5 above last year)" in sentence(
        facts(gap=-0.4, previous_gap=0.5)
    )


def test_lower_is_better_absence_below_national_is_a_strength():
    absence = facts(
        code="abs_overall_pct",
        name="Overall absence",
        higher_is_better=False,
        value=4.3,
        national=4.6,
        gap=-0.3,
        previous_gap=-0.1,
        rank=10,
        previous_rank=15,
        rag="green",
    )
    assert sentence(absence) == (
        "Overall absence: 0.3 points below national, lead grew by 0.2, rank rose 5 places"
    )
    strengths, challenges, _ = headlines([absence, facts()])
    assert [h.code for h in strengths] == ["abs_overall_pct"]
    assert [h.kind for h in challenges] == [CHALLENGE]
    assert strengths[0].kind == STRENGTH


def test_progress_scores_have_no_unit_word_and_missing_years_are_said():
    progress = facts(
        name="KS2 maths progress", unit="progress", gap=-1.05, previous_gap=None, previous_rank=None
    )
    assert sentence(progress) == (
        "KS2 maths progress: 1.1 below national, no figure for last year, no rank last year"
    )


def test_a_rank_change_is_stated_only_between_comparable_pools():
    # Last year the LA was "1st of 1": no rank change against that.
    assert "rank not compared with last year" in sentence(facts(previous_rank=1, previous_rank_n=1))
    # This year fewer than the minimum had a figure: no rank at all, and the page says why.
    assert "not ranked: fewer than 20 LAs have a figure" in sentence(facts(rank=None, rank_n=1))


def test_last_years_figure_is_used_when_last_year_has_no_national():
    att8 = facts(name="Attainment 8", unit="score", value=46.2, gap=-2.3, previous_gap=None)
    assert "up 2.1 on last year (44.1)" in sentence(
        IndicatorFacts(**{**att8.__dict__, "previous_value": 44.1})
    )
    assert "no figure for last year" in sentence(att8)


def test_suppressed_figures_are_left_out_with_the_reason():
    suppressed = facts(value=None, gap=None, rag="none", suppression="suppressed")
    strengths, challenges, left_out = headlines([suppressed])
    assert (strengths, challenges) == ([], [])
    assert left_out == ["KS2 maths (suppressed)"]


def test_challenges_are_ordered_worst_first_and_the_copy_text_lists_them():
    small = facts(code="a", name="A", gap=-1.0, rag="amber")
    big = facts(code="b", name="B", gap=-8.0)
    _, challenges, _ = headlines([small, big])
    assert [h.code for h in challenges] == ["b", "a"]
    text = copy_text(
        la_name="Portsmouth", year_label="2015/16", strengths=[], challenges=challenges
    )
    assert text.splitlines() == [
        "Portsmouth: headlines for 2015/16",
        "",
        "Strengths",
        "- None this year.",
        "",
        "Challenges",
        "- B: 8.0 points below national, gap widened by 2.9, rank fell 12 places.",
        "- A: 1.0 points below national, gap narrowed by 4.1, rank fell 12 places.",
    ]


def test_sparkline_scales_three_years_into_the_box_and_skips_missing_years():
    assert charts.sparkline_points([10.0, 20.0, 15.0], width=90, height=24, pad=3) == [
        (3.0, 21.0),
        (45.0, 3.0),
        (87.0, 12.0),
    ]
    assert charts.sparkline_points([None, 5.0, 6.0])[0][0] == 45.0
    assert charts.sparkline_points([None, None]) == []


def test_ranked_chart_highlights_one_la_and_marks_england():
    fig = charts.ranked_chart(
        "r",
        names=["A", "B", "C"],
        values=[3.0, 2.0, 1.0],
        highlight="B",
        national=2.5,
        unit_label="%",
    )
    assert fig["data"][0]["marker"]["color"] == [
        charts.OTHER_LAS_COLOUR,
        charts.LA_COLOUR,
        charts.OTHER_LAS_COLOUR,
    ]
    assert fig["layout"]["annotations"][0]["text"] == "B (2 of 3)"
    assert fig["layout"]["shapes"][0]["y0"] == 2.5
