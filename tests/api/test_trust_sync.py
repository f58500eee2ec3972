"""A trust's nightly sync, played the way a trust would: a plain `requests` script with a token
against a running server, paging through all its schools' results, then again with
If-None-Match and getting 304s; then one change shows up as one changed page."""

import pytest
import requests

from outcomes.models import AreaType, Measure, Result
from tests.factories import SchoolFactory

from .conftest import token_for

pytestmark = pytest.mark.django_db(transaction=True)


def sync(base_url: str, token: str, trust_id: int, known: dict) -> dict:
    """The guide's example, as a trust would run it: returns what it fetched."""
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    url = f"{base_url}/api/v1/results/?page_size=3&trust={trust_id}"
    fetched, unchanged, pages = [], 0, 0
    while url:
        headers = {"If-None-Match": known[url][0]} if url in known else {}
        response = session.get(url, headers=headers, timeout=30)
        pages += 1
        if response.status_code == 304:
            assert response.content == b""
            unchanged += 1
            url = known[url][1]
            continue
        assert response.status_code == 200, response.text
        page = response.json()
        known[url] = [response.headers["ETag"], page["next"]]
        fetched.extend(page["results"])
        url = page["next"]
    return {"fetched": fetched, "unchanged": unchanged, "pages": pages}


def test_a_trust_syncs_its_schools_results_then_gets_304s(
    live_server, world, trust, trust_user, school, other_school
):
    measures = list(Measure.objects.filter(key_stage="ks2")[:4])
    schools = [school] + [SchoolFactory(trust=trust) for _ in range(2)]
    for s in schools:
        for m in measures:
            Result.objects.get_or_create(
                measure=m,
                area_type=AreaType.SCHOOL,
                school=s,
                academic_year=2016,
                pupil_group="all",
                defaults={"value": 50.0},
            )
    expected = set(Result.objects.filter(school__trust=trust).values_list("pk", flat=True))
    token = token_for(trust_user)
    known: dict = {}

    first = sync(live_server.url, token, trust.pk, known)
    ids = [r["id"] for r in first["fetched"]]
    assert len(ids) == len(set(ids))  # nothing twice
    assert ids == sorted(ids)  # in id order, page after page
    assert set(ids) == expected  # everything of its schools', nothing else
    assert other_school.urn not in {r["urn"] for r in first["fetched"]}
    assert first["pages"] >= 4 and first["unchanged"] == 0
    mine = next(r for r in first["fetched"] if r["urn"] == school.urn and r["nightly"])
    assert mine["nightly"]["rag"] == "green"

    second = sync(live_server.url, token, trust.pk, known)
    assert second["fetched"] == []
    assert second["unchanged"] == first["pages"]

    changed = Result.objects.filter(school__trust=trust).order_by("pk").last()
    changed.value = 99.0
    changed.save()
    third = sync(live_server.url, token, trust.pk, known)
    # Only the page holding the changed result comes back.
    assert changed.pk in {r["id"] for r in third["fetched"]}
    assert len(third["fetched"]) <= 3
    assert third["unchanged"] == first["pages"] - 1
    assert next(r for r in third["fetched"] if r["id"] == changed.pk)["value"] == 99.0
