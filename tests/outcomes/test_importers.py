"""Importers on small committed samples in the real published layouts."""

import shutil
from pathlib import Path

import pytest

from outcomes.importers import parse_academic_year
from outcomes.models import AreaType, Result, ResultRevision, Suppression
from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from schools.models import LocalAuthority

pytestmark = pytest.mark.django_db


def school_result(urn, code, group="all", year=2016):
    return Result.objects.get(
        measure__code=code, school__urn=urn, academic_year=year, pupil_group=group
    )


def la_result(la_code, code, group="all", year=2016):
    return Result.objects.get(
        measure__code=code, la__code=la_code, academic_year=year, pupil_group=group
    )


def national(code, group="all", year=2016):
    return Result.objects.get(
        measure__code=code, area_type=AreaType.NATIONAL, academic_year=year, pupil_group=group
    )


# --- KS2 performance tables -----------------------------------------------------------------


def test_ks2_table_imports_percent_strings_progress_and_ci(register, fixture_path):
    summary = import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    rwm = school_result(116111, "ks2_rwm_exp")
    assert rwm.value == 65.0
    assert rwm.suppression == ""
    assert rwm.cohort == 60
    read = school_result(116111, "ks2_read_prog")
    assert (read.value, read.ci_lower, read.ci_upper) == (-1.6, -3.1, -0.1)
    assert read.published_band == "Below average"
    assert school_result(116111, "ks2_rwm_exp", "disadvantaged").value == 50.0
    assert school_result(116111, "ks2_rwm_exp", "disadvantaged").cohort == 20
    assert school_result(116111, "ks2_rwm_exp", "girls").value == 69.0
    assert summary["layout"].startswith("DfE performance tables: key stage 2")
    assert summary["academic year"] == 2016  # from the file name


def test_ks2_la_and_national_rows_use_the_key_stage_2_record_types(register, fixture_path):
    import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    assert la_result(851, "ks2_rwm_exp").value == 47.6
    assert la_result(851, "ks2_writ_exp").value == 72.6
    assert la_result(851, "ks2_rwm_exp").cohort == 1850
    assert national("ks2_rwm_exp").value == 53.4  # RECTYPE 4 (state-funded), not 5
    assert national("ks2_writ_exp").value == 74.3
    national_all = Result.objects.filter(
        area_type=AreaType.NATIONAL, measure__code="ks2_rwm_exp", pupil_group="all"
    )
    assert national_all.count() == 1


def test_ks2_every_marker_is_stored_as_suppression_never_a_number(register, fixture_path):
    import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    expected = {
        "ks2_read_exp": Suppression.SUPPRESSED,
        "ks2_writ_exp": Suppression.NOT_APPLICABLE,
        "ks2_mat_exp": Suppression.NOT_ENTERED,
        "ks2_rwm_exp": Suppression.NOT_PUBLISHED,
        "ks2_rwm_high": Suppression.LOW_COVERAGE,
        "ks2_read_prog": Suppression.NO_SCHOOL_ENTRIES,
        "ks2_writ_prog": Suppression.NO_RESULT,
        "ks2_mat_prog": Suppression.NEW_SCHOOL,
    }
    for code, suppression in expected.items():
        result = school_result(116222, code)
        assert result.value is None, code
        assert result.suppression == suppression, code
        assert result.ci_lower is None and result.ci_upper is None
    assert school_result(116222, "ks2_rwm_exp").cohort == 9
    assert school_result(116222, "ks2_rwm_exp", "disadvantaged").cohort is None  # SUPP cohort


def test_ks2_ragged_row_is_read_with_missing_cells_blank(register, fixture_path):
    import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    # Cliffdale's row stops after the cohort columns: nothing to store, and no error.
    assert not Result.objects.filter(school__urn=116333).exists()


def test_ks2_unknown_urn_is_skipped_and_counted_and_unknown_la_is_created(register, fixture_path):
    summary = import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    assert summary["schools not in the register (rows skipped; import the register first)"] == 1
    assert summary["local authorities added"] == 1
    southampton = LocalAuthority.objects.get(code=852)
    assert southampton.name == "Southampton"
    assert la_result(852, "ks2_rwm_exp").value == 50.0


def test_year_can_be_given_as_an_option(register, fixture_path, tmp_path):
    path = tmp_path / "ks2_england.csv"
    shutil.copy(fixture_path("ks2_2016_performance_tables.csv"), path)
    import_file(kind="results", path=str(path), year="2014/15", status="final")

    result = la_result(851, "ks2_rwm_exp", year=2015)
    assert result.status == "final"


def test_performance_table_without_a_year_is_rejected(register, fixture_path, tmp_path):
    path = tmp_path / "ks2_england.csv"
    shutil.copy(fixture_path("ks2_2016_performance_tables.csv"), path)
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    assert "which academic year" in str(exc.value)
    assert not Result.objects.exists()


# --- KS4 performance tables -----------------------------------------------------------------


def test_ks4_table_uses_the_key_stage_4_record_types(register, fixture_path):
    summary = import_file(kind="results", path=fixture_path("ks4_2016_performance_tables.csv"))

    assert la_result(851, "ks4_att8").value == 46.2
    assert national("ks4_att8").value == 49.9  # RECTYPE 7, not 5
    p8 = school_result(116444, "ks4_p8")
    assert (p8.value, p8.ci_lower, p8.ci_upper, p8.published_band) == (
        -0.35,
        -0.53,
        -0.17,
        "Below average",
    )
    assert school_result(116444, "ks4_p8", "disadvantaged").value == -0.81
    assert school_result(116444, "ks4_basics_94").value == 55.0
    assert school_result(116555, "ks4_att8").suppression == Suppression.NOT_ENTERED
    assert school_result(116555, "ks4_ebacc_entry").suppression == Suppression.LOW_COVERAGE
    assert summary["other rows skipped (e.g. England all-schools rows)"] == 1


# --- Bad files: rejected whole, every problem named, nothing written -----------------------


def test_bad_file_is_rejected_whole_with_row_and_column_messages(register, fixture_path):
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=fixture_path("ks2_2016_bad.csv"))

    problems = {(e.row, e.column): e.message for e in exc.value.errors}
    assert "'7 8%' is not a number" in problems[(2, "PTREAD_EXP")]
    assert "'9' is not a record type" in problems[(3, "RECTYPE")]
    assert "'ABC' is not a URN" in problems[(4, "URN")]
    assert "lower bound (-1.2) above its upper (-2.0)" in problems[(5, None)]
    assert "has 30 cells but the header has 29" in problems[(6, None)]
    assert not Result.objects.exists()
    assert not LocalAuthority.objects.filter(code=852).exists()


def test_unknown_layout_is_rejected_with_a_clear_message(db, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Name,Score\nA,1\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    assert "layout of this file is not one the portal knows" in str(exc.value)
    assert "Name, Score" in str(exc.value)


def test_duplicate_area_in_a_performance_table_is_an_error(register, fixture_path, tmp_path):
    path = tmp_path / "2016_ks2.csv"
    lines = Path(fixture_path("ks2_2016_performance_tables.csv")).read_text(encoding="utf-8-sig")
    rows = lines.splitlines()
    path.write_text("\n".join([*rows, rows[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    assert exc.value.errors[0].row == 10
    assert "already on row 2" in exc.value.errors[0].message
    assert not Result.objects.exists()


# --- Re-import: idempotent, revisions kept ----------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(register, fixture_path):
    first = import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))
    before = list(Result.objects.order_by("pk").values())

    second = import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))

    assert first["results created"] > 0
    assert second["results created"] == 0
    assert second["results updated (previous values kept in history)"] == 0
    assert second["results unchanged"] == first["results created"]
    assert list(Result.objects.order_by("pk").values()) == before
    assert not ResultRevision.objects.exists()


def test_revised_file_updates_values_and_keeps_the_previous_in_history(
    register, fixture_path, tmp_path
):
    import_file(kind="results", path=fixture_path("ks2_2016_performance_tables.csv"))
    revised = tmp_path / "2016_ks2_revised.csv"
    text = Path(fixture_path("ks2_2016_performance_tables.csv")).read_text(encoding="utf-8-sig")
    revised.write_text(text.replace("61.3%,72.6%,63.8%,47.6%", "61.3%,72.6%,63.8%,48.1%"))

    summary = import_file(kind="results", path=str(revised), status="revised")

    result = la_result(851, "ks2_rwm_exp")
    assert result.value == 48.1
    assert result.status == "revised"
    history = result.revisions.get()
    assert history.value == 47.6
    assert history.status == "provisional"
    assert "2016_ks2_performance_tables" not in history.replaced_by_source
    assert "2016_ks2_revised.csv" in history.replaced_by_source
    # status changed for every result: all updated, none created
    assert summary["results created"] == 0
    assert summary["results updated (previous values kept in history)"] == Result.objects.count()


# --- EES tidy CSV -------------------------------------------------------------------------------


def test_ees_file_imports_with_shipped_mappings_and_symbols(db, portsmouth, fixture_path):
    summary = import_file(kind="results", path=fixture_path("ees_absence_201516.csv"))

    assert la_result(851, "abs_overall_pct").value == 5.1  # Total row, not Primary
    assert la_result(851, "abs_persistent_pct").value == 12.9
    assert national("abs_overall_pct").value == 4.6
    region = Result.objects.get(measure__code="abs_overall_pct", area_type=AreaType.REGION)
    assert (region.region, region.value) == ("South East", 4.5)
    assert la_result(852, "abs_overall_pct").suppression == Suppression.NOT_AVAILABLE
    assert la_result(852, "abs_persistent_pct").suppression == Suppression.NOT_APPLICABLE
    assert la_result(921, "abs_overall_pct").suppression == Suppression.SUPPRESSED
    assert la_result(921, "abs_persistent_pct").suppression == Suppression.ROUNDS_TO_ZERO
    assert LocalAuthority.objects.get(code=852).gss_code == "E06000045"
    assert summary["rows at other geographic levels (skipped)"] == 1
    assert "sess_possible" in summary["indicators not mapped (not imported)"]


def test_ees_file_with_no_mapped_indicator_is_rejected_naming_them(db, fixture_path):
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=fixture_path("ees_ks4_disadvantaged_2016.csv"))
    assert "avg_att8_custom" in str(exc.value)
    assert "t_pupils" in str(exc.value)
    assert not Result.objects.exists()


def test_academic_year_forms():
    assert parse_academic_year("201516") == 2016
    assert parse_academic_year("2015/16") == 2016
    assert parse_academic_year("2015-16") == 2016
    assert parse_academic_year("2016") == 2016
    with pytest.raises(ValueError):
        parse_academic_year("201517")


# --- LAIT -----------------------------------------------------------------------------------------


def test_lait_extract_imports_every_la_region_and_england(db, portsmouth, fixture_path):
    summary = import_file(kind="results", path=fixture_path("lait_2016.csv"))

    assert la_result(851, "ks2_rwm_exp").value == 47.6
    assert la_result(805, "ks2_rwm_exp").value == 55.1  # "2015/16" is 2016
    assert la_result(852, "ks2_rwm_exp").suppression == Suppression.NOT_AVAILABLE  # "-"
    assert la_result(420, "ks2_rwm_exp").suppression == Suppression.SUPPRESSED
    assert national("ks2_rwm_exp").value == 53.4
    assert Result.objects.get(area_type=AreaType.REGION).region == "South East"
    assert la_result(851, "abs_overall_pct").value == 5.1
    assert LocalAuthority.objects.get(code=805).region == "North East"
    assert "NOT_A_CATALOGUE_CODE" in summary["Short Desc codes not in the catalogue (not imported)"]


def test_lait_reimport_is_idempotent(db, portsmouth, fixture_path):
    import_file(kind="results", path=fixture_path("lait_2016.csv"))
    again = import_file(kind="results", path=fixture_path("lait_2016.csv"))
    assert again["results created"] == 0
    assert again["results updated (previous values kept in history)"] == 0
    assert again["local authorities added"] == 0


def test_lait_bad_value_is_named_by_row_and_column(db, tmp_path):
    path = tmp_path / "lait.csv"
    path.write_text(
        "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
        "KS2RWM_Expected_STD,x,2016,Portsmouth,47.6,851,South East\n"
        "KS2RWM_Expected_STD,x,2016,Southampton,n/a,852,South East\n"
        "KS2RWM_Expected_STD,x,20166,Hartlepool,50,805,North East\n"
        "KS2RWM_Expected_STD,x,2016,Portsmouth,48,851,South East\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    found = [(e.row, e.column) for e in exc.value.errors]
    assert found == [(3, "Values"), (4, "Years"), (5, None)]
    assert "already given on row 2" in exc.value.errors[2].message
    assert not Result.objects.exists()
    assert not LocalAuthority.objects.exists()


# --- The portal template ------------------------------------------------------------------------


def test_template_csv_imports_every_area_type(register, fixture_path):
    import_file(kind="results", path=fixture_path("results_template.csv"))

    assert la_result(851, "ofsted_schools_gob_pct").value == 77
    prog = school_result(116111, "ks2_read_prog")
    assert (prog.value, prog.cohort, prog.ci_lower, prog.ci_upper) == (-1.6, 58, -3.1, -0.1)
    assert national("ks2_rwm_exp", "disadvantaged").status == "revised"
    assert school_result(116111, "ks2_rwm_exp", "eal").suppression == Suppression.SUPPRESSED
    assert Result.objects.get(area_type=AreaType.REGION).value == 95.2


def test_template_rejects_unknown_codes_with_row_and_column(register, tmp_path):
    path = tmp_path / "local.csv"
    path.write_text(
        "measure_code,area_type,area_code,academic_year,pupil_group,value\n"
        "ks2_rwm_exp,la,851,2016,all,47.6\n"
        "ks2_nonsense,la,851,2016,all,1\n"
        "ks2_rwm_exp,county,851,2016,all,1\n"
        "ks2_rwm_exp,la,999,2016,all,1\n"
        "ks2_rwm_exp,school,116111,2016,pupils,1\n"
        "ks2_rwm_exp,school,116111,2016,all,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    found = [(e.row, e.column) for e in exc.value.errors]
    assert found == [
        (3, "measure_code"),
        (4, "area_type"),
        (5, "area_code"),
        (6, "pupil_group"),
        (7, "value"),
    ]
    assert not Result.objects.exists()


def test_template_names_an_area_code_the_register_does_not_hold(register, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text(
        "measure_code,area_type,area_code,academic_year,pupil_group,value\n"
        "ks2_rwm_exp,school,999999,2016,all,1\n"
        "ks2_rwm_exp,school,abc,2016,all,1\n"
        "ks2_rwm_exp,la,999,2016,all,1\n"
        "ks2_rwm_exp,region,,2016,all,1\n"
        "ks2_rwm_exp,national,,2016,all,53\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    assert [(e.row, e.column, e.message) for e in exc.value.errors] == [
        (2, "area_code", "'999999' is not the URN of a school in the register."),
        (3, "area_code", "'abc' is not the URN of a school in the register."),
        (4, "area_code", "'999' is not the number of an LA in the register."),
        (5, "area_code", "A region result needs the region's name."),
    ]
    assert not Result.objects.exists()


def test_template_with_a_repeated_column_is_rejected_naming_it(register, tmp_path):
    path = tmp_path / "local.csv"
    path.write_text(
        "measure_code,area_type,area_code,academic_year,pupil_group,value,Value\n"
        "ks2_rwm_exp,la,851,2016,all,47.6,48\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    assert [str(e) for e in exc.value.errors] == [
        "row 1: The header repeats the column(s) 'value': give each column once."
    ]
    assert not Result.objects.exists()


def test_template_xlsx_imports_like_csv(register, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["measure_code", "area_type", "area_code", "academic_year", "pupil_group", "value"])
    ws.append(["ks2_rwm_exp", "la", 851, 2016, "all", 47.6])
    ws.append(["ks2_rwm_exp", "school", 116111, 2016, "boys", "NP"])
    path = tmp_path / "local.xlsx"
    wb.save(path)

    import_file(kind="results", path=str(path))

    assert la_result(851, "ks2_rwm_exp").value == 47.6
    assert school_result(116111, "ks2_rwm_exp", "boys").suppression == Suppression.NOT_PUBLISHED


# --- Statistical neighbours -------------------------------------------------------------------


def test_statistical_neighbours_create_las_and_links(db, portsmouth, fixture_path):
    summary = import_file(
        kind="statistical_neighbours", path=fixture_path("statistical_neighbours.csv")
    )

    links = list(
        portsmouth.neighbour_links.order_by("position").values_list("neighbour__code", "closeness")
    )
    assert links == [(852, "very_close"), (805, "close"), (921, "somewhat_close")]
    wight = LocalAuthority.objects.get(code=921)
    assert wight.name == "Isle of Wight"
    # neighbours named rather than numbered resolve too
    assert list(wight.neighbour_links.values_list("neighbour__code", flat=True)) == [851, 852]
    assert summary["local authorities added"] == 3

    again = import_file(
        kind="statistical_neighbours", path=fixture_path("statistical_neighbours.csv")
    )
    assert again["LAs whose neighbours were unchanged"] == 4
    assert again["neighbour links written"] == 0


def test_statistical_neighbours_bad_closeness_rejected(db, tmp_path):
    path = tmp_path / "sn.csv"
    path.write_text(
        "LA num,LA Name,GOReg,SN1,SNP1\n851,Portsmouth,South East,852,Quite near\n"
        "852,Southampton,South East,777,Close\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="statistical_neighbours", path=str(path))
    found = [(e.row, e.column) for e in exc.value.errors]
    assert found == [(2, "SNP1"), (3, "SN1")]
    assert not LocalAuthority.objects.exists()


def test_progress_is_reported_row_by_row(register, fixture_path):
    from outcomes.importers import import_ks2_performance_tables

    seen = []
    import_ks2_performance_tables(
        fixture_path("ks2_2016_performance_tables.csv"), progress=seen.append
    )
    assert seen == list(range(1, 9))  # eight data rows, header excluded
