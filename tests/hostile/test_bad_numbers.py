"""Each 500 of the report, reproduced: now a 400 that says what was wrong."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("year", ["0", "-1", "9999", HUGE, "abc"])
def test_support_figures_with_an_impossible_year_is_a_400_page(client, officer, year):
    client.force_login(officer)
    response = client.get(reverse("partnership:support_figures"), {"year": year})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "This address cannot be used" in body
    assert ("out of range" in body) or ("not a whole number" in body)


def test_support_figures_with_a_real_year_still_works(client, officer):
    client.force_login(officer)
    assert client.get(reverse("partnership:support_figures"), {"year": "2016"}).status_code == 200


def test_consultation_analysis_with_a_huge_question_number_is_a_400(client, officer, consultation):
    client.force_login(officer)
    url = reverse("consultation:analysis", args=[consultation.pk])
    response = client.get(url, {"question": HUGE})
    assert response.status_code == 400
    assert "out of range" in response.content.decode()
    assert client.get(url, {"question": "1"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/results/", "year"),
        ("/api/v1/results/", "urn"),
        ("/api/v1/categorisations/", "urn"),
        ("/api/v1/deployments/", "urn"),
    ],
)
def test_api_out_of_range_numbers_are_a_json_400_naming_the_parameter(client, officer, path, param):
    client.force_login(officer)
    response = client.get(path, {param: HUGE})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["errors"][param] == ["Use a number from -2147483648 to 2147483647."]
    assert body["detail"].startswith(f"Invalid value for '{param}'")


def test_a_nul_character_in_the_query_is_a_400(client, officer):
    client.force_login(officer)
    assert client.get("/schools/", {"q": "a\x00b"}).status_code == 400
