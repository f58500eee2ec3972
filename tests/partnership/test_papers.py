from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.governance import services as governance_services
from partnership.governance.models import Paper

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def item(past_meeting):
    return governance_services.agenda_item_add(meeting=past_meeting, title="Results")


def test_a_pdf_paper_is_stored_and_typed_by_its_content(item):
    paper = governance_services.paper_add(
        agenda_item=item,
        title="",
        uploaded_file=SimpleUploadedFile(
            "ks2.pdf", (SAMPLES / "paper.pdf").read_bytes(), "text/html"
        ),
    )
    assert paper.title == "ks2.pdf"
    assert paper.content_type == "application/pdf"  # not what the browser claimed


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not a type of file the portal accepts"),
        ("fake.pdf", b"<html>not a pdf</html>", "web page or markup"),
        ("minutes.docx", b"%PDF-1.4", "contains a PDF document but its name ends in “.docx”"),
        ("data.csv", b"urn,name\x00\x01", "not a type of file the portal accepts"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_bad_papers_are_refused_with_the_reason_and_nothing_is_stored(item, name, content, message):
    with pytest.raises(ValidationError, match=message):
        governance_services.paper_add(
            agenda_item=item, title="x", uploaded_file=SimpleUploadedFile(name, content)
        )
    assert not Paper.objects.exists()


def test_papers_over_the_size_limit_are_refused(item, settings):
    settings.PARTNERSHIP_PAPER_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(ValidationError, match="the limit is 1 KB"):
        governance_services.paper_add(agenda_item=item, title="x", uploaded_file=big)


def test_upload_page_names_the_problem(client_as, officer, past_meeting, item):
    response = client_as("officer").post(
        f"/partnership/meetings/{past_meeting.pk}/papers/add/",
        {"agenda_item": item.pk, "title": "", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "“x.exe”: files whose names end in “.exe” are not accepted" in response.content.decode()


def test_paper_download_is_for_members_only(client_as, item, board_member, strategic_board):
    paper = governance_services.paper_add(
        agenda_item=item,
        title="Results",
        uploaded_file=SimpleUploadedFile(
            "r.csv", "urn,name\n100001,Café School\n".encode("cp1252")
        ),
    )
    response = client_as("board_member").get(f"/partnership/papers/{paper.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"urn,name")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert (
        client_as("other_trust_user").get(f"/partnership/papers/{paper.pk}/download/").status_code
        == 403
    )
    anonymous = client_as("anonymous").get(f"/partnership/papers/{paper.pk}/download/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not str(paper.file.url).startswith("/static/")
