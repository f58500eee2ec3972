"""Real DfE performance-table files, trimmed with their quirks kept (BOM, CRLF, ragged rows,
SUPP/NA/NEW/LOWCOV/NP/NE markers, blank and single-space national cells, '66.70%'), give the
values DfE published (the values listed in the shared data README)."""

import pytest

from outcomes import layouts
from outcomes.models import AreaType, Result
from pep_portal.imports.services import import_file
from tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

KS2_FILE = "ks2_850_hampshire_2018-2019_ks2final.csv"
KS4_FILE = "ks4_850_hampshire_2017-2018_ks4final.csv"
KS4_2017_FILE = "ks4_850_hampshire_2016-2017_ks4final.csv"


@pytest.fixture
def hampshire(db):
    la = LocalAuthorityFactory(code=850, name="Hampshire")
    for urn, name in [
        (115851, "Anstey Junior School"),
        (115852, "Balksbury Junior School"),
        (140690, "The Cambridge Primary School"),
        (147021, "Oakfield Primary School"),
        (116633, "The Waterloo School"),
        (137315, "Testwood School"),
        (141187, "Coppice Spring School"),
        (116609, "Icknield School"),
        (116432, "Cranbourne Business and Enterprise College"),
        (145125, "Everest Community Academy"),
    ]:
        SchoolFactory(urn=urn, la=la, name=name)
    return la


def get(code, *, year, group="all", urn=None, la=None, national=False):
    query = {"measure__code": code, "academic_year": year, "pupil_group": group}
    if urn:
        query["school__urn"] = urn
    elif la:
        query["la__code"] = la
    else:
        assert national
        query["area_type"] = AreaType.NATIONAL
    return Result.objects.get(**query)


# --- KS2 2018/19 ------------------------------------------------------------------------------


def test_ks2_year_comes_from_the_file_name(hampshire, fixture_path):
    summary = import_file(kind="results", path=fixture_path(KS2_FILE))

    assert summary["academic year"] == 2019  # 2018-2019 is the academic year 2018/19
    assert not Result.objects.exclude(academic_year=2019).exists()


def test_ks2_year_box_left_blank_in_the_browser_reads_the_uploaded_name(hampshire, fixture_path):
    # The stored upload can be renamed; the original name is what the officer downloaded.
    summary = import_file(
        kind="results", path=fixture_path(KS2_FILE), year="", source_name=KS2_FILE
    )
    assert summary["academic year"] == 2019


def test_ks2_national_is_the_state_funded_row(hampshire, fixture_path):
    import_file(kind="results", path=fixture_path(KS2_FILE))

    rwm = get("ks2_rwm_exp", year=2019, national=True)
    assert (rwm.value, rwm.cohort) == (65.0, 644967)  # RECTYPE 5, not 4's 649,249
    assert get("ks2_mat_exp", year=2019, group="prior_high", national=True).value == 99.0
    assert Result.objects.filter(area_type=AreaType.NATIONAL, measure__code="ks2_rwm_exp").count()


def test_ks2_la_row_values(hampshire, fixture_path):
    import_file(kind="results", path=fixture_path(KS2_FILE))

    rwm = get("ks2_rwm_exp", year=2019, la=850)
    assert (rwm.value, rwm.cohort) == (68.0, 14855)
    assert get("ks2_read_prog", year=2019, la=850).value == -0.4
    assert get("ks2_writ_prog", year=2019, la=850).value == -0.1
    assert get("ks2_mat_prog", year=2019, la=850).value == -0.7
    assert get("ks2_rwm_exp", year=2019, la=850, group="disadvantaged").value == 49.0
    assert get("ks2_rwm_exp", year=2019, la=850, group="non_disadvantaged").value == 73.0


def test_ks2_subgroup_progress_keeps_its_confidence_interval(hampshire, fixture_path):
    import_file(kind="results", path=fixture_path(KS2_FILE))

    la = get("ks2_read_prog", year=2019, la=850, group="disadvantaged")
    assert (la.value, la.ci_lower, la.ci_upper) == (-1.5, -1.8, -1.3)
    anstey = get("ks2_read_prog", year=2019, urn=115851, group="disadvantaged")
    assert (anstey.value, anstey.ci_lower, anstey.ci_upper) == (-1.1, -4.0, 1.7)


def test_ks2_anstey_junior(hampshire, fixture_path):
    import_file(kind="results", path=fixture_path(KS2_FILE))

    assert get("ks2_rwm_exp", year=2019, urn=115851).value == 63.0
    read = get("ks2_read_prog", year=2019, urn=115851)
    assert (read.value, read.ci_lower, read.ci_upper, read.published_band) == (
        -1.9,
        -3.4,
        -0.3,
        "4",
    )
    assert read.cohort == 60


def test_ks2_ragged_new_school_rows_and_markers(hampshire, fixture_path):
    summary = import_file(kind="results", path=fixture_path(KS2_FILE))

    # Rows of 25/26 fields (new or closed schools, TOTPUPS "NEW") are read with their missing
    # cells blank: no figure, so nothing is stored for them, and the file is not refused.
    assert not Result.objects.filter(school__urn__in=[147021, 140690]).exists()
    assert Result.objects.filter(school__urn=115852, suppression="suppressed").exists()
    # LOWCOV only marks the previous year's progress columns (READPROG_18...), not imported.
    assert Result.objects.filter(school__urn=116633).exists()
    assert summary["other rows skipped (e.g. England all-schools rows)"] == 1


# --- KS4 2017/18 ------------------------------------------------------------------------------


def test_ks4_la_row_and_disadvantaged_groups(hampshire, fixture_path):
    summary = import_file(kind="results", path=fixture_path(KS4_FILE))

    assert summary["academic year"] == 2018
    att8 = get("ks4_att8", year=2018, la=850)
    assert (att8.value, att8.cohort) == (47.2, 12497)
    p8 = get("ks4_p8", year=2018, la=850)
    assert (p8.value, p8.ci_lower, p8.ci_upper) == (-0.09, -0.11, -0.07)
    assert get("ks4_basics_94", year=2018, la=850).value == pytest.approx(66.7)
    assert get("ks4_att8", year=2018, la=850, group="disadvantaged").value == 33.8
    assert get("ks4_att8", year=2018, la=850, group="non_disadvantaged").value == 50.2
    assert get("ks4_p8", year=2018, la=850, group="disadvantaged").value == -0.68
    assert get("ks4_att8", year=2018, la=850, group="non_disadvantaged").cohort == 10204


def test_ks4_national_is_the_state_funded_row(hampshire, fixture_path):
    import_file(kind="results", path=fixture_path(KS4_FILE))

    assert get("ks4_att8", year=2018, national=True).value == 46.5  # RECTYPE 7, not 5's 44.5
    assert get("ks4_p8", year=2018, national=True).value == -0.02
    assert get("ks4_att8", year=2018, national=True, group="disadvantaged").value == 36.7


def test_ks4_testwood_school(hampshire, fixture_path):
    import_file(kind="results", path=fixture_path(KS4_FILE))

    assert get("ks4_att8", year=2018, urn=137315).value == 44.0
    p8 = get("ks4_p8", year=2018, urn=137315)
    assert (p8.value, p8.ci_lower, p8.ci_upper, p8.published_band) == (0.02, -0.23, 0.26, "3")
    assert get("ks4_p8", year=2018, urn=137315, group="boys").value is not None
    assert get("ks4_p8", year=2018, urn=137315, group="prior_low").value is not None


def test_ks4_progress_8_before_capping_is_not_read_as_the_score(hampshire, fixture_path):
    import_file(kind="results", path=fixture_path(KS4_FILE))

    # P8MEA_FSM6CLA1A_ORIG differs from P8MEA_FSM6CLA1A; only the latter is the score.
    assert get("ks4_p8", year=2018, la=850, group="disadvantaged").value == -0.68


def test_ks4_older_edition_imports(hampshire, fixture_path):
    summary = import_file(kind="results", path=fixture_path(KS4_2017_FILE))

    assert summary["academic year"] == 2017
    assert get("ks4_att8", year=2017, la=850).value == 47.0
    assert get("ks4_att8", year=2017, national=True).value == 46.3
    assert get("ks4_att8", year=2017, national=True, group="disadvantaged").value == 37.0


# --- The layouts as data ----------------------------------------------------------------------


def test_ks2_record_types_are_read_from_dfes_column_guide():
    assert layouts.KS2.rectypes == {
        "1": AreaType.SCHOOL,
        "2": AreaType.SCHOOL,
        "3": AreaType.LA,
        "4": None,
        "5": AreaType.NATIONAL,
    }


def test_every_ks2_column_the_layout_reads_is_in_dfes_guide():
    guide = layouts.guide_columns(layouts.KS2.guide)
    assert set(layouts.KS2.columns) <= set(guide)
    assert set(layouts.KS2.cohort_columns) <= set(guide)


@pytest.mark.parametrize(
    ("layout", "column", "expected"),
    [
        (layouts.KS2, "READPROG_FSM6CLA1A_LOWER", ("ks2_read_prog", "disadvantaged", "ci_lower")),
        (layouts.KS2, "READPROG_NotFSM6CLA1A", ("ks2_read_prog", "non_disadvantaged", "value")),
        (layouts.KS2, "PTRWM_HIGH_L", ("ks2_rwm_high", "prior_low", "value")),
        (layouts.KS2, "PTRWM_EXP_MOBN", None),
        (layouts.KS4, "P8CIUPP_NFSM6CLA1A", ("ks4_p8", "non_disadvantaged", "ci_upper")),
        (layouts.KS4, "ATT8SCR_GIRLS", ("ks4_att8", "girls", "value")),
        (layouts.KS4, "P8MEA_HI", ("ks4_p8", "prior_high", "value")),
        (layouts.KS4, "P8MEA_FSM6CLA1A_ORIG", None),
        (layouts.KS4, "P8MEA_FSM6CLA1A_16", None),
    ],
)
def test_group_spellings_resolve(layout, column, expected):
    assert layout.resolve(column) == expected
