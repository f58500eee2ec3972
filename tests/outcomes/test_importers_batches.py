"""The fast path of the performance-table import: many batches, memoised cells, set-based writes.

The importer parses a batch of rows column by column and writes each batch in one go; these
tests pin that doing so in several batches (and with the cell memo forgotten between them)
gives exactly what a reader of the file would expect, and that re-imports and revisions
behave as one batch does.
"""

from pathlib import Path

import pytest

from outcomes.importers import performance_tables as importers
from outcomes.models import AreaType, Result, ResultRevision, Suppression
from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from schools.models import LocalAuthority

pytestmark = pytest.mark.django_db

FIELDS = (
    "measure__code",
    "area_type",
    "school__urn",
    "la__code",
    "region",
    "academic_year",
    "pupil_group",
    "value",
    "suppression",
    "cohort",
    "ci_lower",
    "ci_upper",
    "published_band",
    "status",
)


def stored():
    return sorted(Result.objects.values_list(*FIELDS), key=repr)


def ks2_text(fixture_path) -> str:
    return Path(fixture_path("ks2_2016_performance_tables.csv")).read_text(encoding="utf-8-sig")


@pytest.fixture
def tiny_batches(monkeypatch):
    """Two rows per batch and a memo that forgets its cells after every batch."""
    monkeypatch.setattr(importers, "PT_BATCH", 2)
    monkeypatch.setattr(importers._CellMemo, "LIMIT", 1)


def test_many_small_batches_store_the_same_results_as_one(register, fixture_path, tiny_batches):
    summary = import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    assert summary["results created"] == Result.objects.count()
    harbour = Result.objects.get(
        measure__code="ks2_read_prog", school__urn=116111, pupil_group="all"
    )
    assert (harbour.value, harbour.ci_lower, harbour.ci_upper, harbour.cohort) == (
        -1.6,
        -3.1,
        -0.1,
        60,
    )
    assert harbour.published_band == "Below average"
    spinnaker = Result.objects.get(
        measure__code="ks2_mat_prog", school__urn=116222, pupil_group="all"
    )
    assert (spinnaker.value, spinnaker.suppression) == (None, Suppression.NEW_SCHOOL)
    assert Result.objects.get(
        measure__code="ks2_rwm_exp", la__code=852, pupil_group="all"
    ).value == pytest.approx(50.0)
    england = Result.objects.get(
        measure__code="ks2_rwm_exp", area_type=AreaType.NATIONAL, pupil_group="all"
    )
    assert (england.value, england.cohort) == (53.4, 560000)
    in_batches = stored()

    Result.objects.all().delete()
    importers.PT_BATCH = 10_000  # restored by monkeypatch after the test
    import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))
    assert stored() == in_batches


def test_reimport_in_batches_writes_nothing(register, fixture_path, tiny_batches):
    first = import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))
    before = list(Result.objects.order_by("pk").values())

    again = import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    assert again["results unchanged"] == first["results created"]
    assert (
        again["results created"] == again["results updated (previous values kept in history)"] == 0
    )
    assert list(Result.objects.order_by("pk").values()) == before
    assert not ResultRevision.objects.exists()


def test_a_value_that_becomes_a_marker_keeps_the_old_value_and_ci_in_history(
    register, fixture_path, tmp_path
):
    import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))
    revised = tmp_path / "2016_ks2_revised.csv"
    # Harbour's reading progress (-1.6, CI -3.1 to -0.1) is withdrawn: SUPP, CI cells blank.
    revised.write_text(
        ks2_text(fixture_path).replace(
            "5%,-1.6,-3.1,-0.1,Below average", "5%,SUPP,,,Below average"
        ),
        encoding="utf-8",
    )

    summary = import_file(kind="results", path=str(revised))

    assert summary["results updated (previous values kept in history)"] == 1
    result = Result.objects.get(
        measure__code="ks2_read_prog", school__urn=116111, pupil_group="all"
    )
    assert (result.value, result.suppression, result.ci_lower, result.ci_upper) == (
        None,
        Suppression.SUPPRESSED,
        None,
        None,
    )
    old = result.revisions.get()
    assert (old.value, old.ci_lower, old.ci_upper, old.suppression) == (-1.6, -3.1, -0.1, "")
    assert old.replaced_by_source.endswith("2016_ks2_revised.csv")
    assert result.source.endswith("2016_ks2_revised.csv")


def test_a_changed_band_or_cohort_alone_is_an_update(register, fixture_path, tmp_path):
    import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))
    revised = tmp_path / "2016_ks2_revised.csv"
    text = ks2_text(fixture_path).replace("-3.1,-0.1,Below average", "-3.1,-0.1,Average")
    text = text.replace(
        "Harbour Primary School,Portsmouth,60,", "Harbour Primary School,Portsmouth,61,"
    )
    revised.write_text(text, encoding="utf-8")

    summary = import_file(kind="results", path=str(revised))

    read = Result.objects.get(measure__code="ks2_read_prog", school__urn=116111, pupil_group="all")
    assert (read.published_band, read.cohort) == ("Average", 61)
    assert read.revisions.get().published_band == "Below average"
    # Every Harbour result of the all-pupils group carries the cohort: each one changed.
    harbour_all = Result.objects.filter(school__urn=116111, pupil_group="all").count()
    assert summary["results updated (previous values kept in history)"] == harbour_all
    assert ResultRevision.objects.count() == harbour_all


def test_errors_in_later_batches_reject_the_whole_file_in_row_order(
    register, fixture_path, tmp_path, tiny_batches
):
    path = tmp_path / "2016_ks2.csv"
    lines = ks2_text(fixture_path).splitlines()
    # Good rows first (written batch by batch), then bad cells in the last rows.
    bad_la = lines[6].replace("63%,73%", "63%,7 3%")  # Southampton
    bad_school = lines[1].replace("116111", "116444").replace("-1.6,-3.1,-0.1", "-1.6,-0.1,-3.1")
    bad_cohort = lines[2].replace("116222", "116555").replace(",9,SUPP,", ",-9,SUPP,")
    path.write_text(
        "\n".join([*lines[:5], bad_la, bad_school, bad_cohort]) + "\n", encoding="utf-8"
    )

    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))

    found = [(e.row, e.column) for e in exc.value.errors]
    assert found == [(6, "PTWRITTA_EXP"), (7, None), (8, "TELIG")]
    assert "'7 3%' is not a number" in exc.value.errors[0].message
    assert "ks2_read_prog has its lower bound (-0.1) above its upper (-3.1)" in (
        exc.value.errors[1].message
    )
    assert "'-9' is not a number of pupils" in exc.value.errors[2].message
    assert not Result.objects.exists()
    assert not LocalAuthority.objects.filter(code=852).exists()


def test_an_la_number_in_other_digits_is_a_row_error_not_a_crash(register, fixture_path, tmp_path):
    path = tmp_path / "2016_ks2.csv"
    lines = ks2_text(fixture_path).splitlines()
    lines[6] = lines[6].replace("3,852,", "3,\u00b2,", 1)  # Southampton's LA row
    lines[7] = lines[7].replace("4,,", "3,-5,", 1)  # England's row made an LA row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))

    problems = {(e.row, e.column): e.message for e in exc.value.errors}
    assert "'\u00b2' is not an LA number" in problems[(7, "LEA")]
    assert "'-5' is not an LA number" in problems[(8, "LEA")]
    assert not Result.objects.exists()


def test_template_reimport_of_every_area_type_is_idempotent_and_revisions_kept(
    register, fixture_path, tmp_path
):
    first = import_file(kind="results", path=fixture_path("results_template.csv"))
    again = import_file(kind="results", path=fixture_path("results_template.csv"))
    assert again["results unchanged"] == first["results created"] == 5
    assert (
        again["results created"] == again["results updated (previous values kept in history)"] == 0
    )

    revised = tmp_path / "local_revised.csv"
    text = Path(fixture_path("results_template.csv")).read_text(encoding="utf-8-sig")
    revised.write_text(text.replace("South East,2016,all,95.2", "South East,2016,all,95.9"))
    summary = import_file(kind="results", path=str(revised))

    assert summary["results updated (previous values kept in history)"] == 1
    region = Result.objects.get(area_type=AreaType.REGION)
    assert region.value == 95.9
    assert region.revisions.get().value == 95.2
