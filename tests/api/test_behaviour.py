"""What a client relies on: CSV, ETag/304, throttling, JSON errors naming the parameter, pages."""

import csv
import io

import pytest
from django.utils import timezone
from django.utils.http import http_date

from outcomes.models import Result

from .conftest import API

pytestmark = pytest.mark.django_db

LISTS = [
    "/local-authorities/",
    "/trusts/",
    "/schools/",
    "/measures/",
    "/results/",
    "/plans/",
    "/priorities/",
    "/actions/",
    "/milestones/",
    "/categorisations/",
    "/deployments/",
]


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_every_list_is_also_csv_with_the_same_rows(world, api_as, path):
    client = api_as("officer")
    as_json = client.get(API + path).json()["results"]
    by_param = client.get(API + path + "?format=csv")
    by_accept = client.get(API + path, HTTP_ACCEPT="text/csv")
    assert by_param.status_code == by_accept.status_code == 200
    assert by_param["Content-Type"].startswith("text/csv")
    assert by_accept["Content-Type"].startswith("text/csv")
    rows = read_csv(by_param)
    assert len(rows) == len(as_json) > 0
    first_key = next(iter(as_json[0]))
    assert [r[first_key] for r in rows] == [str(item[first_key]) for item in as_json]


def test_results_csv_has_the_nightly_figures_in_columns(world, api_as):
    rows = read_csv(api_as("trust_user").get(f"{API}/results/?format=csv&area_type=la&year=2016"))
    portsmouth = next(r for r in rows if r["la"] == "851")
    assert portsmouth["value"] == "47.6"
    assert portsmouth["nightly_rank"] == "140"
    assert portsmouth["nightly_rank_of"] == "150"
    assert portsmouth["nightly_quartile"] == "D"
    assert portsmouth["nightly_rag"] == "red"
    assert float(portsmouth["nightly_gap"]) == pytest.approx(-5.9)
    southampton = next(r for r in rows if r["la"] == "852")
    assert southampton["nightly_rag"] == ""  # no figure: empty cells, same columns


def test_csv_cells_cannot_run_as_formulas(world, api_as, school):
    school.name = '=HYPERLINK("http://evil.example","Click")'
    school.save()
    rows = read_csv(api_as("officer").get(f"{API}/schools/?format=csv"))
    names = [r["name"] for r in rows]
    assert "'" + school.name in names
    assert school.name not in names


def test_csv_of_an_empty_list_still_has_its_header(world, api_as):
    response = api_as("officer").get(f"{API}/results/?format=csv&year=1999")
    text = response.content.decode("utf-8")[1:]
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["id", "measure", "area_type"]
    assert "nightly_rank" in header
    assert len(text.splitlines()) == 1


def test_errors_are_json_even_when_csv_was_asked_for(world, api_as):
    response = api_as("officer").get(f"{API}/results/?format=csv&year=abc")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"] == {"year": ["Enter a number."]}


# --- ETag / Last-Modified / 304 ----------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_every_list_answers_304_to_its_own_etag(world, api_as, path):
    client = api_as("trust_user")
    first = client.get(API + path)
    etag = first["ETag"]
    again = client.get(API + path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_results_etag_changes_when_a_result_changes(world, api_as):
    client = api_as("trust_user")
    etag = client.get(f"{API}/results/")["ETag"]
    result = world["la_result"]
    result.value = 48.0
    result.save()
    response = client.get(f"{API}/results/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_results_etag_changes_when_a_new_snapshot_is_published(world, api_as):
    from .conftest import publish_run

    client = api_as("trust_user")
    etag = client.get(f"{API}/results/")["ETag"]
    publish_run()
    response = client.get(f"{API}/results/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["results"][1]["nightly"] is None  # the new run has no figures yet


def test_etag_differs_by_format_and_by_query(world, api_as):
    client = api_as("trust_user")
    json_tag = client.get(f"{API}/results/")["ETag"]
    csv_tag = client.get(f"{API}/results/?format=csv")["ETag"]
    filtered = client.get(f"{API}/results/?year=2016")["ETag"]
    assert len({json_tag, csv_tag, filtered}) == 3


def test_if_modified_since_gives_304_until_something_changes(world, api_as):
    client = api_as("trust_user")
    first = client.get(f"{API}/results/")
    last_modified = first["Last-Modified"]
    assert client.get(f"{API}/results/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    Result.objects.filter(pk=world["la_result"].pk).update(
        updated_at=timezone.now() + timezone.timedelta(seconds=5)
    )
    assert client.get(f"{API}/results/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200
    future = http_date((timezone.now() + timezone.timedelta(days=1)).timestamp())
    assert client.get(f"{API}/results/", HTTP_IF_MODIFIED_SINCE=future).status_code == 304


def test_detail_answers_304_to_its_etag(world, api_as, school):
    client = api_as("trust_user")
    for path in (
        f"/schools/{school.urn}/",
        f"/schools/{school.urn}/confidential/",
        "/plans/current/",
    ):
        etag = client.get(API + path)["ETag"]
        assert client.get(API + path, HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- Throttling ------------------------------------------------------------------------------


def test_too_many_requests_get_429_with_retry_after(world, api_as, settings):
    settings.API_THROTTLE_RATE = "3/min"
    client = api_as("trust_user")
    for _ in range(3):
        assert client.get(f"{API}/measures/").status_code == 200
    response = client.get(f"{API}/measures/")
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert response.json()["retry_after"] == retry_after
    # Per token: another token (another user) is not held up.
    assert api_as("officer").get(f"{API}/measures/").status_code == 200


def test_a_whole_sync_fits_the_default_minute_allowance_and_a_burst_beyond_waits(world, api_as):
    """Defaults (settings/base.py): a 120-school trust's nightly sync is ~100 requests."""
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_THROTTLE_RATES == {"api": "120/min", "api_sustained": "2000/hour"}
    client = api_as("trust_user")
    statuses = [client.get(f"{API}/measures/").status_code for _ in range(120)]
    assert statuses == [200] * 120
    response = client.get(f"{API}/measures/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_hourly_allowance_holds_a_token_that_keeps_going(world, api_as, settings):
    settings.API_THROTTLE_RATE = "1000/min"
    settings.API_THROTTLE_SUSTAINED_RATE = "4/hour"
    client = api_as("trust_user")
    assert [client.get(f"{API}/measures/").status_code for _ in range(5)] == [200] * 4 + [429]
    response = client.get(f"{API}/measures/")
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 60 < retry_after <= 3600  # the hour's window, not the minute's
    assert response.json()["retry_after"] == retry_after
    assert api_as("officer").get(f"{API}/measures/").status_code == 200


def test_two_tokens_of_one_user_are_throttled_separately(world, trust_user, settings):
    from rest_framework.test import APIClient

    from .conftest import token_for

    settings.API_THROTTLE_RATE = "2/min"
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Token {token_for(trust_user)}")
    second.credentials(HTTP_AUTHORIZATION=f"Token {token_for(trust_user)}")
    assert [first.get(f"{API}/trusts/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(f"{API}/trusts/").status_code == 200


# --- Bad parameters: 400 naming the parameter ------------------------------------------------

BAD_PARAMETERS = [
    ("/results/", "year=abc", "year"),
    ("/results/", "measure=no_such_measure", "measure"),
    ("/results/", "measure=ks2_rwm_exp,nope", "measure"),
    ("/results/", "area_type=planet", "area_type"),
    ("/results/", "la=999", "la"),
    ("/results/", "trust=999999", "trust"),
    ("/results/", "group=aliens", "group"),
    ("/results/", "status=guessed", "status"),
    ("/results/", "urn=abc", "urn"),
    ("/results/", "updated_since=yesterday", "updated_since"),
    ("/results/", "page_size=0", "page_size"),
    ("/results/", "page_size=lots", "page_size"),
    ("/results/", "cursor=not-a-cursor", "cursor"),
    ("/schools/", "phase=university", "phase"),
    ("/schools/", "ofsted=7", "ofsted"),
    ("/schools/", "status=sleeping", "status"),
    ("/schools/", "la=abc", "la"),
    ("/schools/", "trust=abc", "trust"),
    ("/local-authorities/", "in_partnership=maybe", "in_partnership"),
    ("/measures/", "key_stage=ks9", "key_stage"),
    ("/milestones/", "rag=purple", "rag"),
    ("/milestones/", "plan=abc", "plan"),
    ("/milestones/", "overdue=perhaps", "overdue"),
    ("/categorisations/", "category=huge", "category"),
    ("/categorisations/", "decided_since=31/02/2016", "decided_since"),
    ("/deployments/", "status=ongoing", "status"),
]


@pytest.mark.parametrize(("path", "query", "parameter"), BAD_PARAMETERS)
def test_bad_parameters_get_400_naming_the_parameter(world, api_as, path, query, parameter):
    response = api_as("officer").get(f"{API}{path}?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == 400
    assert parameter in body["errors"]
    assert f"'{parameter}'" in body["detail"]


def test_a_forged_cursor_position_is_a_400_not_a_500(world, api_as):
    import base64

    forged = base64.b64encode(b"p=abc").decode()
    response = api_as("officer").get(f"{API}/results/?cursor={forged}")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_unknown_paths_and_items_are_json_404s(world, api_as):
    client = api_as("officer")
    for path in (
        "/api/v1/nowhere/",
        "/api/v2/results/",
        "/api/v1/schools/999999/",
        "/api/v1/measures/no_such/",
        "/api/v1/plans/999/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["status"] == 404


def test_unknown_format_is_a_json_404(world, api_as):
    response = api_as("officer").get(f"{API}/results/?format=xlsx")
    assert response.status_code == 404
    assert response.json()["status"] == 404


# --- Pages -----------------------------------------------------------------------------------


def test_page_size_is_capped_at_the_maximum(world, api_as):
    response = api_as("officer").get(f"{API}/results/?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == Result.objects.count()


def test_cursor_pages_cover_every_result_once_in_a_stable_order(world, api_as):
    client = api_as("officer")
    url = f"{API}/results/?page_size=2"
    seen = []
    while url:
        body = client.get(url).json()
        seen.extend(r["id"] for r in body["results"])
        assert len(body["results"]) <= 2
        url = body["next"]
    assert seen == sorted(Result.objects.values_list("pk", flat=True))


def test_pages_have_link_headers(world, api_as):
    response = api_as("officer").get(f"{API}/results/?page_size=2")
    assert 'rel="next"' in response["Link"]
    assert response.json()["next"] in response["Link"]
