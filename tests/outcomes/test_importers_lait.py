"""LAIT as LAIT publishes it: a committed slice of its December 2025 ``bds_long`` parquet
(15 measures, their last two years, every LA, region and England), the same slice as a CSV
written by pandas (``LA Number`` as ``851.0``), and a slice of its data dictionary.

The rank and quartile test recomputes LAIT's method independently with pandas from the
file itself (LAs only, ``min`` ties, type-7 quantiles, upper bounds inclusive, mirrored by
polarity) and compares every LA with what the portal stores and computes.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outcomes.calculations import quartiles, ranking
from outcomes.importers.lait import lait_year
from outcomes.models import AreaType, IndicatorMapping, Measure, Result, ResultStatus
from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from schools.models import LocalAuthority

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "outcomes"
PARQUET = FIXTURES / "lait_bds_long_2025-12_slice.parquet"
CSV = FIXTURES / "lait_bds_long_2025-12_slice.csv"
DICTIONARY = FIXTURES / "lait_data_dictionary_slice.csv"
HIGH = ["KS2RWM_Expected_STD", "AVG_Attain8_Score", "AVG_Prog8_Score", "FSP_NEW_GOODDEV",
        "EngMaths9-4", "KS1P_all", "KS1W_Expected _STD"]  # fmt: skip
LOW = ["TotAbs", "TotPerAbNew", "PriTotAbs", "SecTotAbs", "SFPriPerAbNew", "16-17 NEET",
       "KS4_DES_NotSus"]  # fmt: skip


def lait_frame() -> pd.DataFrame:
    return pd.read_parquet(PARQUET)


def lait_method(frame: pd.DataFrame, code: str, polarity: str) -> pd.DataFrame:
    """LAIT's rank and quartile for the latest year of one measure, computed from scratch:
    LAs are the rows LAIT gives a region (England and the regions have Region 'NA')."""
    rows = frame[frame["Short Desc"] == code].copy()
    rows["year"] = rows["Years"].map(lambda y: lait_year(y)[0])
    latest = rows[rows["year"] == rows["year"].max()]
    las = latest[latest["Region"].fillna("NA") != "NA"].copy()
    las["value"] = pd.to_numeric(las["Values"], errors="coerce")
    las = las[las["value"].notna()]
    las["la"] = las["LA Number"].astype(int)
    sign = -1 if polarity == "High" else 1
    las["rank"] = (sign * las["value"]).rank(method="min").astype(int)
    q25, q50, q75 = np.quantile(las["value"], [0.25, 0.5, 0.75])  # R's type 7
    bands = ["D", "C", "B", "A"] if polarity == "High" else ["A", "B", "C", "D"]
    las["quartile"] = np.select(
        [las["value"] <= q25, las["value"] <= q50, las["value"] <= q75], bands[:3], bands[3]
    )
    return las.set_index("la")[["value", "rank", "quartile"]]


def portal_method(values: pd.Series, *, higher_is_better: bool) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"la": values.index, "value": values.to_numpy(dtype=float), "measure": 1, "year": 1,
         "group": "all", "higher_is_better": higher_is_better, "has_quartile": True}
    )  # fmt: skip
    frame = ranking.add_ranks(frame)
    frame = quartiles.add_quartile_bands(frame)
    return frame.set_index("la")


def test_the_slice_holds_the_quirks_lait_publishes():
    frame = lait_frame()
    assert frame["LA Number"].dtype == float
    assert {970.0, 980.0, 987.0, 988.0, 990.0} <= set(frame["LA Number"])
    assert frame["Years"].str.contains(r"\((?:prov|OT)\)").any()
    assert (frame["Values"] == "-").any()
    assert CSV.read_text().splitlines()[1].endswith(",301.0,Outer London")


@pytest.mark.parametrize("path", [PARQUET, CSV], ids=["parquet", "csv"])
def test_lait_file_imports_las_regions_and_england_as_what_they_are(db, path):
    summary = import_file(kind="results", path=str(path))

    assert summary["results created"] > 0
    assert summary["rows"] == 5100
    codes = set(LocalAuthority.objects.values_list("code", flat=True))
    assert not codes & {970, *range(980, 991)}  # England and regions are not LAs
    assert len(codes) == lait_frame().query("Region != 'NA'")["LA Number"].nunique()
    england = Result.objects.get(
        measure__code="ks2_rwm_exp", area_type=AreaType.NATIONAL, academic_year=2025
    )
    assert england.value == 61.0
    regions = set(
        Result.objects.filter(area_type=AreaType.REGION, measure__code="ks2_rwm_exp")
        .values_list("region", flat=True)
        .distinct()
    )
    assert {"London (Inner)", "London (Outer)", "South West", "North East"} <= regions
    assert LocalAuthority.objects.get(code=851).name == "Portsmouth"
    assert LocalAuthority.objects.get(code=851).region == "South East"


def test_lait_year_suffixes_are_statuses(db):
    import_file(kind="results", path=str(PARQUET))

    att8 = Result.objects.filter(measure__code="ks4_att8", area_type=AreaType.LA)
    assert set(att8.filter(academic_year=2025).values_list("status", flat=True)) == {
        ResultStatus.PROVISIONAL
    }  # "2025 (prov)"
    assert "2025 (prov)" in set(lait_frame().query("`Short Desc` == 'AVG_Attain8_Score'").Years)


@pytest.mark.parametrize(
    ("text", "year", "status"),
    [
        ("2024", 2024, None),
        ("2023-24", 2024, None),
        ("2016/17", 2017, None),
        ("2014-16", 2016, None),
        ("2013/14-15/16", 2016, None),
        ("2018 (Rev)", 2018, ResultStatus.REVISED),
        ("2025 (prov)", 2025, ResultStatus.PROVISIONAL),
        ("2023 (Prov)", 2023, ResultStatus.PROVISIONAL),
        ("2020 (Final)", 2020, ResultStatus.FINAL),
        ("2016-17 (OT)", 2017, ResultStatus.FINAL),
    ],
)
def test_lait_year_forms(text, year, status):
    assert lait_year(text) == (year, status)


def test_unknown_year_suffix_is_named(db, tmp_path):
    path = tmp_path / "lait.csv"
    path.write_text(
        "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
        "TotAbs,x,2024 (Est),Portsmouth,5.1,851.0,South East\n"
    )
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    assert "(Est)" in exc.value.errors[0].message
    assert exc.value.errors[0].column == "Years"


def test_every_builtin_lait_mapping_is_a_real_short_desc_with_the_measures_polarity(db):
    dictionary = pd.read_csv(DICTIONARY).set_index("Measure_short")
    mappings = IndicatorMapping.objects.filter(source="lait", is_builtin=True)
    assert mappings.count() >= 60
    for mapping in mappings.select_related("measure"):
        assert mapping.indicator in dictionary.index, mapping.indicator
        polarity = dictionary.loc[mapping.indicator, "Polarity"]
        expected = "higher_better" if polarity == "High" else "lower_better"
        assert mapping.measure.polarity == expected, mapping.indicator
    carried = set(mappings.values_list("measure__code", flat=True))
    assert {"ks2_rwm_exp", "ks4_att8", "ks4_p8", "abs_overall_pct", "eyfsp_gld"} <= carried


@pytest.mark.parametrize("code", HIGH + LOW)
def test_rank_and_quartile_match_lait_for_every_la(code):
    """The portal's calculations on LAIT's LAs against LAIT's method computed with pandas."""
    frame = lait_frame()
    polarity = pd.read_csv(DICTIONARY).set_index("Measure_short").loc[code, "Polarity"]
    assert (code in HIGH) == (polarity == "High")
    expected = lait_method(frame, code, polarity)
    got = portal_method(expected["value"], higher_is_better=polarity == "High")

    assert len(expected) >= 140
    assert got["rank"].astype(int).to_dict() == expected["rank"].to_dict()
    assert got["n"].astype(int).eq(len(expected)).all()
    assert got["quartile"].to_dict() == expected["quartile"].to_dict()


@pytest.mark.parametrize(
    ("code", "measure"),
    [
        ("KS2RWM_Expected_STD", "ks2_rwm_exp"),
        ("AVG_Attain8_Score", "ks4_att8"),
        ("AVG_Prog8_Score", "ks4_p8"),
        ("FSP_NEW_GOODDEV", "eyfsp_gld"),
        ("EngMaths9-4", "ks4_basics_94"),
        ("KS1P_all", "phonics_y1_exp"),
        ("TotAbs", "abs_overall_pct"),
        ("TotPerAbNew", "abs_persistent_pct"),
    ],
)
def test_imported_la_results_rank_and_band_as_lait(db, code, measure):
    """Imported from the parquet: the stored LA results give LAIT's ranks (of 15x LAs, not
    16x areas) and bands for every LA."""
    import_file(kind="results", path=str(PARQUET))
    m = Measure.objects.get(code=measure)
    polarity = "High" if m.higher_is_better else "Low"
    expected = lait_method(lait_frame(), code, polarity)
    year = int(
        Result.objects.filter(measure=m, area_type=AreaType.LA)
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)[0]
    )
    stored = pd.Series(
        dict(
            Result.objects.filter(
                measure=m, area_type=AreaType.LA, academic_year=year, pupil_group="all",
                value__isnull=False,
            ).values_list("la__code", "value")
        )
    )  # fmt: skip
    got = portal_method(stored, higher_is_better=m.higher_is_better)

    assert sorted(got.index) == sorted(expected.index)
    assert got["rank"].astype(int).to_dict() == expected["rank"].to_dict()
    assert got["quartile"].to_dict() == expected["quartile"].to_dict()


def test_lait_parquet_upload_through_the_results_page(
    client_as, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from pep_portal.imports.models import ImportJob

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("officer").post(
            reverse("outcomes:import_results"),
            {
                "file": SimpleUploadedFile(PARQUET.name, PARQUET.read_bytes()),
                "layout": "",
                "status": "provisional",
            },
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.summary["layout"] == "LAIT long format (parquet)"
    assert Result.objects.filter(area_type=AreaType.LA, measure__code="ks4_att8").exists()


def test_a_damaged_parquet_is_refused_with_a_message(db, tmp_path):
    path = tmp_path / "lait.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="results", path=str(path))
    assert "parquet" in exc.value.errors[0].message
    assert not Result.objects.exists()
