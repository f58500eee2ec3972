import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation import services
from consultation.models import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _docx(macro=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        kind = "macroEnabled.12" if macro else "document.main+xml"
        z.writestr("[Content_Types].xml", f"<Types><Override ContentType='{kind}'/></Types>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _add(consultation, name, content, officer):
    return services.attachment_add(
        consultation=consultation,
        uploaded_file=SimpleUploadedFile(name, content),
        title="",
        user=officer,
    )


def test_pdf_and_docx_are_accepted_by_content(consultation, officer):
    pdf = _add(consultation, "Consultation document.pdf", PDF, officer)
    docx = _add(consultation, "Response form.docx", _docx(), officer)
    assert pdf.content_type == "application/pdf"
    assert docx.content_type.endswith("wordprocessingml.document")
    assert pdf.file.read() == PDF


def test_file_whose_content_is_not_its_name_is_refused(consultation, officer):
    with pytest.raises(
        ValidationError, match="contains a PDF document but its name ends in “.docx”"
    ):
        _add(consultation, "notes.docx", PDF, officer)
    with pytest.raises(ValidationError, match="not a type of file the portal accepts"):
        _add(consultation, "report.pdf", b"MZ\x90\x00\x03\x00binary", officer)
    with pytest.raises(ValidationError, match="contains macros"):
        _add(consultation, "macro.docx", _docx(macro=True), officer)
    assert not Attachment.objects.exists()


def test_oversized_and_empty_files_are_refused(consultation, officer, settings):
    settings.CONSULTATION_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="the limit is 1 KB"):
        _add(consultation, "big.pdf", PDF, officer)
    with pytest.raises(ValidationError, match="is empty"):
        _add(consultation, "empty.pdf", b"", officer)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("board_member", 200),
        ("head", 200),
        ("school_colleague", 200),
        ("trust_user", 200),
        ("other_head", 403),
        ("other_trust_user", 403),
    ],
)
def test_attachments_are_served_only_to_those_who_see_the_consultation(
    consultation, officer, client_as, role, status
):
    attachment = _add(consultation, "Consultation document.pdf", PDF, officer)
    response = client_as(role).get(f"/consultations/{consultation.pk}/files/{attachment.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_anonymous_cannot_download_attachments(consultation, officer, client):
    attachment = _add(consultation, "doc.pdf", PDF, officer)
    response = client.get(f"/consultations/{consultation.pk}/files/{attachment.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
