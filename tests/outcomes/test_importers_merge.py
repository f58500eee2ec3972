"""Merge, don't overwrite: a result keeps each field from the richest source that has it."""

from pathlib import Path

import pytest

from outcomes.models import Result, ResultRevision
from pep_portal.imports.services import import_file
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
    hampshire_tables, tmp_path, client_as, publish
):
    import_file(
        kind="results",
        path=lait_file(tmp_path, "KS2R_Prog_VA,,2019,Hampshire,-0.4,850.0,South East\n"),
    )
    publish()  # the page shows the published snapshot's figures
    page = client_as("officer").get("/outcomes/?la=850&year=2019").content.decode()
    row = page[page.index('data-measure="ks2_read_prog"') :]
    row = row[: row.index("</tr>")]
    assert "DfE KS2 performance tables (ks2_850_hampshire_2018-2019_ks2final.csv)" in row
    # The table's CI survived, so the difference to national is still shown.
    assert "Significantly below national" in row
    assert "95% CI -0.5 to -0.3" in row


# --- EES time periods -----------------------------------------------------------------------


def test_ees_year_to_date_is_kept_with_its_period_and_never_a_years_result(
    db, portsmouth, fixture_path, client_as
):
    from outcomes.models import PeriodResult

    summary = import_file(kind="results", path=fixture_path("ees_attendance_ytd_202425.csv"))

    # Only the "Academic year" row is a year's result; the others keep their period.
    assert set(Result.objects.values_list("academic_year", flat=True)) == {2024}
    assert not Result.objects.filter(academic_year=2025).exists()
    ytd = PeriodResult.objects.get(
        measure__code="abs_overall_pct", area_key=f"la:{portsmouth.pk}", period="Year to date"
    )
    assert (ytd.academic_year, ytd.value) == (2025, 7.6)
    periods = set(PeriodResult.objects.values_list("period", flat=True))
    assert periods == {"Year to date", "Autumn term", "Week 12"}
    assert "Year to date" in summary["periods"]

    page = client_as("officer").get("/outcomes/?la=851").content.decode()
    assert "Outcomes: Portsmouth, 2024" in page  # the default is the latest full year
    assert "Part-year figures" not in page  # 2023/24 has none
    page = client_as("officer").get("/outcomes/?la=851&year=2025").content.decode()
    table = page[page.index("Part-year figures") :]
    assert "not ranked, banded or compared with a full year" in table
    row = table[table.index('data-period="Year to date"') :]
    row = row[: row.index("</tr>")]
    assert ">7.6<" in row and ">6.9<" in row  # Portsmouth and England, both year to date


def test_reimporting_year_to_date_changes_nothing_and_a_later_file_updates(
    db, portsmouth, fixture_path, tmp_path
):
    from outcomes.models import PeriodResult

    import_file(kind="results", path=fixture_path("ees_attendance_ytd_202425.csv"))
    again = import_file(kind="results", path=fixture_path("ees_attendance_ytd_202425.csv"))
    assert again["results created"] == 0
    text = tmp_path / "later.csv"
    original = Path(fixture_path("ees_attendance_ytd_202425.csv")).read_text(encoding="utf-8")
    text.write_text(original.replace("Portsmouth,Total,7.6,21.3", "Portsmouth,Total,7.4,20.9"))
    import_file(kind="results", path=str(text))
    assert (
        PeriodResult.objects.get(
            measure__code="abs_overall_pct", area_key=f"la:{portsmouth.pk}", period="Year to date"
        ).value
        == 7.4
    )


def test_the_same_figure_at_another_precision_is_no_change_and_the_finer_one_is_kept(
    hampshire_tables, tmp_path
):
    # KS2 tables round progress to one place; LAIT publishes two: 0.37 is the tables' 0.4.
    table = hampshire("ks2_mat_prog", "non_disadvantaged")
    assert table.value == -0.4
    lait = lait_file(tmp_path, "KS2_NonDAP_Maths_Progress,,2019,Hampshire,-0.37,850.0,SE\n")
    import_file(kind="results", path=lait)
    finer = hampshire("ks2_mat_prog", "non_disadvantaged")
    assert (finer.value, finer.ci_lower, finer.ci_upper) == (-0.37, table.ci_lower, table.ci_upper)
    assert finer.source == "lait: lait_extract.csv"

    # Importing the tables again rounds nothing away and writes nothing.

    summary = import_file(
        kind="results",
        path=str(Path(__file__).resolve().parent.parent / "fixtures" / "outcomes" / KS2_FILE),
        status="final",
    )
    assert summary["results updated (previous values kept in history)"] == 0
    assert hampshire("ks2_mat_prog", "non_disadvantaged").value == -0.37
