"""Results carry the PUBLISHED nightly figures beside each row, and filter as documented."""

import pytest

from outcomes.api import ResultSerializer
from pep_portal.nightly.models import CurrentSnapshot

from .conftest import API

pytestmark = pytest.mark.django_db


def results(client, query=""):
    response = client.get(f"{API}/results/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_la_result_has_gap_rank_of_n_quartile_and_rag_with_the_run_date(world, api_as):
    body = results(api_as("board_member"), "area_type=la&la=851&year=2016")
    run = world["run"]
    assert body["snapshot"]["run"] == run.pk
    assert body["snapshot"]["run_date"] is not None
    [row] = body["results"]
    assert row["value"] == 47.6
    nightly = row["nightly"]
    assert nightly["run"] == run.pk
    assert nightly["run_date"].startswith(run.finished_at.strftime("%Y-%m-%dT"))
    assert nightly["gap"] == pytest.approx(-5.9)
    assert (nightly["rank"], nightly["rank_of"], nightly["rank_joint"]) == (140, 150, True)
    assert nightly["quartile"] == "D"
    assert nightly["rag"] == "red"
    assert nightly["rag_reason"] == "Bottom quartile"


def test_school_result_has_its_figures_and_other_rows_have_none(world, api_as, school):
    body = results(api_as("trust_user"), "area_type=school")
    by_urn = {r["urn"]: r for r in body["results"]}
    mine = by_urn[school.urn]["nightly"]
    assert mine["gap"] == pytest.approx(7.5)
    assert mine["gap_la"] == pytest.approx(13.4)
    assert mine["rag"] == "green"
    assert mine["rank"] is None
    others = [r for r in body["results"] if r["urn"] != school.urn]
    assert others and all(r["nightly"] is None for r in others)
    assert results(api_as("trust_user"), "area_type=national")["results"][0]["nightly"] is None


def test_a_figure_from_another_year_is_not_shown_beside_an_older_result(world, api_as):
    body = results(api_as("officer"), "area_type=la&la=851&year=2015")
    assert body["results"][0]["nightly"] is None


def test_suppressed_results_are_null_with_the_reason_never_zero(world, api_as, other_school):
    [row] = results(api_as("officer"), f"urn={other_school.urn}")["results"]
    assert row["value"] is None
    assert row["suppression"] == "suppressed"


def test_before_any_published_run_there_are_no_figures(world, api_as):
    CurrentSnapshot.objects.update(run=None)
    body = results(api_as("officer"))
    assert body["snapshot"] is None
    assert all(r["nightly"] is None for r in body["results"])


def test_only_the_published_run_is_read(world, api_as):
    from outcomes.models import IndicatorFigure
    from pep_portal.nightly.models import NightlyRun

    unpublished = NightlyRun.objects.create(status="running")
    IndicatorFigure.objects.create(
        run=unpublished,
        measure=world["measure"],
        la=world["la"],
        year=2016,
        group="all",
        rank=1,
        rank_n=150,
        rag="green",
    )
    [row] = results(api_as("officer"), "area_type=la&la=851&year=2016")["results"]
    assert row["nightly"]["rank"] == 140


def test_rows_match_the_documented_serializer(world, api_as):
    for row in results(api_as("officer"))["results"]:
        serializer = ResultSerializer(data=row)
        assert serializer.is_valid(), serializer.errors
        assert list(row) == list(ResultSerializer().fields)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "measure=ks2_rwm_exp",
            {
                "national",
                "la_result",
                "la_2015",
                "neighbour_result",
                "school_result",
                "other_school_result",
            },
        ),
        (
            "measure=ks2_rwm_exp,ks4_p8",
            {
                "national",
                "la_result",
                "la_2015",
                "neighbour_result",
                "school_result",
                "other_school_result",
            },
        ),
        ("measure=ks4_p8", set()),
        ("measure=ks4_p8&measure=ks2_rwm_exp&area_type=national", {"national"}),
        ("area_type=la", {"la_result", "la_2015", "neighbour_result"}),
        ("la=851", {"la_result", "la_2015", "school_result", "other_school_result"}),
        ("la=851&area_type=school", {"school_result", "other_school_result"}),
        ("la=852", {"neighbour_result"}),
        ("year=2015", {"la_2015"}),
        ("year=2015,2016&area_type=la&la=851", {"la_result", "la_2015"}),
        ("group=boys", set()),
        ("group=all,boys&area_type=national", {"national"}),
        ("status=final", set()),
        ("status=provisional&area_type=national", {"national"}),
    ],
)
def test_results_filters(world, api_as, query, expected):
    ids = {r["id"] for r in results(api_as("officer"), query)["results"]}
    assert ids == {world[name].pk for name in expected}


def test_filter_by_urn_and_by_trust(world, api_as, school, trust, other_school):
    client = api_as("trust_user")
    by_trust = results(client, f"trust={trust.pk}")["results"]
    assert [r["urn"] for r in by_trust] == [school.urn]
    both = results(client, f"urn={school.urn},{other_school.urn}")["results"]
    assert {r["urn"] for r in both} == {school.urn, other_school.urn}


def test_paging_a_schools_results_one_at_a_time_returns_each_once_in_id_order(
    world, api_as, school, other_school
):
    from outcomes.models import AreaType, Measure, Result

    for measure in Measure.objects.filter(key_stage="ks2")[:5]:
        for s in (school, other_school):
            Result.objects.get_or_create(
                measure=measure,
                area_type=AreaType.SCHOOL,
                school=s,
                academic_year=2016,
                pupil_group="all",
                defaults={"value": 50.0},
            )
    expected = list(
        Result.objects.filter(school__urn=school.urn).order_by("pk").values_list("pk", flat=True)
    )
    client, url, seen = api_as("officer"), f"{API}/results/?urn={school.urn}&page_size=1", []
    while url:
        page = client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        assert "cursor_key" not in (page["results"] or [{}])[0]
        url = page["next"]
    assert len(expected) >= 5
    assert seen == expected


def test_updated_since_returns_only_what_changed(world, api_as):
    from django.utils import timezone

    from outcomes.models import Result

    later = timezone.now() + timezone.timedelta(hours=1)
    Result.objects.filter(pk=world["la_result"].pk).update(updated_at=later)
    since = (later - timezone.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    body = results(api_as("officer"), f"updated_since={since}")
    assert [r["id"] for r in body["results"]] == [world["la_result"].pk]
