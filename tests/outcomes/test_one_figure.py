"""One figure everywhere (issue 15): the register's school page, the dashboards' school page,
/outcomes/, the headlines and the API read the same published nightly figures, so a figure
reads the same wherever it appears."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from outcomes.models import AreaType, Measure, Result
from tests.api.conftest import token_for
from tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _result(code, year, value, *, la=None, school=None, **extra):
    area = AreaType.SCHOOL if school else (AreaType.LA if la else AreaType.NATIONAL)
    return Result.objects.create(
        measure=Measure.objects.get(code=code),
        area_type=area,
        la=la,
        school=school,
        academic_year=year,
        value=value,
        **extra,
    )


@pytest.fixture
def city(db, measure_catalogue):
    """Portsmouth with a secondary school whose Progress 8 is 0.22 (CI -0.01 to 0.45), as
    DfE published it with its band, the national state-funded -0.03; a primary school whose
    KS2 combined went 70.2 -> 66.6 -> 70.1; and an LA figure that only Portsmouth has."""
    portsmouth = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    secondary = SchoolFactory(
        la=portsmouth,
        name="Harbour Academy",
        phase="secondary",
        statutory_low_age=11,
        statutory_high_age=16,
    )
    primary = SchoolFactory(la=portsmouth, name="Seafront Primary")
    _result("ks4_p8", 2016, -0.03)
    _result(
        "ks4_p8",
        2016,
        0.22,
        school=secondary,
        cohort=180,
        ci_lower=-0.01,
        ci_upper=0.45,
        published_band="Average",
    )
    for year, value in ((2014, 70.2), (2015, 66.6), (2016, 70.1)):
        _result("ks2_rwm_exp", year, value, school=primary, cohort=60)
        _result("ks2_rwm_exp", year, 60.0)
    # An LA alone in a year: no other LA has a figure for EYFSP in 2016.
    _result("eyfsp_gld", 2016, 69.0, la=portsmouth)
    _result("eyfsp_gld", 2016, 69.3)
    # Attainment 8: last year's LA figure exists, last year's national does not.
    _result("ks4_att8", 2015, 44.1, la=portsmouth)
    _result("ks4_att8", 2016, 46.2, la=portsmouth)
    _result("ks4_att8", 2016, 48.5)
    return {"la": portsmouth, "secondary": secondary, "primary": primary}


@pytest.fixture
def published(city, publish):
    return publish()


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def _row(html: str, code: str) -> str:
    start = html.index(f'data-measure="{code}"')
    return html[start : html.index("</tr>", start)]


def test_progress_8_of_0_22_is_not_significantly_different_on_every_page(
    client_as, city, published
):
    urn = city["secondary"].urn
    client = client_as("officer")
    register = client.get(f"/schools/{urn}/").content.decode()
    dashboard = client.get(f"/partnership/dashboards/schools/{urn}/").content.decode()
    for html in (register, dashboard):
        row = _row(html, "ks4_p8")
        assert "not significantly different" in row
        assert "significantly above" not in row
    assert "Average" in _row(register, "ks4_p8")


def test_the_api_gives_the_stored_significance_and_the_published_band(officer, city, published):
    response = _api(officer).get(f"/api/v1/results/?urn={city['secondary'].urn}&measure=ks4_p8")
    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert row["nightly"]["significance"] == "not significantly different"
    assert row["nightly"]["progress_band"] == "Average"


def test_a_published_band_wins_over_the_one_the_rule_would_give(officer, city, publish):
    # DfE's published band is shown as published, even where the CI alone says "average".
    Result.objects.filter(school=city["secondary"]).update(published_band="2")
    publish()
    body = _api(officer).get(f"/api/v1/results/?urn={city['secondary'].urn}").json()
    assert body["results"][0]["nightly"]["progress_band"] == "Above average"


def test_an_la_alone_in_a_year_has_no_rank_and_the_page_says_why(client_as, city, published):
    html = client_as("officer").get("/outcomes/", {"year": 2016}).content.decode()
    row = _row(html, "eyfsp_gld")
    assert "1st of 1" not in row
    assert "not ranked: fewer than 20 LAs (1 with a value)" in row
    headlines = client_as("board_member").get("/partnership/dashboards/headlines/")
    text = headlines.content.decode()
    assert "1st of 1" not in text and "rank fell" not in text and "rank rose" not in text
    assert "not ranked: fewer than 20 LAs" in text


def test_headlines_give_last_years_figure_when_there_is_one(client_as, city, published):
    text = client_as("board_member").get("/partnership/dashboards/headlines/").content.decode()
    assert "Attainment 8: 2.3 points below national, up 2.1 on last year (44.1)" in text
    assert "Attainment 8: 2.3 points below national, no figure for last year" not in text


def test_a_trend_back_to_where_it_was_is_not_declining(client_as, city, published):
    urn = city["primary"].urn
    client = client_as("officer")
    register = _row(client.get(f"/schools/{urn}/").content.decode(), "ks2_rwm_exp")
    dashboard = _row(
        client.get(f"/partnership/dashboards/schools/{urn}/").content.decode(), "ks2_rwm_exp"
    )
    for row in (register, dashboard):
        assert "declining" not in row
        assert "no change" in row
    # the three years as stored, on the register's page
    assert all(v in register for v in ("70.2", "66.6", "70.1"))
