"""The partnership's connections to the apps below it, with the real providers: the nightly
run's 3Ms suggestion on the categorisation pages and decisions, the dashboard figures of the
meeting's snapshot and the meeting's papers in the board pack, and the action plan's changes
since the board's previous meeting."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from actionplan import services as actionplan_services
from outcomes.models import SchoolSummary
from partnership.categorisation import services as categorisation_services
from partnership.governance import services as governance_services
from tests.actionplan.factories import ActionFactory, MilestoneFactory, PlanFactory, PriorityFactory
from tests.dashboards import data

from .factories import add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(db, school, other_school, django_capture_on_commit_callbacks):
    built = data.build(schools=[school, other_school])
    built["run"] = data.run_nightly(django_capture_on_commit_callbacks)
    return built


def _pdf(*pages: str) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return out.getvalue()


def _pack_text(pack) -> list[str]:
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _generate(meeting, user, capture):
    with capture(execute=True):
        pack = governance_services.board_pack_request(meeting=meeting, requested_by=user)
    pack.refresh_from_db()
    assert pack.status == "ready", pack.error
    return pack


def test_categorisation_pages_show_the_nightly_suggestion_and_the_decision_stores_it(
    snapshot, client_as
):
    weak = snapshot["weak"]
    summary = SchoolSummary.objects.get(run=snapshot["run"], school=weak)
    assert summary.concern and summary.concern_reasons  # the run suggested, with reasons
    client = client_as("officer")
    listing = client.get("/partnership/categorisation/").content.decode()
    assert "No 3Ms suggestions yet" not in listing
    assert f"{summary.concern.capitalize()} concern" in listing
    page = client.get(f"/partnership/categorisation/schools/{weak.pk}/").content.decode()
    assert f"{summary.concern.capitalize()} concern" in page
    for reason in summary.concern_reasons:
        assert str(reason).replace("'", "&#x27;") in page
    review = categorisation_services.categorisation_review_create(
        name="Spring 2017", review_date=dt.date(2017, 3, 1)
    )
    response = client.post(
        f"/partnership/categorisation/schools/{weak.pk}/",
        {"review": review.pk, "category": "maximum", "rationale": "Leadership weak too"},
    )
    assert response.status_code == 302
    decision = weak.categorisations.get(review=review)
    assert decision.suggested_category == summary.concern
    assert decision.suggested_reasons == summary.concern_reasons


def test_a_decision_before_any_nightly_run_stores_no_suggestion(school):
    review = categorisation_services.categorisation_review_create(
        name="Autumn 2016", review_date=dt.date(2016, 10, 11)
    )
    decision = categorisation_services.categorisation_record(
        review=review, school=school, category="minimum", rationale="Good school"
    )
    assert decision.suggested_category == ""
    assert decision.suggested_reasons == []


def test_board_pack_carries_the_dashboard_figures_of_the_meetings_snapshot(
    snapshot, strategic_board, officer, django_capture_on_commit_callbacks
):
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=timezone.now() + dt.timedelta(days=3), location="Hall"
    )
    pack = _generate(meeting, officer, django_capture_on_commit_callbacks)
    text = "\n".join(_pack_text(pack))
    assert "No nightly snapshot had been published" not in text
    assert f"(run {snapshot['run'].pk})" in text
    # Portsmouth's 2016 KS2 maths (tests/dashboards/data.py): 63.7, rank 17 of 21.
    assert "63.7" in text
    assert "17th of 21" in text
    assert "Schools by RAG and 3Ms category" in text


def test_board_pack_without_a_snapshot_says_so(
    strategic_board, officer, django_capture_on_commit_callbacks
):
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=timezone.now() + dt.timedelta(days=3), location="Hall"
    )
    text = "\n".join(_pack_text(_generate(meeting, officer, django_capture_on_commit_callbacks)))
    assert "No nightly snapshot had been published when this pack was generated." in text


def test_board_pack_bundles_the_pdf_papers_in_agenda_order_and_lists_the_others(
    strategic_board, officer, django_capture_on_commit_callbacks
):
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=timezone.now() + dt.timedelta(days=3), location="Hall"
    )
    first = governance_services.agenda_item_add(meeting=meeting, title="Results")
    second = governance_services.agenda_item_add(meeting=meeting, title="Budget")
    # Uploaded in the wrong order: the pack follows the agenda.
    governance_services.paper_add(
        agenda_item=second,
        title="Budget paper",
        uploaded_file=SimpleUploadedFile("budget.pdf", _pdf("BUDGET PAGE ONE"), "application/pdf"),
    )
    governance_services.paper_add(
        agenda_item=first,
        title="Results paper",
        uploaded_file=SimpleUploadedFile(
            "results.pdf", _pdf("RESULTS PAGE ONE", "RESULTS PAGE TWO"), "application/pdf"
        ),
    )
    governance_services.paper_add(
        agenda_item=first,
        title="Results data",
        uploaded_file=SimpleUploadedFile("results.csv", b"school,value\nA,1\n", "text/csv"),
    )
    pack = _generate(meeting, officer, django_capture_on_commit_callbacks)
    pages = _pack_text(pack)
    cover = [i for i, p in enumerate(pages) if "RESULTS PAGE ONE" in p or "BUDGET" in p]
    assert pack.pages == len(pages)
    tail = pages[-3:]
    assert tail == ["RESULTS PAGE ONE", "RESULTS PAGE TWO", "BUDGET PAGE ONE"]
    assert cover == [len(pages) - 3, len(pages) - 1]
    front = "\n".join(pages[:-3])
    assert "Results paper: included after these pages (2 pages)" in front
    assert "Results data: Not included: results.csv is not a PDF." in front


def test_board_pack_and_meeting_page_use_the_boards_previous_meeting_for_plan_changes(
    strategic_board, officer, client_as, django_capture_on_commit_callbacks
):
    now = timezone.now()
    earlier = governance_services.meeting_create(
        board=strategic_board, starts_at=now - dt.timedelta(days=100), location="Hall"
    )
    previous = governance_services.meeting_create(
        board=strategic_board, starts_at=now - dt.timedelta(days=10), location="Hall"
    )
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=now + dt.timedelta(days=3), location="Hall"
    )
    assert earlier.meeting_date < previous.meeting_date
    plan = PlanFactory(title="Ofsted action plan", is_current=True)
    action = ActionFactory(priority=PriorityFactory(plan=plan, number=1), number="1.1")
    changed = MilestoneFactory(
        action=action, order=1, title="Changed since", due_date=timezone.localdate()
    )
    MilestoneFactory(action=action, order=2, title="Untouched", due_date=timezone.localdate())
    actionplan_services.milestone_update_record(
        milestone=changed, author=officer, status="off_track", progress=10, note="Slipping."
    )
    text = "\n".join(_pack_text(_generate(meeting, officer, django_capture_on_commit_callbacks)))
    assert (
        f"Milestones changed since the board's previous meeting "
        f"({previous.meeting_date:%d %B %Y}): 1." in text
    )
    assert "Changed since" in text
    assert "Untouched" not in text
    add_member(strategic_board, user=officer)
    page = client_as("officer").get(f"/partnership/meetings/{meeting.pk}/").content.decode()
    assert f"/action-plan/?since={previous.meeting_date:%Y-%m-%d}#changes" in page
