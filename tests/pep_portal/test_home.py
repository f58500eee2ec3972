"""The home page per role: tasks first (each with its deadline and a link to where it is
done), then the person's own things. Every section is scoped by the user."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pep_portal.imports.models import ImportJob
from pep_portal.platform.homepage import home_sections
from tests.consultation.conftest import make_consultation

pytestmark = pytest.mark.django_db


def _keys(sections):
    return [s.key for s in sections]


def _section(result, key):
    for s in result["tasks"] + result["mine"]:
        if s.key == key:
            return s
    raise AssertionError(f"no section {key}: {_keys(result['tasks'] + result['mine'])}")


# --- Head ------------------------------------------------------------------------------------


def test_head_home_starts_with_consultations_to_answer_and_my_school(head, school, other_school):
    mine = make_consultation("open", audience_schools=[school], title="Admissions protocol")
    make_consultation("open", audience_schools=[other_school], title="Not for Harbour")
    make_consultation("not_yet_open", audience_schools=[school], title="Not open yet")
    make_consultation("draft", audience_schools=[school], title="A draft")
    result = home_sections(user=head)
    tasks = _section(result, "consultations_to_answer")
    assert [i.title for i in tasks.items] == ["Admissions protocol"]
    assert tasks.items[0].when == mine.closes_at
    assert tasks.items[0].url == reverse("consultation:respond", args=[mine.pk])
    assert tasks.summary == "1 consultation to answer for Harbour Primary School"
    my_school = _section(result, "my_school")
    assert my_school.items[0].url == reverse("partnership:school_page", args=[school.urn])
    # Officers' and board members' sections are not a head's.
    assert "failed_imports" not in _keys(result["tasks"])
    assert "overdue_milestones" not in _keys(result["tasks"])


def test_a_submitted_consultation_leaves_the_heads_tasks(head, school):
    from consultation import responding
    from tests.consultation.conftest import full_answers

    c = make_consultation("open", audience_schools=[school], title="Admissions protocol")
    responding.response_save(consultation=c, user=head, answers=full_answers(c.q), submit=True)
    tasks = _section(home_sections(user=head), "consultations_to_answer")
    assert tasks.items == [] and "every open consultation" in tasks.empty


def test_head_sees_predictions_due_with_the_deadline(head, school, other_school, officer):
    from outcomes.models import DataCollection

    deadline = timezone.now() + dt.timedelta(days=5)
    due = DataCollection.objects.create(
        title="Spring KS2 predictions",
        key_stage="KS2",
        academic_year=2026,
        term="spring",
        deadline=deadline,
    )
    due.schools.set([school])
    other = DataCollection.objects.create(
        title="Not Harbour's", key_stage="KS2", academic_year=2026, term="spring",
        deadline=deadline,
    )  # fmt: skip
    other.schools.set([other_school])
    section = _section(home_sections(user=head), "predictions_due")
    assert [i.title for i in section.items] == ["Spring KS2 predictions"]
    assert section.items[0].when == deadline
    assert section.items[0].url == reverse("outcomes:submission_edit", args=[due.pk, school.urn])
    officer_section = _section(home_sections(user=officer), "collections_closing")
    assert "0 of 1 schools have submitted." in [i.detail for i in officer_section.items]


def test_head_home_page_renders_tasks_before_my_school(client, head, school):
    make_consultation("open", audience_schools=[school], title="Admissions protocol")
    client.force_login(head)
    page = client.get(reverse("home")).content.decode()
    assert page.index("Your tasks") < page.index("Admissions protocol") < page.index("My school")
    assert "Closes" in page


# --- Officer ---------------------------------------------------------------------------------


def test_officer_sees_failed_imports_not_since_fixed(officer):
    now = timezone.now()
    failed = ImportJob.objects.create(
        kind="results", original_name="ks2.csv", status=ImportJob.Status.FAILED,
        errors=[{"message": "Row 3, column URN: not a number"}], finished_at=now,
    )  # fmt: skip
    ImportJob.objects.create(
        kind="gias", original_name="gias.csv", status=ImportJob.Status.FAILED, finished_at=now
    )
    ImportJob.objects.create(
        kind="gias", original_name="gias.csv", status=ImportJob.Status.SUCCEEDED,
        finished_at=now + dt.timedelta(minutes=5),
    )  # fmt: skip
    section = _section(home_sections(user=officer), "failed_imports")
    assert [i.url for i in section.items] == [reverse("import_detail", args=[failed.pk])]
    assert "not a number" in section.items[0].detail


def test_officer_sees_consultations_to_run(officer, school):
    closing = make_consultation("open", audience_schools=[school], title="Closing soon")
    closing.closes_at = timezone.now() + dt.timedelta(days=3)
    closing.save()
    make_consultation("draft", audience_schools=[school], title="Still a draft")
    make_consultation("closed", audience_schools=[school], title="Awaiting response")
    section = _section(home_sections(user=officer), "consultations_to_run")
    titles = [i.title for i in section.items]
    assert "Draft: Still a draft" in titles
    assert "Closing soon" in titles
    assert "Publish the response: Awaiting response" in titles
    closing_item = next(i for i in section.items if i.title == "Closing soon")
    assert closing_item.when == closing.closes_at and "0 of 1 schools" in closing_item.detail


def test_officer_sees_the_last_nightly_run_and_a_failed_one_is_a_task(officer):
    from pep_portal.nightly.models import NightlyRun

    run = NightlyRun.objects.create(
        status=NightlyRun.Status.FAILED, active=None, finished_at=timezone.now(),
        errors=[{"message": "worker lost"}],
    )  # fmt: skip
    result = home_sections(user=officer)
    section = next(s for s in result["tasks"] if s.key == "nightly")
    assert section.items[0].url == reverse("nightly_run_detail", args=[run.pk])
    assert "worker lost" in section.items[0].detail


def test_officer_sees_overdue_milestones(officer):
    from tests.actionplan.factories import MilestoneFactory

    overdue = MilestoneFactory(due_date=timezone.localdate() - dt.timedelta(days=3))
    MilestoneFactory(action=overdue.action, due_date=timezone.localdate() + dt.timedelta(days=30))
    section = _section(home_sections(user=officer), "overdue_milestones")
    assert [i.url for i in section.items] == [reverse("actionplan:milestone", args=[overdue.pk])]
    assert section.items[0].when == overdue.due_date and section.items[0].overdue


# --- Board member ----------------------------------------------------------------------------


def test_board_member_sees_next_meetings_and_dashboards(board_member):
    result = home_sections(user=board_member)
    assert "next_meetings" in _keys(result["mine"])
    dashboards = _section(result, "dashboards")
    assert dashboards.items[0].url == reverse("partnership:overview")
    assert not result["tasks"] or all(
        s.key not in ("failed_imports", "overdue_milestones") for s in result["tasks"]
    )


def test_board_members_next_meeting_is_a_task_with_its_pack_and_papers(
    board_member, other_trust_user
):
    from partnership.governance import services
    from partnership.governance.models import BoardPack, Paper
    from tests.partnership.factories import BoardFactory, PartnershipFactory, add_member

    board = BoardFactory(partnership=PartnershipFactory(), name="Strategic Board", slug="sb")
    add_member(board, user=board_member, start=dt.date(2016, 9, 1))
    other = BoardFactory(partnership=board.partnership, name="Another board", slug="ab")
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() + dt.timedelta(days=5), location="Guildhall"
    )
    services.meeting_create(
        board=other, starts_at=timezone.now() + dt.timedelta(days=2), location="Elsewhere"
    )
    item = meeting.agenda_items.first()
    paper = Paper.objects.create(
        agenda_item=item, title="Outcomes report", file="papers/x.pdf",
        original_name="x.pdf", content_type="application/pdf", size=10,
    )  # fmt: skip
    services.papers_publish(meeting=meeting)
    pack = BoardPack.objects.create(
        meeting=meeting, status=BoardPack.Status.READY, pages=12, file="packs/p.pdf"
    )
    result = home_sections(user=board_member)
    section = next(s for s in result["tasks"] if s.key == "next_meetings")
    assert [i.url for i in section.items] == [
        reverse("partnership:meeting_detail", args=[meeting.pk])
    ]
    entry = section.items[0]
    assert entry.when == meeting.starts_at
    assert dict((url, label) for label, url in entry.links) == {
        reverse("partnership:board_pack_download", args=[pack.pk]): "Board pack (PDF, 12 pages)",
        reverse("partnership:paper_download", args=[paper.pk]): "Paper: Outcomes report",
    }
    assert "1 paper" in entry.detail
    # Someone who sits on no board sees none of it.
    assert "next_meetings" not in _keys(home_sections(user=other_trust_user)["tasks"])


# --- Trust user ------------------------------------------------------------------------------


def test_trust_user_sees_their_trust_its_schools_and_api_tokens(
    trust_user, trust, school, other_school
):
    result = home_sections(user=trust_user)
    section = _section(result, "my_trust")
    assert section.items[0].url == reverse("partnership:trust_page", args=[trust.pk])
    urls = [i.url for i in section.items]
    assert reverse("partnership:school_page", args=[school.urn]) in urls
    assert reverse("partnership:school_page", args=[other_school.urn]) not in urls
    api = _section(result, "api")
    assert api.items[0].url == reverse("api_tokens")


@pytest.mark.parametrize(
    "role",
    ["officer", "portal_admin", "board_member", "head", "school_colleague", "trust_user"],
)
def test_every_role_has_a_home_page(client_as, role):
    response = client_as(role).get(reverse("home"))
    assert response.status_code == 200
    assert "Your tasks" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
