"""DfE's statistical neighbours workbook as published (April 2021 edition, from LAIT): two
preamble rows, SNP closeness columns, an "Old SNs" section, '-' for "no neighbours"; and the
CSV Excel saves from it (BOM, CRLF, the same rows)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.models import ImportJob
from pep_portal.imports.services import import_file
from schools.models import LocalAuthority, StatisticalNeighbour
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "schools"
WORKBOOK = FIXTURES / "lait_sn_april_2021.xlsx"
SAVED_CSV = FIXTURES / "lait_sn_april_2021.csv"


@pytest.mark.parametrize("path", [WORKBOOK, SAVED_CSV], ids=["xlsx", "csv"])
def test_workbook_as_published_imports_every_current_la(path):
    summary = import_file(kind="statistical_neighbours", path=str(path))

    assert summary["rows"] == 154
    assert summary["header row"] == 3  # after the column letters and column numbers
    assert summary["former LAs' rows (the workbook's Old SNs section, not imported)"] == 4
    assert LocalAuthority.objects.count() == 154
    assert not LocalAuthority.objects.filter(name__endswith="(Pre LG)").exists()
    portsmouth = LocalAuthority.objects.get(code=851)
    assert (portsmouth.name, portsmouth.region) == ("Portsmouth", "South East")
    links = list(
        StatisticalNeighbour.objects.filter(la=portsmouth)
        .order_by("position")
        .values_list("position", "neighbour__code", "closeness")
    )
    assert links[0] == (1, 852, "very_close")
    assert links[-1] == (10, 355, "close")
    assert len(links) == 10
    # Cumberland (2023) has '-' for every neighbour: an LA with none, not an error.
    assert not StatisticalNeighbour.objects.filter(la__code=942).exists()


def test_reimporting_the_workbook_changes_nothing():
    import_file(kind="statistical_neighbours", path=str(WORKBOOK))
    again = import_file(kind="statistical_neighbours", path=str(SAVED_CSV))
    assert again["neighbour links written"] == 0
    assert again["LAs whose neighbours were unchanged"] == 154


def test_placeholder_la_name_is_replaced_by_the_tables(db):
    LocalAuthorityFactory(code=851, name="LA 851", region="")
    import_file(kind="statistical_neighbours", path=str(WORKBOOK))
    la = LocalAuthority.objects.get(code=851)
    assert (la.name, la.region) == ("Portsmouth", "South East")


def test_a_sheet_without_the_header_is_refused(tmp_path):
    path = tmp_path / "sn.csv"
    path.write_text("A,B,C\n1,2,3\n")
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="statistical_neighbours", path=str(path))
    assert "LA num, LA Name and SN1" in exc.value.errors[0].message
    assert not LocalAuthority.objects.exists()


def test_a_table_repeating_a_column_is_refused_and_nothing_is_written():
    # DfE's own repeated "SNP" closeness headings are read by place; a second SN2 is not.
    with pytest.raises(ImportRejected) as exc:
        import_file(kind="statistical_neighbours", path=str(FIXTURES / "sn_repeated_column.csv"))
    assert [e.message for e in exc.value.errors] == [
        "The header repeats the column(s) 'SN2': give each column once."
    ]
    assert exc.value.errors[0].row == 1
    assert not LocalAuthority.objects.exists()
    assert not StatisticalNeighbour.objects.exists()


def test_workbook_upload_through_the_results_page(client_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("officer").post(
            reverse("outcomes:import_results"),
            {
                "file": SimpleUploadedFile(WORKBOOK.name, WORKBOOK.read_bytes()),
                "layout": "statistical_neighbours",
                "status": "provisional",
            },
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    assert StatisticalNeighbour.objects.filter(la__code=851).count() == 10
