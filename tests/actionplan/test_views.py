"""Action-plan pages: the permission matrix for every page, and what each page shows."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan import services
from actionplan.models import MilestoneUpdate

from .conftest import ALL_ROLES
from .factories import LeadRoleFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
READERS = {
    "officer",
    "portal_admin",
    "lead",
    "board_member",
    "head",
    "school_colleague",
    "trust_user",
}
UPDATERS = {"officer", "portal_admin", "lead"}
IMPORTERS = {"officer", "portal_admin"}


@pytest.fixture
def update_with_file(milestone, officer):
    return services.milestone_update_record(
        milestone=milestone,
        author=officer,
        status="on_track",
        progress=30,
        note="Strategy drafted.",
        evidence_file=SimpleUploadedFile("strategy.pdf", PDF),
    )


def _urls(milestone, update):
    return {
        "plan": (reverse("actionplan:plan"), READERS),
        "plan_json": (reverse("actionplan:plan_json"), READERS),
        "export_csv": (reverse("actionplan:export_csv"), READERS),
        "export_xlsx": (reverse("actionplan:export_xlsx"), READERS),
        "action": (reverse("actionplan:action", args=[milestone.action_id]), READERS),
        "milestone": (reverse("actionplan:milestone", args=[milestone.pk]), READERS),
        "evidence": (reverse("actionplan:evidence", args=[update.pk]), READERS),
        "milestone_update": (
            reverse("actionplan:milestone_update", args=[milestone.pk]),
            UPDATERS,
        ),
        "import": (reverse("actionplan:import"), IMPORTERS),
    }


PAGES = [
    "plan",
    "plan_json",
    "export_csv",
    "export_xlsx",
    "action",
    "milestone",
    "evidence",
    "milestone_update",
    "import",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_permission_matrix(client_as, request, milestone, update_with_file, page, role):
    if role == "lead":
        client = request.getfixturevalue("client")
        client.force_login(request.getfixturevalue("lead"))
    else:
        client = client_as(role)
    url, allowed = _urls(milestone, update_with_file)[page]
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif role in allowed:
        assert response.status_code == 200, f"{role} should see {page}"
    else:
        assert response.status_code == 403, f"{role} must not see {page}"


@pytest.mark.parametrize("role", ["board_member", "head", "trust_user", "anonymous"])
def test_only_officers_and_leads_can_post_an_update(client_as, milestone, role):
    response = client_as(role).post(
        reverse("actionplan:milestone_update", args=[milestone.pk]),
        {"status": "complete", "progress": 100, "note": "Done"},
    )
    assert response.status_code in (302, 403)
    if role != "anonymous":
        assert response.status_code == 403
    assert not MilestoneUpdate.objects.exists()


def test_the_board_view_shows_priorities_counts_definitions_and_glossary(client_as, milestone, hsi):
    html = client_as("board_member").get(reverse("actionplan:plan")).content.decode()
    assert "Ofsted action plan" in html
    assert "Priority 2: Robustly challenge all providers" in html
    assert "What the colours mean" in html
    assert "Past its due date and not complete, or reported off track." in html
    assert "Revised schools causing concern categorisation process" in html
    assert '<span class="rag rag--green">Green</span>' in html
    assert "Head of School Improvement (Interim)" in html
    assert "<details" in html


def test_the_nav_links_to_the_action_plan(client_as, plan):
    html = client_as("head").get("/").content.decode()
    assert 'href="/action-plan/"' in html


def test_an_officer_records_an_update_with_a_file_and_it_appears_in_the_timeline(
    client_as, milestone, officer
):
    client = client_as("officer")
    response = client.post(
        reverse("actionplan:milestone_update", args=[milestone.pk]),
        {
            "status": "at_risk",
            "progress": 45,
            "note": "Heads' workshop postponed to next week.",
            "evidence_url": "https://democracy.portsmouth.gov.uk/",
            "evidence_file": SimpleUploadedFile("minutes.pdf", PDF),
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Heads&#x27; workshop postponed to next week." in page
    assert "minutes.pdf" in page
    assert '<span class="rag rag--amber">Amber</span>' in page
    update = MilestoneUpdate.objects.get()
    download = client.get(reverse("actionplan:evidence", args=[update.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_an_invalid_update_shows_errors_and_writes_nothing(client_as, milestone):
    response = client_as("officer").post(
        reverse("actionplan:milestone_update", args=[milestone.pk]),
        {
            "status": "off_track",
            "progress": 150,
            "note": "",
            "rag_override": "green",
            "evidence_file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Ensure this value is less than or equal to 100." in html
    assert "Give a reason for overriding the RAG." in html
    assert "This field is required." in html
    assert not MilestoneUpdate.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_with_a_message(client_as, milestone):
    response = client_as("officer").post(
        reverse("actionplan:milestone_update", args=[milestone.pk]),
        {
            "status": "on_track",
            "progress": 20,
            "note": "Evidence attached",
            "evidence_file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        },
    )
    assert response.status_code == 200
    assert "“report.pdf” is not a type of file the portal accepts" in response.content.decode()
    assert not MilestoneUpdate.objects.exists()


def test_an_oversized_file_is_refused_on_the_form_with_the_limit(client_as, milestone, settings):
    settings.ACTIONPLAN_EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    response = client_as("officer").post(
        reverse("actionplan:milestone_update", args=[milestone.pk]),
        {
            "status": "on_track",
            "progress": 20,
            "note": "Evidence attached",
            "evidence_file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 3 * 1024 * 1024),
        },
    )
    assert response.status_code == 200
    # Refused while the request was read (the upload handler), before the form saw a byte.
    assert (
        "“scan.pdf” is over 2.0 MB, the limit for an evidence file; nothing was stored."
        in response.content.decode()
    )
    assert not MilestoneUpdate.objects.exists()


def test_the_lead_sees_the_update_button_but_a_board_member_does_not(client_as, request, milestone):
    url = reverse("actionplan:milestone", args=[milestone.pk])
    update_url = reverse("actionplan:milestone_update", args=[milestone.pk])
    assert update_url not in client_as("board_member").get(url).content.decode()
    client = request.getfixturevalue("client")
    client.force_login(request.getfixturevalue("lead"))
    assert update_url in client.get(url).content.decode()


def test_reported_and_computed_status_are_both_shown_when_they_disagree(
    client_as, action, officer, today
):
    m = MilestoneFactory(action=action, title="Late item", due_date=today - dt.timedelta(days=5))
    services.milestone_update_record(
        milestone=m, author=officer, status="on_track", progress=80, note="Nearly", today=today
    )
    html = client_as("board_member").get(reverse("actionplan:milestone", args=[m.pk])).content
    html = html.decode()
    assert '<span class="rag rag--red">Red</span>' in html
    assert "differs from the reported status (on track)" in html


def test_an_override_is_shown_with_its_reason_and_the_computed_colour(
    client_as, milestone, officer
):
    services.milestone_update_record(
        milestone=milestone,
        author=officer,
        status="off_track",
        progress=50,
        note="Behind",
        rag_override="amber",
        override_reason="New date agreed by the board",
    )
    html = client_as("trust_user").get(reverse("actionplan:plan")).content.decode()
    assert '<span class="rag rag--amber">Amber</span>' in html
    assert "Overridden: computed Red. Reason: New date agreed by the board" in html


def _board(client, **params):
    return client.get(reverse("actionplan:plan"), params).content.decode()


def test_filters_by_rag_lead_due_soon_and_overdue(client_as, action, officer, today):
    red = MilestoneFactory(action=action, title="Overdue thing", due_date=today - dt.timedelta(1))
    soon = MilestoneFactory(action=action, title="Due next week", due_date=today + dt.timedelta(7))
    later = MilestoneFactory(
        action=action, title="Due in spring", due_date=today + dt.timedelta(90)
    )
    services.milestone_rag_recompute(today=today)
    client = client_as("board_member")
    html = _board(client, rag="red")
    assert red.title in html and soon.title not in html and later.title not in html
    html = _board(client, overdue="on")
    assert red.title in html and soon.title not in html
    html = _board(client, due_within_weeks=2)
    assert soon.title in html and red.title not in html and later.title not in html
    html = _board(client, lead="HSI")
    assert red.title in html and later.title in html
    LeadRoleFactory(code="DCS", title="Director of Children's Services")
    html = _board(client, lead="DCS")
    assert "No priority has a milestone matching the filters." in html
    assert "0 of 3 milestones match" in html


def test_bad_filter_values_are_said_naming_each_and_list_no_milestone(
    client_as, milestone, officer
):
    services.milestone_update_record(
        milestone=milestone, author=officer, status="on_track", progress=10, note="Started."
    )
    response = client_as("board_member").get(
        reverse("actionplan:plan"), {"rag": "purple", "due_within_weeks": "soon", "since": "x"}
    )
    assert response.status_code == 200  # the plan's page, not an error page
    html = response.content.decode()
    assert "These filters could not be applied" in html
    assert "RAG: Select a valid choice. purple is not one of the available choices." in html
    assert "Due in the next (weeks): Enter a whole number (given: “soon”)." in html
    assert "Changes since: Enter a valid date (given: “x”)." in html
    # Not the whole plan (nor six weeks of changes) as if it answered the filters.
    assert milestone.title not in html
    assert "0 of 1 milestones match" in html
    assert "Started." not in html


def test_changes_since_the_last_meeting(client_as, milestone, officer, today):
    services.milestone_update_record(
        milestone=milestone,
        author=officer,
        status="off_track",
        progress=10,
        note="Partners disagree on the model.",
    )
    client = client_as("board_member")
    html = _board(client)  # default: six weeks ago
    section = html.split('id="changes"')[1].split('id="success-measures"')[0]
    assert milestone.title in section
    assert "Partners disagree on the model." in section
    assert '<span class="rag rag--green">Green</span>' in section  # then
    assert '<span class="rag rag--red">Red</span>' in section  # now
    assert "changed" in section
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    html = _board(client, since=tomorrow)
    section = html.split('id="changes"')[1].split('id="success-measures"')[0]
    assert milestone.title not in section
    assert "No milestone has been updated since" in section


def test_another_plan_can_be_chosen(client_as, milestone):
    other = services.plan_create(title="Plan for next year")
    html = _board(client_as("board_member"), plan=other.pk)
    assert "Plan for next year" in html
    assert milestone.title not in html
    assert (
        client_as("board_member").get(reverse("actionplan:plan"), {"plan": "x"}).status_code == 404
    )


def test_the_board_view_without_a_plan_says_so(client_as):
    html = client_as("officer").get(reverse("actionplan:plan")).content.decode()
    assert "There is no action plan in the portal yet." in html
    assert reverse("actionplan:import") in html


def test_the_json_feed_has_the_whole_plan(client_as, milestone):
    data = client_as("trust_user").get(reverse("actionplan:plan_json")).json()
    assert data["title"] == "Ofsted action plan"
    priority = data["priorities"][0]
    assert priority["number"] == 2
    action = priority["actions"][0]
    assert action["number"] == "2.2" and action["leads"] == ["HSI"]
    assert action["milestones"][0]["rag"] == "green"
    assert data["rag_counts"] == {"red": 0, "amber": 0, "green": 1, "complete": 0}


def test_an_evidence_view_for_an_update_without_a_file_is_404(client_as, milestone, officer):
    update = services.milestone_update_record(
        milestone=milestone, author=officer, status="on_track", progress=5, note="No file"
    )
    response = client_as("officer").get(reverse("actionplan:evidence", args=[update.pk]))
    assert response.status_code == 404


def test_the_import_page_rejects_a_file_that_is_not_a_workbook(client_as):
    response = client_as("officer").post(
        reverse("actionplan:import"),
        {"file": SimpleUploadedFile("plan.xlsx", io.BytesIO(b"Priority,Title\n1,x\n").read())},
    )
    assert response.status_code == 200
    assert "This is not an Excel workbook (.xlsx)." in response.content.decode()
