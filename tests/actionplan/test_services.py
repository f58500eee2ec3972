"""Recording updates: history kept, RAG recomputed and rolled up, evidence checked."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplan import services
from actionplan.models import Action, Milestone, MilestoneUpdate, Plan, Priority
from tests.hostile.ole import compound_file

from .factories import ActionFactory, MilestoneFactory, PriorityFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def record(milestone, user, **kwargs):
    defaults = {"status": "on_track", "progress": 10, "note": "Started."}
    defaults.update(kwargs)
    return services.milestone_update_record(milestone=milestone, author=user, **defaults)


def test_updates_are_kept_as_a_timeline_newest_first(milestone, officer, lead):
    record(milestone, officer, status="on_track", progress=20, note="Workshops held.")
    record(milestone, lead, status="at_risk", progress=40, note="Heads not yet agreed.")
    timeline = list(milestone.updates.all())
    assert [(u.author, u.status, u.progress, u.note) for u in timeline] == [
        (lead, "at_risk", 40, "Heads not yet agreed."),
        (officer, "on_track", 20, "Workshops held."),
    ]
    milestone.refresh_from_db()
    assert milestone.status == "at_risk" and milestone.progress == 40


def test_an_update_cannot_be_changed_or_deleted(milestone, officer):
    update = record(milestone, officer)
    update.note = "Rewritten history"
    with pytest.raises(ValidationError):
        update.save()
    with pytest.raises(ValidationError):
        update.delete()
    assert MilestoneUpdate.objects.get(pk=update.pk).note == "Started."


def test_each_update_records_the_colour_before_and_after(milestone, officer):
    assert milestone.rag == "green"  # due in 30 days, not started
    first = record(milestone, officer, status="at_risk", progress=30)
    second = record(milestone, officer, status="complete", progress=80)
    assert (first.rag_before, first.rag_after) == ("green", "amber")
    assert (second.rag_before, second.rag_after) == ("amber", "complete")
    assert second.progress == 100  # complete means 100%


def test_completing_late_keeps_the_date_and_is_marked_late(action, officer, today):
    m = MilestoneFactory(action=action, due_date=today - dt.timedelta(days=3))
    services.milestone_rag_recompute(today=today)
    m.refresh_from_db()
    assert m.rag == "red"
    record(m, officer, status="complete", progress=100, today=today)
    m.refresh_from_db()
    assert m.rag == "complete"
    assert m.completed_on == today
    assert m.completed_late


def test_reopening_a_complete_milestone_clears_its_completion_date(milestone, officer, today):
    record(milestone, officer, status="complete", progress=100, today=today)
    record(milestone, officer, status="on_track", progress=90, today=today)
    milestone.refresh_from_db()
    assert milestone.completed_on is None
    assert milestone.rag == "green"


def test_an_override_needs_a_reason(milestone, officer):
    with pytest.raises(ValidationError) as exc:
        record(milestone, officer, status="off_track", rag_override="amber")
    assert "override_reason" in exc.value.message_dict
    assert milestone.updates.count() == 0


def test_an_override_is_shown_and_both_colours_are_kept(milestone, officer):
    record(
        milestone,
        officer,
        status="off_track",
        progress=50,
        rag_override="amber",
        override_reason="The board agreed a new date.",
    )
    milestone.refresh_from_db()
    assert milestone.computed_rag == "red"
    assert milestone.rag == "amber"
    assert milestone.override_reason == "The board agreed a new date."
    # The next update without an override goes back to the computed colour.
    record(milestone, officer, status="off_track", progress=55)
    milestone.refresh_from_db()
    assert milestone.rag == "red" and milestone.override_reason == ""


def test_rag_rolls_up_to_the_action_and_the_priority(plan, hsi, officer, today):
    priority = PriorityFactory(plan=plan, number=5)
    first = ActionFactory(priority=priority, number="5.1", leads=[hsi])
    second = ActionFactory(priority=priority, number="5.2", leads=[hsi])
    a = MilestoneFactory(action=first, due_date=today + dt.timedelta(days=60))
    b = MilestoneFactory(action=first, due_date=today + dt.timedelta(days=60))
    c = MilestoneFactory(action=second, due_date=today + dt.timedelta(days=60))
    services.milestone_rag_recompute(today=today)
    record(a, officer, status="complete", progress=100)
    record(b, officer, status="at_risk", progress=10)
    record(c, officer, status="complete", progress=100)
    first.refresh_from_db()
    second.refresh_from_db()
    priority.refresh_from_db()
    assert (first.rag, second.rag, priority.rag) == ("amber", "complete", "amber")
    record(b, officer, status="off_track", progress=10)
    priority.refresh_from_db()
    assert priority.rag == "red"
    record(b, officer, status="complete", progress=100)
    priority.refresh_from_db()
    first.refresh_from_db()
    assert (first.rag, priority.rag) == ("complete", "complete")


def test_nightly_recompute_turns_milestones_red_when_they_pass_their_due_date(milestone, today):
    due = milestone.due_date
    services.milestone_rag_recompute(today=due)
    milestone.refresh_from_db()
    assert milestone.rag == "amber"  # due today, not started
    summary = services.milestone_rag_recompute(today=due + dt.timedelta(days=1))
    milestone.refresh_from_db()
    milestone.action.refresh_from_db()
    assert milestone.rag == "red"
    assert milestone.action.rag == "red"
    assert summary["milestones"] == 1
    # A second run the same day changes nothing.
    again = services.milestone_rag_recompute(today=due + dt.timedelta(days=1))
    assert again["milestones_recomputed"] == 0


def test_the_plan_amber_window_is_used(milestone, today):
    plan = milestone.action.priority.plan
    plan.amber_window_days = 45
    plan.save()
    services.milestone_rag_recompute(today=today)
    milestone.refresh_from_db()
    assert milestone.rag == "amber"  # due in 30 days, not started, window 45 days


def test_only_officers_and_the_lead_may_update(milestone, board_member, head, trust_user):
    for user in (board_member, head, trust_user):
        with pytest.raises(PermissionDenied):
            record(milestone, user)
    assert milestone.updates.count() == 0


def test_a_lead_may_update_only_milestones_they_lead(milestone, lead, plan, today):
    other_action = ActionFactory(priority=PriorityFactory(plan=plan, number=7), number="7.1")
    other = MilestoneFactory(action=other_action, due_date=today)
    record(milestone, lead)
    with pytest.raises(PermissionDenied):
        record(other, lead)


def test_a_milestone_lead_role_overrides_the_actions_leads(milestone, lead):
    from .factories import LeadRoleFactory

    milestone.lead = LeadRoleFactory(code="SIM")
    milestone.save()
    with pytest.raises(PermissionDenied):
        record(milestone, lead)


def test_evidence_file_is_stored_privately_with_its_type_from_content(milestone, officer, settings):
    upload = SimpleUploadedFile("Strategy 2016.pdf", PDF, content_type="text/html")
    update = record(milestone, officer, evidence_file=upload)
    assert update.evidence_content_type == "application/pdf"  # not what the browser claimed
    assert update.evidence_name == "Strategy 2016.pdf"
    assert update.evidence_size == len(PDF)
    stored = Path(update.evidence_file.path)
    assert stored.read_bytes() == PDF
    assert str(stored).startswith(settings.MEDIA_ROOT)
    assert len(stored.stem) == 32 and int(stored.stem, 16) >= 0  # a random name, not the upload's
    assert stored.suffix == ".pdf"


def test_evidence_whose_name_hides_its_content_is_refused(milestone, officer):
    upload = SimpleUploadedFile("strategy.txt", PDF, content_type="text/plain")
    with pytest.raises(ValidationError) as exc:
        record(milestone, officer, evidence_file=upload)
    assert "contains a PDF document but its name ends in “.txt”" in str(exc.value)
    assert milestone.updates.count() == 0


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.docx", _docx(), "wordprocessingml"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("notes.txt", "Minutes of the meeting – agreed.\n".encode(), "text/plain"),
        # A real (if tiny) OLE compound file: the signature alone is no longer enough, since
        # 97-2003 files are opened to look for macros.
        (
            "old.xls",
            compound_file([("Root Entry", 5, None, b""), ("Workbook", 2, 0, b"\x09\x08")]),
            "application/vnd.ms-excel",
        ),
    ],
)
def test_accepted_evidence_types(milestone, officer, name, content, content_type):
    update = record(milestone, officer, evidence_file=SimpleUploadedFile(name, content))
    assert content_type in update.evidence_content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 40,
            "not a type of file",
        ),  # an .exe called .pdf
        ("page.txt", b"<html><script>alert(1)</script></html>", "markup"),
        ("image.svg", b'<?xml version="1.0"?><svg></svg>', "markup"),
        ("archive.docx", b"PK\x03\x04not really a zip", "not an Office"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_rejected_evidence_says_why_and_writes_nothing(milestone, officer, name, content, message):
    with pytest.raises(ValidationError) as exc:
        record(milestone, officer, evidence_file=SimpleUploadedFile(name, content))
    assert message in " ".join(exc.value.message_dict["evidence_file"])
    assert milestone.updates.count() == 0
    milestone.refresh_from_db()
    assert milestone.status == "not_started"


def test_evidence_over_the_size_limit_is_refused(milestone, officer, settings):
    settings.ACTIONPLAN_EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)
    with pytest.raises(ValidationError) as exc:
        record(milestone, officer, evidence_file=upload)
    assert "limit" in exc.value.message_dict["evidence_file"][0]


def test_making_a_plan_current_unsets_the_previous_one(plan):
    new = services.plan_create(title="Plan for 2017/18", is_current=True)
    plan.refresh_from_db()
    assert new.is_current and not plan.is_current
    assert Plan.objects.filter(is_current=True).count() == 1


def test_action_leads_are_read_from_who_when_not_given(plan, hsi):
    from .factories import LeadRoleFactory

    LeadRoleFactory(code="DDCS")
    priority = services.priority_create(plan=plan, number=1, title="Collaborate")
    action = services.action_create(
        priority=priority, number="1.3", description="Peer review", who="DDCS / HSI"
    )
    assert sorted(lr.code for lr in action.leads.all()) == ["DDCS", "HSI"]


def test_an_action_number_must_match_its_priority(plan):
    priority = services.priority_create(plan=plan, number=1, title="Collaborate")
    with pytest.raises(ValidationError) as exc:
        services.action_create(priority=priority, number="2.1", description="Wrong place")
    assert "should start with 1" in str(exc.value)
    assert not Action.objects.exists()
    assert Priority.objects.count() == 1
    assert Milestone.objects.count() == 0
