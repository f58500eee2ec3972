"""The action plan in Chromium: an officer updates a milestone; the board view shows it.

Every action-plan page is checked with axe-core (WCAG 2.2 AA) and must log no console error.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from actionplan import services
from tests.actionplan.factories import (
    ActionFactory,
    LeadRoleFactory,
    MilestoneFactory,
    PlanFactory,
    PriorityFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MILESTONE = "Terms of reference and protocols in place"


@pytest.fixture
def plan_with_milestone(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = timezone.localdate()
    plan = PlanFactory(title="Ofsted action plan", is_current=True)
    priority = PriorityFactory(
        plan=plan,
        number=1,
        title="Establish and implement collaborative arrangements",
        success_looks_like="A collective focus on improving standards",
    )
    ddcs = LeadRoleFactory(code="DDCS", title="Deputy Director of Children's Services")
    action = ActionFactory(
        priority=priority,
        number="1.1",
        description="Establish an Education Partnership for Portsmouth",
        who="DCS / DDCS",
        when="By Sept 2016",
        leads=[ddcs],
    )
    milestone = MilestoneFactory(
        action=action, order=1, title=MILESTONE, due_date=today + dt.timedelta(days=40)
    )
    MilestoneFactory(
        action=action,
        order=2,
        title="Consultation with heads and principals",
        due_date=today - dt.timedelta(days=3),
    )
    services.milestone_rag_recompute(today=today)
    return milestone


def test_officer_updates_a_milestone_and_the_board_view_shows_the_change(
    page, officer, plan_with_milestone, login_as, check_a11y, screenshot, tmp_path
):
    milestone = plan_with_milestone
    login_as(page, officer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Action plan").click()
    page.wait_for_url("**/action-plan/")
    assert page.get_by_role("heading", level=1).inner_text() == "Action plan: Ofsted action plan"
    check_a11y(page, "actionplan-board")

    # Expand the priority and open the milestone.
    page.get_by_text("Show the 1 action and milestones").click()
    page.get_by_role("link", name=MILESTONE).click()
    page.wait_for_url(f"**/action-plan/milestones/{milestone.pk}/")
    check_a11y(page, "actionplan-milestone")

    page.get_by_role("link", name="Record an update").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Update milestone"
    check_a11y(page, "actionplan-milestone-update")
    page.get_by_label("At risk").check()
    page.get_by_label("Progress (%)").fill("45")
    page.get_by_label("Progress note").fill("The heads' workshop moved to next week.")
    evidence = tmp_path / "terms-of-reference.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Evidence file (optional)").set_input_files(str(evidence))
    screenshot(page, "actionplan-milestone-update")
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"**/action-plan/milestones/{milestone.pk}/")

    assert page.get_by_text("Update to milestone 1.1 saved.").is_visible()
    timeline = page.locator("main")
    assert "The heads' workshop moved to next week." in timeline.inner_text()
    assert page.get_by_role("link", name="terms-of-reference.pdf").is_visible()
    check_a11y(page, "actionplan-milestone-with-timeline")

    # The evidence downloads through the permission-checked view.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="terms-of-reference.pdf").click()
    assert download_info.value.suggested_filename == "terms-of-reference.pdf"

    # The board view shows the new status, and the change since the last meeting.
    page.goto("/action-plan/")
    page.get_by_role("button", name="Expand all").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=MILESTONE)).first
    assert "At risk" in row.inner_text()
    assert "Amber" in row.inner_text()
    changes = page.locator("h2#changes + p + div table")
    assert re.search(r"Changes since \d+ \w+ \d{4}", page.locator("h2#changes").inner_text())
    change_row = changes.get_by_role("row").filter(has_text=MILESTONE)
    text = change_row.inner_text()
    assert "Green" in text and "Amber" in text and "changed" in text
    assert "At risk, 45%" in text
    check_a11y(page, "actionplan-board-after-update")
    screenshot(page, "actionplan-board")


def test_the_other_action_plan_pages_are_accessible(
    page, officer, plan_with_milestone, login_as, check_a11y
):
    milestone = plan_with_milestone
    login_as(page, officer)
    page.goto(f"/action-plan/actions/{milestone.action_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Action 1.1"
    check_a11y(page, "actionplan-action")
    page.goto("/action-plan/import/")
    check_a11y(page, "actionplan-import")
    page.goto("/action-plan/?rag=red&overdue=on")
    assert page.get_by_text("1 of 2 milestones match.").is_visible()
    check_a11y(page, "actionplan-board-filtered")


def test_an_update_with_errors_is_explained_accessibly(
    page, officer, plan_with_milestone, login_as, check_a11y
):
    login_as(page, officer)
    page.goto(f"/action-plan/milestones/{plan_with_milestone.pk}/update/")
    page.get_by_label("Override the RAG (optional)").select_option("green")
    page.get_by_role("button", name="Save update").click()
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert page.get_by_text("Give a reason for overriding the RAG.").first.is_visible()
    check_a11y(page, "actionplan-update-errors")


def test_the_whole_demo_plan_on_the_board_view_is_accessible(
    page, officer, login_as, check_a11y, screenshot, settings, tmp_path, measure_catalogue
):
    from actionplan import demo

    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo.load()
    login_as(page, officer)
    page.goto("/action-plan/")
    for number in range(1, 9):
        assert page.locator(f"#priority-{number}").is_visible()
    page.get_by_role("button", name="Expand all").click()
    assert page.get_by_role("link", name="Action 8.3").is_visible()
    check_a11y(page, "actionplan-demo-board")
    screenshot(page, "actionplan-demo-board")
