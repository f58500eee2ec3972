"""Each role's home page in Chromium: the tasks come first, each with its date, and each link
goes to where the task is done. axe finds no WCAG 2.2 AA violation on the home pages or on
the pages their links open."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pep_portal.imports.models import ImportJob
from pep_portal.nightly.models import NightlyRun
from tests.consultation.conftest import make_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(school, measure_catalogue):
    """An open consultation and a prediction collection for Harbour, an overdue milestone,
    a rejected import and a nightly run."""
    from outcomes.models import DataCollection
    from tests.actionplan.factories import MilestoneFactory

    consultation = make_consultation("open", audience_schools=[school], title="Admissions protocol")
    collection = DataCollection.objects.create(
        title="Spring KS2 predictions",
        key_stage="KS2",
        academic_year=2026,
        term="spring",
        deadline=timezone.now() + dt.timedelta(days=6),
    )
    collection.schools.set([school])
    milestone = MilestoneFactory(
        title="Panel established", due_date=timezone.localdate() - dt.timedelta(days=10)
    )
    job = ImportJob.objects.create(
        kind="results",
        original_name="ks2_2016.csv",
        status=ImportJob.Status.FAILED,
        errors=[{"message": "Row 3, column URN: not a number"}],
        finished_at=timezone.now(),
    )
    run = NightlyRun.objects.create(
        status=NightlyRun.Status.SUCCEEDED, active=None, finished_at=timezone.now()
    )
    return {
        "consultation": consultation,
        "collection": collection,
        "milestone": milestone,
        "job": job,
        "run": run,
    }


def _home(page, check_a11y, name):
    page.goto("/")
    tasks = page.locator(".home-tasks")
    expect(tasks).to_be_visible()
    check_a11y(page, f"home ({name})")
    return tasks


def test_head_home_tasks_and_my_school(page, login_as, check_a11y, head, school, world):
    login_as(page, head)
    tasks = _home(page, check_a11y, "head")
    answer = page.locator("#home-consultations_to_answer")
    expect(answer).to_contain_text("1 consultation to answer for Harbour Primary School")
    expect(answer).to_contain_text("Closes")
    predictions = page.locator("#home-predictions_due")
    expect(predictions).to_contain_text("Spring KS2 predictions")
    expect(predictions).to_contain_text("Due")
    # Tasks come before the head's own things.
    assert page.content().index("Your tasks") < page.content().index("My school")
    expect(tasks).not_to_contain_text("Failed imports")

    answer.get_by_role("link", name="Admissions protocol").click()
    expect(page).to_have_url(re.compile(rf"/consultations/{world['consultation'].pk}/respond/"))
    check_a11y(page, "head task: respond")
    page.goto("/")
    predictions.get_by_role("link", name="Spring KS2 predictions").click()
    expect(page).to_have_url(re.compile(rf"/schools/{school.urn}/$"))
    check_a11y(page, "head task: predictions return")
    page.goto("/")
    page.get_by_role("link", name=re.compile("school on a page")).click()
    expect(page).to_have_url(re.compile(rf"/dashboards/schools/{school.urn}/"))
    check_a11y(page, "head: my school")


def test_school_colleague_sees_the_same_school_tasks(
    page, login_as, check_a11y, school_colleague, world
):
    login_as(page, school_colleague)
    _home(page, check_a11y, "school colleague")
    expect(page.locator("#home-consultations_to_answer")).to_contain_text("Admissions protocol")
    expect(page.locator("#home-my_school")).to_contain_text("Harbour Primary School")


def test_officer_home_tasks(page, login_as, check_a11y, officer, head, world):
    login_as(page, officer)
    tasks = _home(page, check_a11y, "officer")
    expect(page.locator("#home-overdue_milestones")).to_contain_text("Panel established")
    expect(page.locator("#home-overdue_milestones")).to_contain_text("(overdue)")
    expect(page.locator("#home-failed_imports")).to_contain_text("not a number")
    expect(page.locator("#home-collections_closing")).to_contain_text(
        "0 of 1 schools have submitted."
    )
    expect(page.locator("#home-nightly")).to_contain_text(f"Run {world['run'].pk}: succeeded")
    expect(tasks).not_to_contain_text("My school")

    page.locator("#home-overdue_milestones").get_by_role(
        "link", name=re.compile("Panel established")
    ).click()
    expect(page).to_have_url(re.compile(rf"/milestones/{world['milestone'].pk}/"))
    check_a11y(page, "officer task: overdue milestone")
    page.goto("/")
    page.locator("#home-failed_imports").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/imports/{world['job'].pk}/"))
    check_a11y(page, "officer task: failed import")
    page.goto("/")
    page.locator("#home-collections_closing").get_by_role(
        "link", name="Spring KS2 predictions"
    ).click()
    expect(page).to_have_url(re.compile(rf"/collections/{world['collection'].pk}/"))
    check_a11y(page, "officer task: collection closing")

    # The users list and a user's page with its actions.
    page.goto("/users/")
    check_a11y(page, "users list (officer)")
    page.get_by_role("link", name=f"Manage {head.email}").click()
    expect(page.get_by_role("heading", name="Change role")).to_be_visible()
    expect(page.get_by_role("button", name="Deactivate account")).to_be_visible()
    check_a11y(page, "user page (officer)")


def test_board_member_home_next_meeting_with_papers_and_dashboards(
    page, login_as, check_a11y, board_member, world
):
    from partnership.governance import services
    from partnership.governance.models import Paper
    from tests.partnership.factories import BoardFactory, PartnershipFactory, add_member

    board = BoardFactory(partnership=PartnershipFactory(), name="Strategic Board", slug="sb")
    add_member(board, user=board_member, start=dt.date(2016, 9, 1))
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() + dt.timedelta(days=4), location="Guildhall"
    )
    Paper.objects.create(
        agenda_item=meeting.agenda_items.first(),
        title="Outcomes report",
        file="papers/outcomes.pdf",
        original_name="outcomes.pdf",
        content_type="application/pdf",
        size=10,
    )
    services.papers_publish(meeting=meeting)

    login_as(page, board_member)
    tasks = _home(page, check_a11y, "board member")
    meetings = page.locator("#home-next_meetings")
    expect(tasks).to_contain_text("Read the pack and papers before your next meeting.")
    expect(meetings).to_contain_text("Strategic Board, Guildhall")
    expect(meetings).to_contain_text("Meets")
    expect(meetings.get_by_role("link", name="Paper: Outcomes report")).to_be_visible()
    expect(page.locator("#home-dashboards")).to_contain_text("City overview")
    meetings.get_by_role("link", name="Strategic Board, Guildhall").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/"))
    check_a11y(page, "board member: next meeting")
    page.goto("/")
    page.get_by_role("link", name="City overview").click()
    expect(page).to_have_url(re.compile(r"/partnership/dashboards/$"))
    check_a11y(page, "board member: dashboards")


def test_trust_user_home_my_trust_and_api(
    page, login_as, check_a11y, trust_user, trust, school, world
):
    login_as(page, trust_user)
    _home(page, check_a11y, "trust user")
    mine = page.locator("#home-my_trust")
    expect(mine).to_contain_text("Solent Academies Trust: trust dashboard")
    expect(mine.get_by_role("link", name="Harbour Primary School")).to_be_visible()
    mine.get_by_role("link", name=re.compile("trust dashboard")).click()
    expect(page).to_have_url(re.compile(rf"/dashboards/trusts/{trust.pk}/"))
    check_a11y(page, "trust user: trust dashboard")
    page.goto("/")
    page.get_by_role("link", name="Your API tokens").click()
    expect(page).to_have_url(re.compile(r"/profile/tokens/"))
    check_a11y(page, "trust user: API tokens")
