"""The dashboard pages on the hand-worked snapshot (tests/dashboards/data.py): the figures
a board member reads, as the page prints them."""

import json
import re

import pytest
from django.urls import reverse

from pep_portal.nightly.models import CurrentSnapshot

pytestmark = pytest.mark.django_db


def cells(html: str, measure: str) -> dict[str, str]:
    """The data-col cells of the row for one measure, as text."""
    row = re.search(rf'<tr data-measure="{measure}">(.*?)</tr>', html, re.S).group(1)
    return {
        col: re.sub(r"<[^>]+>", " ", text).split()[0] if text.strip() else ""
        for col, text in re.findall(r'data-col="(\w+)">(.*?)</td>', row, re.S)
    }


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_overview_shows_each_headline_indicator_against_national(snapshot, client_as):
    html = client_as("board_member").get(reverse("partnership:overview")).content.decode()
    maths = cells(html, "ks2_mat_exp")
    assert maths["value"] == "63.7"
    assert maths["national"] == "70"  # KS2 national percentages are printed whole
    assert maths["gap"] == "-6.3"
    assert maths["quartile"] == "D"
    assert "17th of 21" in html
    row = re.search(r'<tr data-measure="ks2_mat_exp">(.*?)</tr>', html, re.S).group(1)
    assert "Red" in row and "declining" in row  # the RAG word and the trend word
    assert 'aria-label="Three-year trend: 2014: 66.0, 2015: 64.9, 2016: 63.7"' in row
    assert "#rank-ks2_mat_exp" in row and "#measure-ks2_mat_exp" in row
    absence = cells(html, "abs_overall_pct")
    assert (absence["value"], absence["gap"]) == ("4.3", "-0.3")
    assert "1st of 21" in html


def test_overview_counts_good_schools_only_where_a_grade_exists(snapshot, client_as):
    html = client_as("board_member").get(reverse("partnership:overview")).content.decode()
    # Weak (RI), Strong (good), the two role schools (good): 3 of 4 good or better.
    assert re.search(r'data-fig="good-or-better">3</span> of 4 schools', html)
    # Pupils: 420 + 420 + 300 good or better of 1340 -> 85.1%
    assert 'data-fig="pupils-pct">85.1%' in html
    assert "Counted only where an overall grade exists" in html

    # Weak: the data suggests moderate (Requires improvement, absence 1.5 above national);
    # the Operational Group decided maximum.
    def counts(key):
        row = re.search(rf'<tr data-concern="{key}">(.*?)</tr>', html, re.S).group(1)
        return re.findall(r">(\d+)<span", row)

    assert counts("maximum") == ["0", "1"]
    assert counts("moderate") == ["1", "0"]


def test_every_page_states_the_run_the_data_year_and_provisional(snapshot, client_as):
    client = client_as("board_member")
    urls = [
        reverse("partnership:overview"),
        reverse("partnership:headlines"),
        reverse("partnership:key_stage", args=["ks2"]),
        reverse("partnership:schools_grid"),
        reverse("partnership:school_page", args=[snapshot["weak"].urn]),
        reverse("partnership:trust_page", args=[snapshot["schools"][0].trust_id]),
    ]
    for url in urls:
        page = text_of(client.get(url).content.decode())
        assert f"nightly run {snapshot['run'].pk}" in page, url
        assert "Data year: 2015/16" in page, url
        assert "Provisional: the 2015/16 figures are provisional" in page, url


def test_pages_say_so_when_there_is_no_snapshot(db, client_as, school):
    CurrentSnapshot.objects.all().delete()
    html = text_of(client_as("board_member").get(reverse("partnership:overview")).content.decode())
    assert "No snapshot yet" in html
    grid = client_as("board_member").get(reverse("partnership:schools_grid"))
    assert grid.status_code == 200 and "No snapshot yet" in text_of(grid.content.decode())


def test_headlines_read_as_sentences_on_three_counts(snapshot, client_as):
    response = client_as("board_member").get(reverse("partnership:headlines"))
    html = response.content.decode()
    challenges = html[html.index('id="challenges"') :]
    strengths = html[html.index('id="strengths"') : html.index('id="challenges"')]
    assert (
        "KS2 maths: 6.3 points below national, gap widened by 1.2, rank fell 12 places."
        in challenges
    )
    assert "Overall absence: 0.3 points below national, lead grew by 0.2, rank unchanged." in (
        strengths
    )
    # The copyable text holds the same sentences.
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert "- KS2 maths: 6.3 points below national, gap widened by 1.2" in textarea
    assert "Portsmouth: headlines for 2015/16" in textarea


def test_key_stage_page_has_trend_gap_and_ranked_charts_with_tables(snapshot, client_as):
    html = (
        client_as("board_member")
        .get(reverse("partnership:key_stage", args=["ks2"]))
        .content.decode()
    )
    charts = json.loads(
        re.search(
            r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    by_id = {c["id"]: c for c in charts}
    trend = by_id["trend-ks2_mat_exp"]
    assert [s["name"] for s in trend["data"]] == ["Portsmouth", "England", "Statistical neighbours"]
    assert trend["data"][0]["y"] == [66.0, 64.9, 63.7]
    ranked = by_id["ranked-ks2_mat_exp"]
    bars = ranked["data"][0]
    assert len(bars["y"]) == 21
    highlighted = [
        n for n, c in zip(bars["text"], bars["marker"]["color"], strict=True) if c == "#003a70"
    ]
    assert highlighted == ["Portsmouth"]
    assert bars["text"].index("Portsmouth") == 16  # 17th of 21
    gaps = by_id["gaps-ks2_mat_exp"]
    # Disadvantaged 50 vs non-disadvantaged nationally 75: -25; England 60 - 75: -15.
    assert gaps["data"][0]["y"][0] == pytest.approx(-25.0)
    assert gaps["data"][1]["y"][0] == pytest.approx(-15.0)
    page = text_of(html)
    assert "Portsmouth is 17th of 21 local authorities in 2016 (63.7)" in page
    assert "Disadvantaged vs other pupils nationally 50.0 75.0 -25.0 -15.0" in page
    assert "2016 provisional 63.7 70" in page and "-6.3 17th of 21" in page


def test_key_stage_trend_table_shows_the_statistical_neighbours_average(snapshot, client_as):
    html = (
        client_as("board_member")
        .get(reverse("partnership:key_stage", args=["ks2"]))
        .content.decode()
    )
    # Portsmouth's neighbours are Other LA 00-02: 64, 65, 66 in 2016 -> 65.0
    assert "2016 provisional 63.7 70 65.0 -6.3 17th of 21" in text_of(html)


def test_unknown_key_stage_page_is_404(snapshot, client_as):
    assert (
        client_as("board_member").get("/partnership/dashboards/key-stages/ks9/").status_code == 404
    )


def test_school_page_shows_outcomes_trends_and_the_reasons(snapshot, client_as):
    weak = snapshot["weak"]
    html = (
        client_as("board_member")
        .get(reverse("partnership:school_page", args=[weak.urn]))
        .content.decode()
    )
    maths = cells(html, "ks2_mat_exp")
    assert (maths["value"], maths["la"], maths["national"], maths["gap"], maths["gap_la"]) == (
        "40.0",
        "63.7",
        "70",
        "-30.0",
        "-23.7",
    )
    page = text_of(html)
    assert "2014: 50.0 , 2015: 45.0 , 2016: 40.0" in page
    assert "declining" in page
    assert "Requires improvement" in page
    assert "Maximum concern, decided 1 November 2016: Weak and declining outcomes." in page
    assert "30.0 below national" in page  # the figure's RAG reason
    reasons = re.search(r'data-fig="suggestion">(.*?)</dd>', html, re.S).group(1)
    assert "Moderate concern" in reasons
    assert (
        "<li>The latest graded Ofsted inspection judged the school Requires improvement.</li>"
        in (reasons)
    )
    assert "Attendance" in page and "6.1" in cells(html, "abs_overall_pct")["value"]
    assert "css/dashboards.css" in html  # its print stylesheet
