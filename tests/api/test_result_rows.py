"""A page of results is one query with the published figures joined in (outcomes/api.py and
pep_portal/api/rows.py): its body is byte for byte what the rows and figures say, built here
the slow way (model instances, one figure lookup per row), for a trust and for an officer;
and a newly published snapshot changes it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from outcomes.calculations import rag
from outcomes.models import AreaType, IndicatorFigure, Polarity, Result, SchoolFigure
from pep_portal.nightly.models import CurrentSnapshot, NightlyRun

from .conftest import API, publish_run

pytestmark = pytest.mark.django_db


def reason_of(f) -> str | None:
    return (
        rag.figure_reason(
            words=f.rag_reason,
            code=f.rag_code,
            value=f.value,
            national=f.national,
            tolerance=f.rag_tolerance,
            higher_is_better=f.measure.polarity == Polarity.HIGHER_BETTER,
            precision=f.measure.decimal_places,
        )
        or None
    )


def figures_of(result: Result, run: NightlyRun) -> dict | None:
    """The nightly figures a result shows, looked up one row at a time."""
    common = {"run": run.pk, "run_date": run.finished_at.isoformat() if run.finished_at else None}
    if result.area_type == AreaType.LA:
        f = IndicatorFigure.objects.filter(
            run=run,
            la_id=result.la_id,
            measure_id=result.measure_id,
            year=result.academic_year,
            group=result.pupil_group,
        ).first()
        if f is None:
            return None
        return {
            **common,
            "national": f.national,
            "la_value": None,
            "gap": f.gap,
            "gap_la": None,
            "rank": f.rank,
            "rank_of": f.rank_n,
            "rank_joint": f.rank_joint,
            "quartile": f.quartile or None,
            "significance": f.significance or None,
            "progress_band": f.progress_band or None,
            "trend": f.trend_direction or None,
            "rag": f.rag or None,
            "rag_reason": reason_of(f),
        }
    if result.area_type == AreaType.SCHOOL:
        f = SchoolFigure.objects.filter(
            run=run,
            school_id=result.school_id,
            measure_id=result.measure_id,
            group=result.pupil_group,
        ).first()
        if f is None or f.year != result.academic_year:
            return None
        return {
            **common,
            "national": f.national,
            "la_value": f.la_value,
            "gap": f.gap,
            "gap_la": f.gap_la,
            "rank": None,
            "rank_of": None,
            "rank_joint": None,
            "quartile": None,
            "significance": f.significance or None,
            "progress_band": f.progress_band or None,
            "trend": f.trend_direction or None,
            "rag": f.rag or None,
            "rag_reason": reason_of(f),
        }
    return None


def expected_body(results, run: NightlyRun) -> bytes:
    rows = []
    for r in results:
        la = r.la if r.la_id else (r.school.la if r.school_id else None)
        rows.append(
            {
                "id": r.pk,
                "measure": r.measure.code,
                "area_type": r.area_type,
                "urn": r.school.urn if r.school_id else None,
                "school_name": r.school.name if r.school_id else None,
                "la": la.code if la else None,
                "region": r.region,
                "year": r.academic_year,
                "group": r.pupil_group,
                "value": r.value,
                "suppression": r.suppression,
                "cohort": r.cohort,
                "ci_lower": r.ci_lower,
                "ci_upper": r.ci_upper,
                "published_band": r.published_band,
                "status": r.status,
                "updated_at": r.updated_at.isoformat().replace("+00:00", "Z"),
                "nightly": figures_of(r, run),
            }
        )
    snapshot = CurrentSnapshot.objects.get(singleton=1)
    body = {
        "next": None,
        "previous": None,
        "snapshot": {
            "run": run.pk,
            "run_date": run.finished_at.isoformat().replace("+00:00", "Z"),
            "published_at": snapshot.switched_at.isoformat().replace("+00:00", "Z"),
        },
        "results": rows,
    }
    return JSONRenderer().render(body)


@pytest.fixture
def more_figures(world):
    """A figure of every kind the join must keep apart: another year's school figure, a
    figure in an unpublished run, and an LA figure with nulls and blanks."""
    run, rwm = world["run"], world["measure"]
    SchoolFigure.objects.create(
        run=run, school=world["other_school_result"].school, measure=rwm, year=2015, group="all"
    )
    draft = NightlyRun.objects.create(status="running")
    IndicatorFigure.objects.create(
        run=draft, measure=rwm, la=world["neighbour"], year=2016, group="all", rag="green"
    )
    IndicatorFigure.objects.create(
        run=run, measure=rwm, la=world["la"], year=2015, group="all", gap=-0.1 + -0.2
    )


@pytest.mark.parametrize("role", ["trust_user", "officer"])
def test_a_page_is_byte_for_byte_the_rows_and_their_figures(world, more_figures, api_as, role):
    response = api_as(role).get(f"{API}/results/?page_size=500")
    assert response.status_code == 200
    results = Result.objects.select_related("measure", "school__la", "la").order_by("pk")
    assert {r.area_type for r in results} == {"school", "la", "national"}
    assert response.content == expected_body(results, world["run"])
    body = response.json()
    assert sum(1 for r in body["results"] if r["nightly"]) == 3
    assert any(r["nightly"] and r["nightly"]["rank_joint"] is True for r in body["results"])


def test_a_trusts_sync_page_is_the_same_rows_the_slow_way(world, more_figures, api_as, trust):
    response = api_as("trust_user").get(f"{API}/results/?page_size=500&trust={trust.pk}")
    results = Result.objects.filter(school__trust=trust).order_by("pk")
    assert [r["id"] for r in response.json()["results"]] == [r.pk for r in results]
    assert response.content == expected_body(results, world["run"])


def test_a_newly_published_snapshot_changes_the_page(world, api_as):
    client = api_as("officer")
    before = client.get(f"{API}/results/?page_size=500")
    run = publish_run()
    after = client.get(f"{API}/results/?page_size=500")
    assert after.content != before.content
    assert after.json()["snapshot"]["run"] == run.pk
    assert all(r["nightly"] is None for r in after.json()["results"])  # no figures yet
    IndicatorFigure.objects.create(
        run=run, measure=world["measure"], la=world["la"], year=2016, group="all", rank=7
    )
    results = Result.objects.select_related("measure", "school__la", "la").order_by("pk")
    latest = client.get(f"{API}/results/?page_size=500")
    assert latest.content == expected_body(results, run)
    [la_row] = [r for r in latest.json()["results"] if r["id"] == world["la_result"].pk]
    assert la_row["nightly"]["rank"] == 7
    assert la_row["nightly"]["run"] == run.pk


def test_a_trusts_pages_are_found_from_the_school_and_id_index(world, more_figures, api_as, trust):
    """A trust's sync pages through its schools' rows spread through millions: each page's
    ids are found first, by a subquery reading nothing of the results table but the school
    and the id (the index result_school_id answers it alone), then only the page's rows are
    read. Page by page, the rows are the trust's, in id order."""
    school = world["school_result"].school
    for year in (2014, 2015):  # and 2016's: three of the trust's rows, among others'
        Result.objects.create(
            measure=world["measure"],
            area_type=AreaType.SCHOOL,
            school=school,
            academic_year=year,
            value=50.0,
        )
    client = api_as("trust_user")
    url = f"{API}/results/?page_size=1&trust={trust.pk}"
    seen = []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        [sql] = [q["sql"] for q in ctx.captured_queries if '"outcomes_result"' in q["sql"]]
        keys = sql[sql.index("IN (SELECT") :]
        assert keys.startswith(
            'IN (SELECT U0."id" AS "pk" FROM "outcomes_result" U0 '
            'INNER JOIN "schools_school" U1 ON (U0."school_id" = U1."id")'
        )
        assert 'U0."la_id"' not in keys and 'U0."measure_id"' not in keys
        page = response.json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    trusts = Result.objects.filter(school__trust=trust).order_by("pk")
    assert len(seen) == 3
    assert seen == [r.pk for r in trusts]
