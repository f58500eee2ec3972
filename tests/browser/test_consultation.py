"""A head answers a consultation for the school in a real browser; an officer analyses it."""

import re

import pytest
from playwright.sync_api import expect

from consultation.models import Response
from tests.consultation.conftest import make_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/"))


def test_head_drafts_submits_and_resubmits_and_officer_sees_it(
    page, login_as, check_a11y, screenshot, school, head, officer
):
    consultation = make_consultation(
        "open", audience_schools=[school], title="Partnership proposals"
    )
    q = consultation.q
    login_as(page, head)

    page.goto("/consultations/")
    check_a11y(page, "consultation list (head)")
    page.get_by_role("link", name="Partnership proposals").click()
    check_a11y(page, "consultation detail (head)")
    page.get_by_role("link", name="Respond for your school").click()
    check_a11y(page, "response form (head, new)")

    # A draft without the mandatory first question.
    page.get_by_label("Q5. Any other comments?").fill("Keep the focus on disadvantaged pupils.")
    page.locator(f"#question-{q['yes_no'].pk}").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    # Come back later: the draft is there.
    page.goto("/consultations/")
    page.goto(f"/consultations/{consultation.pk}/respond/")
    expect(page.get_by_label("Q5. Any other comments?")).to_have_value(
        "Keep the focus on disadvantaged pupils."
    )

    # Submitting without the mandatory question is refused, with the reason.
    page.get_by_role("button", name="Submit response").click()
    expect(page.get_by_text("Q1 must be answered before submitting.")).to_be_visible()
    check_a11y(page, "response form (head, error)")
    assert Response.objects.get().status == "draft"

    page.locator(f"#question-{q['scale'].pk}").get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Submit response").click()
    expect(page.get_by_text("Your school's response has been submitted.")).to_be_visible()
    check_a11y(page, "response form (head, submitted)")

    # Edit and resubmit.
    page.locator(f"#question-{q['yes_no'].pk}").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Resubmit response").click()
    expect(page.get_by_text("Your school's response has been submitted.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"submitted 2 times"))).to_be_visible()
    screenshot(page, "consultation-respond-resubmitted")
    response = Response.objects.get()
    assert response.submission_count == 2
    assert response.answers.get(question=q["yes_no"]).value == "No"

    _sign_out(page)
    login_as(page, officer)
    page.goto(f"/consultations/{consultation.pk}/")
    check_a11y(page, "consultation detail (officer)")
    page.get_by_role("link", name="Analysis of responses").click()
    expect(page.get_by_text("Keep the focus on disadvantaged pupils.")).to_be_visible()
    expect(
        page.get_by_role("table", name=re.compile("Response rate by phase")).get_by_role(
            "row", name=re.compile("All schools")
        )
    ).to_contain_text("100%")
    # plotly.js (3 MB) parses and draws after the page loads: seconds on a loaded machine.
    expect(page.locator(f"#chart-q{q['scale'].pk} .main-svg").first).to_be_attached(timeout=20_000)
    check_a11y(page, "consultation analysis (officer)")
    screenshot(page, "consultation-analysis")
    page.get_by_role("link", name="Harbour Primary School").click()
    expect(page.get_by_role("heading", name="Harbour Primary School's response")).to_be_visible()
    expect(page.get_by_text("Keep the focus on disadvantaged pupils.")).to_be_visible()
    check_a11y(page, "response detail (officer)")
    page.goto(f"/consultations/{consultation.pk}/report/")
    check_a11y(page, "consultation report (officer)")
    page.goto(f"/consultations/{consultation.pk}/questions/")
    check_a11y(page, "questions and files (officer)")
    page.goto(f"/consultations/{consultation.pk}/edit/")
    check_a11y(page, "consultation edit (officer)")
    page.goto("/consultations/new/")
    check_a11y(page, "consultation create (officer)")


def test_closed_consultation_pages_are_read_only_and_accessible(
    page, login_as, check_a11y, school, head, officer
):
    consultation = make_consultation("closed", audience_schools=[school], title="Old proposals")
    login_as(page, head)
    page.goto(f"/consultations/{consultation.pk}/respond/")
    expect(page.get_by_text("Answers can no longer be changed.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit response")).to_have_count(0)
    check_a11y(page, "response (head, closed)")
    _sign_out(page)
    login_as(page, officer)
    page.goto(f"/consultations/{consultation.pk}/feedback/")
    page.get_by_label("We asked, you said, we did").fill(
        "You said more CPD; we set up subject networks."
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("we set up subject networks")).to_be_visible()
    check_a11y(page, "consultation detail with feedback (officer)")
