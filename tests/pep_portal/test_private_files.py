"""The one response that sends a private file (pep_portal/platform/private_files.py).

Who may download each kind of file is tested with its page (consultation attachments,
board papers and packs, action-plan evidence); here, what every download answers with.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404

from pep_portal.platform.private_files import private_file_response

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=str(tmp_path))
    name = storage.save("papers/2016/0d1f.pdf", ContentFile(PDF))
    return FieldFile(None, models.FileField(storage=storage), name)


def test_a_private_file_is_a_download_no_cache_keeps(stored):
    response = private_file_response(
        stored, filename="KS2 results.pdf", content_type="application/pdf"
    )
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "KS2 results.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_without_a_name_or_type_it_is_named_as_stored_and_sent_as_bytes(stored):
    response = private_file_response(stored, filename="", content_type="")
    assert response["Content-Type"] == "application/octet-stream"
    assert "0d1f.pdf" in response["Content-Disposition"]


def test_a_file_missing_from_storage_is_not_found(stored):
    stored.storage.delete(stored.name)
    with pytest.raises(Http404, match="The paper is missing"):
        private_file_response(stored, filename="x.pdf", missing="The paper is missing.")


def test_an_empty_file_field_is_not_found(stored):
    empty = FieldFile(None, stored.field, "")
    with pytest.raises(Http404):
        private_file_response(empty, filename="x.pdf")
