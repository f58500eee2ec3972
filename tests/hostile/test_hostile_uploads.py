"""Hostile uploads: zip bombs, macro-carrying Office 97-2003 files, oversized files.

Each check's peak memory is measured in this process with tracemalloc (allocations made
while the check runs, on top of what was already held) and must stay under 100 MB.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from outcomes.models import PredictionSubmission
from pep_portal.imports.framework import ImportRejected, check_workbook
from pep_portal.platform.uploads import (
    DOCUMENTS_AND_IMAGES,
    OFFICE97,
    RefusedUpload,
    check_upload,
    upload_limit,
)

from .ole import word97

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PEAK_LIMIT = 100 * MB


class Peak:
    """Peak memory allocated inside the block (tracemalloc, this process)."""

    def __enter__(self):
        tracemalloc.start()
        tracemalloc.reset_peak()
        self.start, _ = tracemalloc.get_traced_memory()
        return self

    def __exit__(self, *exc):
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.bytes = peak - self.start
        return False


def _xlsx_bomb(path, *, unpacked_mb: int, member="xl/worksheets/sheet1.xml") -> None:
    """An .xlsx-shaped ZIP whose one large member unpacks to unpacked_mb of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(member, "w", force_zip64=True) as out:
            block = b"0" * MB
            for _ in range(unpacked_mb):
                out.write(block)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "evidence.xlsx"
    _xlsx_bomb(path, unpacked_mb=300)
    return path


def test_zip_bomb_is_refused_as_evidence_without_unpacking_it(bomb):
    data = bomb.read_bytes()
    assert len(data) < 1 * MB  # 300 MB packed into a few hundred KB
    upload = SimpleUploadedFile("evidence.xlsx", data)
    with Peak() as peak, pytest.raises(ValidationError) as caught:
        check_upload(upload, max_bytes=upload_limit("evidence"))
    assert "unpack to 300.0 MB, over the limit" in caught.value.messages[0]
    assert peak.bytes < PEAK_LIMIT, peak.bytes


def test_zip_bomb_under_the_total_is_refused_by_its_ratio(tmp_path):
    path = tmp_path / "notes.docx"
    _xlsx_bomb(path, unpacked_mb=50, member="word/document.xml")
    upload = SimpleUploadedFile("notes.docx", path.read_bytes())
    with Peak() as peak, pytest.raises(ValidationError) as caught:
        check_upload(upload, max_bytes=upload_limit("evidence"))
    assert "zip bomb" in caught.value.messages[0]
    assert peak.bytes < PEAK_LIMIT, peak.bytes


# The bomb is a second [Content_Types].xml after the small one: the zip names it twice, as an
# attacker's file may, and zipfile warns (expected) while the test builds it.
@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
def test_a_bomb_hidden_in_content_types_is_refused_by_reading_in_chunks(tmp_path):
    path = tmp_path / "plan.xlsx"
    _xlsx_bomb(path, unpacked_mb=50, member="[Content_Types].xml")
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("[Content_Types].xml").file_size == 50 * MB
    upload = SimpleUploadedFile("plan.xlsx", path.read_bytes())
    with Peak() as peak, pytest.raises(ValidationError):
        check_upload(upload, max_bytes=upload_limit("evidence"))
    assert peak.bytes < PEAK_LIMIT, peak.bytes


def test_zip_bomb_is_refused_before_a_workbook_is_opened_for_import(bomb):
    with Peak() as peak, pytest.raises(ImportRejected) as caught:
        check_workbook(bomb)
    assert "over the limit" in caught.value.summary()
    assert peak.bytes < PEAK_LIMIT, peak.bytes


def test_a_doc_carrying_a_vba_macro_is_refused():
    from oletools.olevba import VBA_Parser

    data = word97(macros=True)
    parser = VBA_Parser("minutes.doc", data=data)
    assert parser.detect_vba_macros()  # the fixture really carries a VBA project
    parser.close()
    with Peak() as peak, pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("minutes.doc", data), max_bytes=upload_limit("paper"))
    assert "contains macros (a VBA project)" in caught.value.messages[0]
    assert peak.bytes < PEAK_LIMIT, peak.bytes


def test_a_doc_without_macros_is_accepted():
    checked = check_upload(
        SimpleUploadedFile("minutes.doc", word97(macros=False)),
        max_bytes=upload_limit("paper"),
        accept=DOCUMENTS_AND_IMAGES,
    )
    assert checked.kind is OFFICE97
    assert checked.content_type == "application/msword"


def test_a_damaged_ole_file_is_refused_not_waved_through():
    data = word97(macros=False)[:600]
    with pytest.raises(ValidationError, match="damaged or unreadable"):
        check_upload(SimpleUploadedFile("minutes.doc", data), max_bytes=MB)


def test_macro_doc_is_refused_as_a_consultation_file_through_the_page(
    client, officer, consultation, settings, tmp_path
):
    from consultation.models import Attachment

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(officer)
    response = client.post(
        reverse("consultation:attachment_add", args=[consultation.pk]),
        {"title": "Proposals", "file": SimpleUploadedFile("proposals.doc", word97(macros=True))},
        follow=True,
    )
    assert "contains macros (a VBA project)" in response.content.decode()
    assert not Attachment.objects.exists()


# --- Size limits per purpose, enforced while the body is read ---------------------------------


def _predictions_csv(rows: int) -> bytes:
    head = b"measure_code,measure,pupil_group,group,cohort,predicted_pupils,predicted_value\n"
    return head + b"ks2_rwm_exp,RWM,all,All pupils,30,20,\n" * rows


def test_large_predictions_file_is_discarded_while_the_request_is_read(collection, school, head):
    data = _predictions_csv(676_000)  # the 20 MB file of the report
    assert len(data) > 20 * MB
    url = reverse("outcomes:submission_edit", args=[collection.pk, school.urn])
    request = RequestFactory().post(
        url, {"action": "upload", "file": SimpleUploadedFile("p.csv", data)}
    )
    with Peak() as peak:
        uploaded = request.FILES["file"]
    assert isinstance(uploaded, RefusedUpload)
    assert "the limit for a predictions return" in uploaded.refusal
    assert peak.bytes < PEAK_LIMIT, peak.bytes


def test_large_predictions_file_gets_a_clear_400_and_nothing_is_saved(
    client, collection, school, head
):
    client.force_login(head)
    url = reverse("outcomes:submission_edit", args=[collection.pk, school.urn])
    response = client.post(
        url,
        {"action": "upload", "file": SimpleUploadedFile("p.csv", _predictions_csv(676_000))},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "the limit for a predictions return" in body
    assert len(body) < 200_000  # the report's error page was 67 MB
    assert not PredictionSubmission.objects.exists()


def test_a_file_just_over_a_small_limit_is_refused_while_the_body_fits(
    client, collection, school, head, settings
):
    settings.UPLOAD_MAX_BYTES_PREDICTIONS = 10_000
    client.force_login(head)
    url = reverse("outcomes:submission_edit", args=[collection.pk, school.urn])
    response = client.post(
        url, {"action": "upload", "file": SimpleUploadedFile("p.csv", _predictions_csv(400))}
    )
    assert "over 10 KB, the limit for a predictions return" in response.content.decode()


def test_row_errors_are_bounded_to_the_first_ones_and_a_count():
    from pep_portal.imports.framework import MAX_ERRORS_REPORTED, RowError

    rejected = ImportRejected([RowError("bad", row=n) for n in range(2, 100_002)])
    assert len(rejected.errors) == MAX_ERRORS_REPORTED + 1
    assert rejected.errors[-1].message == (
        f"... and {100_000 - MAX_ERRORS_REPORTED:,} more problem(s) not listed."
    )


# --- The predictions return is read by a background job ---------------------------------------


def test_a_predictions_upload_is_read_by_a_job_the_head_can_follow(
    client,
    collection,
    school,
    head,
    other_head,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from pep_portal.imports.models import ImportJob

    settings.MEDIA_ROOT = str(tmp_path)
    data = Path(__file__).resolve().parent.parent / "predictions" / "data"
    client.force_login(head)
    url = reverse("outcomes:submission_edit", args=[collection.pk, school.urn])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "upload",
                "file": SimpleUploadedFile(
                    "p.csv", (data / "predictions_one_bad_row.csv").read_bytes()
                ),
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "import_detail", args=[job.pk]
    )
    assert job.kind == "predictions" and job.status == ImportJob.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Row 3, column “predicted_pupils”" in page and "Back to your predictions" in page
    assert not PredictionSubmission.objects.exists()
    # Another school's head cannot see it.
    client.force_login(other_head)
    assert client.get(reverse("import_detail", args=[job.pk])).status_code == 404

    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "upload",
                "file": SimpleUploadedFile("p.csv", (data / "predictions_fixed.csv").read_bytes()),
            },
        )
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert PredictionSubmission.objects.get(school=school).predictions.exists()
