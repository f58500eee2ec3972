"""Merge, don't overwrite: a result keeps each field from the richest source that has it."""

import pytest

from outcomes.models import Result, ResultRevision
from pep_portal.services import import_file
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

KS2_FILE = "ks2_850_hampshire_2018-2019_ks2final.csv"
LAIT_HEADER = "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"


@pytest.fixture
def hampshire_tables(db, fixture_path):
    LocalAuthorityFactory(code=850, name="Hampshire", in_partnership=True)
    import_file(kind="results", path=fixture_path(KS2_FILE), status="final")


def lait_file(tmp_path, rows: str):
    path = tmp_path / "lait_extract.csv"
    path.write_text(LAIT_HEADER + rows, encoding="utf-8")
    return str(path)


def hampshire(code, group="all"):
    return Result.objects.get(
        measure__code=code, la__code=850, academic_year=2019, pupil_group=group
    )


def test_lait_import_of_the_same_figure_keeps_the_tables_ci_band_and_cohort(
    hampshire_tables, tmp_path
):
    before = hampshire("ks2_read_prog")
    assert (before.value, before.ci_lower, before.ci_upper) == (-0.4, -0.5, -0.3)
    rwm_cohort = hampshire("ks2_rwm_exp").cohort

    summary = import_file(
        kind="results",
        path=lait_file(
            tmp_path,
            "KS2R_Prog_VA,,2019,Hampshire,-0.4,850.0,South East\n"
            "KS2RWM_Expected_STD,,2019,Hampshire,68,850.0,South East\n"
            "DAP_NEW_KS2_RWM,,2019,Hampshire,-,850.0,South East\n",
        ),
    )

    assert summary["results unchanged"] == 3  # the "-" too: it erases nothing
    after = hampshire("ks2_read_prog")
    assert (after.value, after.ci_lower, after.ci_upper) == (-0.4, -0.5, -0.3)
    assert after.status == "final"  # LAIT's plain year does not take the status back
    assert after.source.startswith("ks2_performance_tables: ")
    assert hampshire("ks2_rwm_exp").cohort == rwm_cohort == 14855
    assert not ResultRevision.objects.exists()


def test_not_available_never_erases_a_figure(hampshire_tables, tmp_path):
    import_file(
        kind="results",
        path=lait_file(tmp_path, "DAP_NEW_KS2_RWM,,2019,Hampshire,-,850.0,South East\n"),
    )
    disadvantaged = hampshire("ks2_rwm_exp", "disadvantaged")
    assert (disadvantaged.value, disadvantaged.suppression) == (49.0, "")
    assert not ResultRevision.objects.exists()


def test_a_changed_figure_is_a_revision_with_its_source(hampshire_tables, tmp_path):
    import_file(
        kind="results",
        path=lait_file(tmp_path, "KS2RWM_Expected_STD,,2019 (Rev),Hampshire,69,850,South East\n"),
    )
    rwm = hampshire("ks2_rwm_exp")
    assert (rwm.value, rwm.status) == (69.0, "revised")
    assert rwm.source == "lait: lait_extract.csv"
    revision = ResultRevision.objects.get(result=rwm)
    assert revision.value == 68.0
    assert revision.cohort == 14855
    assert revision.source.startswith("ks2_performance_tables: ")
    assert revision.replaced_by_source == "lait: lait_extract.csv"


def test_outcomes_page_names_the_source_and_keeps_the_difference_to_national(
    hampshire_tables, tmp_path, client_as
):
    import_file(
        kind="results",
        path=lait_file(tmp_path, "KS2R_Prog_VA,,2019,Hampshire,-0.4,850.0,South East\n"),
    )
    page = client_as("officer").get("/outcomes/?la=850&year=2019").content.decode()
    row = page[page.index('data-measure="ks2_read_prog"') :]
    row = row[: row.index("</tr>")]
    assert "DfE KS2 performance tables (ks2_850_hampshire_2018-2019_ks2final.csv)" in row
    # The table's CI survived, so the difference to national is still shown.
    assert "Significantly below national" in row
    assert "95% CI -0.5 to -0.3" in row
