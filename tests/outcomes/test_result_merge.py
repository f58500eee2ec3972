"""On PostgreSQL an import stages its results by COPY and merges them in one set-based pass:
the same results, revisions and counts as writing batch by batch, and a bad file changes
nothing."""

import pytest
from django.db import connection

from outcomes import result_merge
from outcomes.models import Result, ResultRevision
from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from tests.conftest import require_service
from tests.factories import LocalAuthorityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]

KS2_FILE = "ks2_850_hampshire_2018-2019_ks2final.csv"
LAIT_HEADER = "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
# The same figure (unchanged, the table's CI kept), a changed one (a revision), "-" (erases
# nothing), a finer figure (replaces the table's, keeping its CI), a new one.
LAIT_ROWS = (
    "KS2R_Prog_VA,,2019,Hampshire,-0.4,850.0,South East\n"
    "KS2RWM_Expected_STD,,2019 (Rev),Hampshire,69,850,South East\n"
    "DAP_NEW_KS2_RWM,,2019,Hampshire,-,850.0,South East\n"
    "KS2_NonDAP_Maths_Progress,,2019,Hampshire,-0.37,850.0,SE\n"
    "KS2RWM_Expected_STD,,2018,Hampshire,64,850,South East\n"
)
RESULT_FIELDS = (
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
    "source",
)
REVISION_FIELDS = (
    "result__measure__code",
    "result__area_type",
    "result__la__code",
    "result__academic_year",
    "result__pupil_group",
    "value",
    "cohort",
    "ci_lower",
    "ci_upper",
    "published_band",
    "status",
    "suppression",
    "source",
    "replaced_by_source",
)


@pytest.fixture
def postgresql(db):
    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://..."
    )
    LocalAuthorityFactory(code=850, name="Hampshire", in_partnership=True)


def imports(tmp_path, fixture_path) -> list[dict]:
    """Tables, LAIT over them, the tables again, then the tables revised: every summary."""
    lait = tmp_path / "lait_extract.csv"
    lait.write_text(LAIT_HEADER + LAIT_ROWS, encoding="utf-8")
    tables = fixture_path(KS2_FILE)
    summaries = [
        import_file(kind="results", path=tables, status="final"),
        import_file(kind="results", path=str(lait)),
        import_file(kind="results", path=tables, status="final"),
        import_file(kind="results", path=tables, status="revised"),
    ]
    for summary in summaries:
        summary.pop("local authorities added", None)  # the first run adds them for both
    return summaries


def stored() -> tuple[list, list]:
    return (
        sorted(Result.objects.values_list(*RESULT_FIELDS), key=repr),
        sorted(ResultRevision.objects.values_list(*REVISION_FIELDS), key=repr),
    )


def test_the_set_based_merge_writes_what_batch_writes_do(
    postgresql, tmp_path, fixture_path, monkeypatch
):
    merges, written = [], []
    merge, write = result_merge._merge, result_merge.ResultsStage._write
    monkeypatch.setattr(result_merge, "_merge", lambda *a, **k: merges.append(1) or merge(*a, **k))
    monkeypatch.setattr(
        result_merge.ResultsStage,
        "_write",
        lambda self, frame: written.append(len(frame)) or write(self, frame),
    )
    staged_summaries = imports(tmp_path, fixture_path)
    staged = stored()
    # The first file finds nothing stored: its results go straight in, unmerged; each later
    # file is merged in one pass, but for LAIT's 2018 figure (no 2018 result stored).
    assert len(merges) == 3
    assert written == [staged_summaries[0]["results created"], 1]
    assert staged[1], "the sequence revises results"

    Result.objects.all().delete()
    monkeypatch.setattr(result_merge.ResultsStage, "set_based", property(lambda self: False))
    batch_summaries = imports(tmp_path, fixture_path)

    assert len(merges) == 3
    assert staged_summaries == batch_summaries
    assert staged == stored()


def test_lait_keeps_the_tables_ci_and_a_changed_figure_names_both_sources(
    postgresql, tmp_path, fixture_path
):
    imports(tmp_path, fixture_path)
    prog = Result.objects.get(measure__code="ks2_read_prog", la__code=850, pupil_group="all")
    assert (prog.value, prog.ci_lower, prog.ci_upper) == (-0.4, -0.5, -0.3)
    revision = ResultRevision.objects.filter(
        result__measure__code="ks2_rwm_exp", result__la__code=850, result__academic_year=2019
    ).earliest("pk")
    assert (revision.value, revision.cohort) == (68.0, 14855)
    assert revision.source.startswith("ks2_performance_tables: ")
    assert revision.replaced_by_source == "lait: lait_extract.csv"


def test_a_bad_row_at_the_end_of_a_file_changes_nothing(postgresql, tmp_path, fixture_path):
    import_file(kind="results", path=fixture_path(KS2_FILE), status="final")
    before = stored()
    lait = tmp_path / "lait_extract.csv"
    lait.write_text(
        LAIT_HEADER + LAIT_ROWS + "KS2RWM_Expected_STD,,20x9,Hampshire,70,850,South East\n",
        encoding="utf-8",
    )

    with pytest.raises(ImportRejected):
        import_file(kind="results", path=str(lait))

    assert stored() == before
