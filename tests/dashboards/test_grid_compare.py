"""The schools grid's search, year selector, cohort / CI / disadvantaged gap small print, and
the compare page (two to five chosen schools side by side), on the hand-worked dataset.

Added to data.py's schools before the nightly run (2016, KS2 maths):
    Weak Primary: disadvantaged pupils 35.0 (cohort 10); England's non-disadvantaged pupils
    75.0 -> disadvantaged gap 35.0 - 75.0 = -40.0.
    Strong Primary: confidence interval 75.2 to 84.8 (cohort 40).
Past year 2015 as published: Weak 45.0 (cohort 30), Strong 79.0 (cohort 40), no RAG.
"""

import json
import re

import pytest
from django.urls import reverse

from outcomes.models import AreaType, Result, ResultStatus

from . import data
from .test_grid import get, names, shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid_data(db, school, other_school, django_capture_on_commit_callbacks):
    built = data.build(schools=[school, other_school])
    Result.objects.create(
        measure=built["maths"],
        area_type=AreaType.SCHOOL,
        school=built["weak"],
        academic_year=2016,
        pupil_group="disadvantaged",
        value=35.0,
        cohort=10,
        status=ResultStatus.PROVISIONAL,
    )
    Result.objects.filter(
        school=built["strong"], academic_year=2016, measure=built["maths"]
    ).update(ci_lower=75.2, ci_upper=84.8)
    built["run"] = data.run_nightly(django_capture_on_commit_callbacks)
    return built


def _row(html, name):
    return next(r for r in shown(html) if r[0] == name)


def test_grid_cells_show_cohort_ci_and_the_disadvantaged_gap(grid_data, client_as):
    html = get(client_as("board_member"))
    weak = _row(html, "Weak Primary")
    # School, phase, trust, Ofsted, overall RAG, KS2 maths, absence, suggestion, decision
    reason = "30.0 below national, beyond the tolerance of 2.0."
    assert weak[5] == f"40.0 Red : {reason} cohort 30 disadv. gap -40.0"
    strong = _row(html, "Strong Primary")
    assert strong[5].startswith("80.0 Green : ")
    assert strong[5].endswith(" cohort 40 CI 75.2 to 84.8")


def test_grid_searches_by_name_or_urn(grid_data, client_as):
    client = client_as("board_member")
    assert names(get(client, q="weak")) == ["Weak Primary"]
    assert names(get(client, q=str(grid_data["strong"].urn))) == ["Strong Primary"]
    html = get(client, q="no such school")
    assert names(html) == []
    assert "No schools match these filters." in html


def test_grid_year_selector_shows_a_past_year_as_published_without_rag(grid_data, client_as):
    client = client_as("board_member")
    html = get(client, year=2015)
    assert '<option value="2015" selected>2014/15</option>' in html
    assert _row(html, "Weak Primary")[5] == "45.0 cohort 30"
    assert _row(html, "Strong Primary")[5] == "79.0 cohort 40"
    # Schools with no 2015 figure say so; the latest year keeps its RAG.
    assert _row(html, "Harbour Primary School")[5] == "no figure"
    assert "RAG ratings are worked out for the latest year only" in html
    assert _row(get(client, year=2016), "Weak Primary")[5].startswith("40.0 Red")
    # A year that is not offered is refused, saying so, and no school is listed (not the
    # latest year's figures, as if they were 1999's).
    html = get(client, year=1999)
    assert "Year: Select a valid choice. 1999 is not one of the available choices." in html
    assert "<tr data-urn" not in html


def _compare(client, *urns, **params):
    query = "&".join(f"urn={u}" for u in urns)
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return client.get(f"{reverse('partnership:schools_compare')}?{query}{extra}")


def _table(html, code):
    body = re.search(rf'<table[^>]*data-measure="{code}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr data-urn.*?</tr>|<tr><th scope=\"row\">England.*?</tr>", body, re.S)
    out = []
    for row in rows:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        out.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return out


def test_compare_shows_chosen_schools_side_by_side_with_chart_and_table(grid_data, client_as):
    weak, strong = grid_data["weak"], grid_data["strong"]
    response = _compare(client_as("board_member"), strong.urn, weak.urn)
    assert response.status_code == 200
    html = response.content.decode()
    rows = _table(html, "ks2_mat_exp")
    # School, year, figure, cohort, CI, disadvantaged gap, RAG (in the order chosen).
    assert rows[0][:6] == ["Strong Primary", "2016", "80.0", "40", "75.2 to 84.8", "no figure"]
    assert rows[1][:6] == ["Weak Primary", "2016", "40.0", "30", "", "-40.0"]
    assert rows[1][6].startswith("Red")
    assert rows[2][:3] == ["England", "", "70"]
    charts = json.loads(
        re.search(r'id="dashboard-charts"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    maths = next(c for c in charts if c["id"] == "compare-ks2_mat_exp")
    assert maths["data"][0]["y"] == ["Strong Primary", "Weak Primary"]
    assert maths["data"][0]["x"] == [80.0, 40.0]
    assert f'id="{maths["id"]}"' in html  # every chart has its place, and its table


def test_compare_takes_at_most_five_and_needs_two(grid_data, client_as):
    client = client_as("board_member")
    extra = data.more_schools(grid_data, 4)
    urns = [grid_data["weak"].urn, grid_data["strong"].urn] + [s.urn for s in extra]
    html = _compare(client, *urns).content.decode()
    assert "only the first 5 are compared" in html
    assert len(_table(html, "abs_overall_pct")) == 5 + 1  # five schools and England
    html = _compare(client, grid_data["weak"].urn).content.decode()
    assert "Choose at least two schools to compare." in html
    html = _compare(client, "x", "12<script>").content.decode()
    assert "Choose at least two schools to compare." in html


def test_compare_past_year_uses_published_figures(grid_data, client_as):
    weak, strong = grid_data["weak"], grid_data["strong"]
    html = _compare(client_as("officer"), weak.urn, strong.urn, year=2015).content.decode()
    rows = _table(html, "ks2_mat_exp")
    assert rows[0][:4] == ["Weak Primary", "2015", "45.0", "30"]
    assert rows[1][:4] == ["Strong Primary", "2015", "79.0", "40"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("board_member", 200), ("officer", 200), ("head", 403), ("trust_user", 403)],
)
def test_compare_needs_the_grid_permission(grid_data, client_as, role, status):
    response = _compare(client_as(role), grid_data["weak"].urn, grid_data["strong"].urn)
    assert response.status_code == status


def test_grid_offers_a_compare_tick_per_school(grid_data, client_as):
    html = get(client_as("board_member"))
    assert 'form="compare-form" aria-label="Compare Weak Primary"' in html
    assert f'action="{reverse("partnership:schools_compare")}"' in html


def test_school_page_shows_cohort_and_confidence_interval(grid_data, client_as):
    html = (
        client_as("board_member")
        .get(reverse("partnership:school_page", args=[grid_data["strong"].urn]))
        .content.decode()
    )
    row = re.search(r'<tr data-measure="ks2_mat_exp">.*?</tr>', html, re.S).group(0)
    assert '<div class="hint print-hide" data-col="ci">CI 75.2 to 84.8</div>' in row
    assert '<div class="hint print-hide" data-col="cohort">cohort 40</div>' in row
