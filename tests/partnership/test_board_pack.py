import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from partnership.categorisation import services as categorisation_services
from partnership.governance import services as governance_services
from partnership.governance.models import BoardPack
from tests.factories import SchoolFactory, TrustFactory

from .factories import SystemLeaderFactory, add_member, at, deploy

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def _pages_text(pack) -> list[str]:
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Table cells come out a line each: compare with whitespace collapsed.
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def pack_meeting(strategic_board, officer):
    owner = add_member(strategic_board, represents="la_officer").person
    earlier = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="Civic Offices"
    )
    governance_services.action_create(
        meeting=earlier,
        description="Publish the two-year strategy",
        owner=owner,
        due_date=dt.date(2017, 1, 31),
    )
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 1, 24), location="Guildhall, Portsmouth"
    )
    item = governance_services.agenda_item_add(
        meeting=meeting, title="Provisional 2016 results", presenter="Head of Data"
    )
    governance_services.paper_add(
        agenda_item=item,
        title="KS2 results summary",
        uploaded_file=SimpleUploadedFile(
            "ks2.pdf", (SAMPLES / "paper.pdf").read_bytes(), "application/pdf"
        ),
    )
    mat = TrustFactory(name="Salterns Academy Trust")
    leader = SystemLeaderFactory(home_school=SchoolFactory(name="Home", trust=mat))
    target = SchoolFactory(name="Cottage Grove Primary School")
    deploy(leader=leader, school=target, days="6", start=dt.date(2016, 11, 1))
    deploy(
        leader=SystemLeaderFactory(home_school=SchoolFactory()),
        school=target,
        days="2",
        focus="governance",
        start=dt.date(2016, 12, 1),
    )
    deploy(leader=leader, school=target, days="9", start=dt.date(2017, 2, 1))  # after the meeting
    review = categorisation_services.categorisation_review_create(
        name="Autumn 2016", review_date=dt.date(2016, 10, 11)
    )
    categorisation_services.categorisation_record(
        review=review,
        school=SchoolFactory(name="Lonely Primary"),
        category="maximum",
        rationale="x",
    )
    return meeting


def test_board_pack_pdf_has_the_agenda_and_the_figures_as_at_the_meeting(
    pack_meeting, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        pack = governance_services.board_pack_request(meeting=pack_meeting, requested_by=officer)
        pack.refresh_from_db()
        assert pack.status == BoardPack.Status.QUEUED  # nothing runs before the commit
    assert len(queued) == 1
    pack.refresh_from_db()  # the Celery task ran after the commit (eager in tests)
    assert pack.status == BoardPack.Status.READY
    pages = _pages_text(pack)
    assert pack.pages == len(pages) >= 2
    first = pages[0]
    for expected in [
        "Strategic Board: board pack",
        "Guildhall, Portsmouth",
        "Apologies",
        "Declarations of interest",
        "Minutes of the last meeting (18 October 2016)",
        "Action log",
        "Provisional 2016 results",
        "KS2 results summary",
        "Publish the two-year strategy",
    ]:
        assert expected in first, expected
    figures = "\n".join(pages[1:])
    assert "Deployments this year 2" in figures, figures  # February is after the meeting
    assert "Brokered from multi-academy trusts 1" in figures
    assert "Share from multi-academy trusts 50%" in figures
    assert "Days of support 8 " in figures
    assert "KS2 maths 6 Governance 2" in figures
    assert "Maximum concern 1 school: 0 supported, 1 not supported" in figures
    assert "Lonely Primary" in figures  # maximum concern, no support
    assert "Dashboard figures" in figures
    assert "No nightly snapshot had been published when this pack was generated." in figures
    # The sample paper is not a readable PDF: listed, not bundled.
    assert "KS2 results summary: Not included: the PDF could not be read" in first


def test_members_download_the_pack_and_others_cannot(
    pack_meeting,
    officer,
    board_member,
    strategic_board,
    client_as,
    django_capture_on_commit_callbacks,
):
    add_member(strategic_board, user=board_member)
    with django_capture_on_commit_callbacks(execute=True):
        pack = governance_services.board_pack_request(meeting=pack_meeting, requested_by=officer)
    response = client_as("board_member").get(f"/partnership/packs/{pack.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert client_as("head").get(f"/partnership/packs/{pack.pk}/download/").status_code == 403
    anonymous = client_as("anonymous").get(f"/partnership/packs/{pack.pk}/download/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_requesting_a_pack_through_the_page_generates_it(
    pack_meeting, client_as, officer, django_capture_on_commit_callbacks
):
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/partnership/meetings/{pack_meeting.pk}/pack/")
    page = client.get(f"/partnership/meetings/{pack_meeting.pk}/").content.decode()
    assert "Download the board pack (PDF, 2 pages)" in page
