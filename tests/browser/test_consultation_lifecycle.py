"""The consultation lifecycle in Chromium, from draft to published response, with the emails.

An officer drafts a consultation and its question, previews it as a head would see it and
schedules it; the head cannot see it before it opens; when it opens (the clock is moved on by
moving the opening time back) reading the list invites the school by email; the head answers
from the link in the invitation; the consultation closes; the officer publishes "we asked, you
said, we did", which is emailed to the school and shown to the head. axe finds no WCAG 2.2 AA
violation on any page.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultation.models import Consultation, Response, Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/"))


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(autouse=True)
def _site_url(settings, live_server):
    # Links in the emails point at the address the portal is served on.
    settings.SITE_URL = live_server.url


# The head's attempt to open the consultation before it opens is refused (a 403 page).
@pytest.mark.console_errors_allowed(r"status of 403 \(Forbidden\)")
def test_consultation_from_draft_to_published_response(
    page, login_as, check_a11y, school, head, officer, mailoutbox, live_server
):
    now = timezone.now()
    login_as(page, officer)

    # 1. Draft.
    page.goto("/consultations/new/")
    page.get_by_label("Title").fill("In-year admissions protocol")
    page.get_by_label("Summary").fill("A shared protocol for in-year admissions.")
    page.get_by_label("Opens at").fill(_local(now + dt.timedelta(days=2)))
    page.get_by_label("Closes at").fill(_local(now + dt.timedelta(days=30)))
    page.get_by_label("Chosen schools", exact=True).check()
    page.get_by_label("Schools (when consulting chosen schools)").select_option(label=str(school))
    page.get_by_role("button", name=re.compile("Save|Create")).click()
    expect(page.get_by_text("Draft consultation created")).to_be_visible()
    consultation = Consultation.objects.get(title="In-year admissions protocol")
    assert consultation.stage == Stage.DRAFT
    page.get_by_label("Kind of question").select_option(label="Agree / disagree scale")
    page.get_by_label(re.compile(r"^Question:?$")).fill("Do you agree with the protocol?")
    page.get_by_label("Must be answered to submit").check()
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Question added.")).to_be_visible()
    check_a11y(page, "lifecycle: questions (draft)")

    page.goto(f"/consultations/{consultation.pk}/")
    expect(page.get_by_role("heading", name="Lifecycle")).to_be_visible()
    expect(page.locator(".cons-steps li[aria-current]")).to_contain_text("Draft")
    check_a11y(page, "lifecycle: detail (draft)")

    # 2. Preview as a head would see it: the form, with nothing to submit.
    page.get_by_role("link", name="Preview as a headteacher").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.get_by_text("Do you agree with the protocol?")).to_be_visible()
    expect(page.get_by_role("button", name="Submit response")).to_be_disabled()
    check_a11y(page, "lifecycle: preview")

    # 3. Schedule: it opens by itself in two days.
    page.get_by_role("link", name=re.compile("Back to")).click()
    page.get_by_role("button", name=re.compile("Schedule to open")).click()
    expect(page.get_by_text("Scheduled. It opens by itself")).to_be_visible()
    expect(page.locator(".cons-steps li[aria-current]")).to_contain_text("Scheduled")
    check_a11y(page, "lifecycle: detail (scheduled)")
    assert mailoutbox == []
    _sign_out(page)

    # Nothing is visible to the school before it opens.
    login_as(page, head)
    page.goto("/consultations/")
    expect(page.get_by_text("In-year admissions protocol")).to_have_count(0)
    assert page.goto(f"/consultations/{consultation.pk}/").status == 403
    page.goto("/")
    expect(page.locator("#home-consultations_to_answer")).not_to_contain_text("In-year")

    # 4. It opens (time moves on): reading the list invites the school, once.
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page.goto("/consultations/")
    expect(page.get_by_role("link", name="In-year admissions protocol")).to_be_visible()
    assert [m.to for m in mailoutbox] == [[head.email]]
    invitation = mailoutbox[0]
    assert "In-year admissions protocol" in invitation.subject
    link = re.search(r"http://\S+/respond/", invitation.body).group(0)
    assert link.startswith(live_server.url)

    # The head's home page lists it as a task with its closing date; the link answers it.
    page.goto("/")
    task = page.locator("#home-consultations_to_answer")
    expect(task).to_contain_text("In-year admissions protocol")
    expect(task).to_contain_text("Closes")
    check_a11y(page, "lifecycle: head home with the task")
    page.goto(link)
    page.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Submit response").click()
    expect(page.get_by_text("Your school's response has been submitted.")).to_be_visible()
    check_a11y(page, "lifecycle: response submitted")
    assert Response.objects.get().is_submitted
    assert len(mailoutbox) == 2  # the receipt
    page.goto("/")
    expect(page.locator("#home-consultations_to_answer")).not_to_contain_text("In-year")
    _sign_out(page)

    # 5. It closes; the officer publishes the response.
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    login_as(page, officer)
    page.goto("/")
    expect(page.locator("#home-consultations_to_run")).to_contain_text(
        "Publish the response: In-year admissions protocol"
    )
    page.get_by_role("link", name="Publish the response: In-year admissions protocol").click()
    page.get_by_label("We asked, you said, we did").fill(
        "We asked about a shared protocol. You said yes. We will start it in January."
    )
    check_a11y(page, "lifecycle: write the response")
    page.get_by_role("button", name="Publish the response").click()
    expect(page.get_by_text("is published to the schools consulted")).to_be_visible()
    expect(page.locator(".cons-steps li[aria-current]")).to_contain_text("Response published")
    check_a11y(page, "lifecycle: detail (response published)")
    published = mailoutbox[-1]
    assert published.to == [head.email]
    assert "We asked, you said, we did" in published.subject
    _sign_out(page)

    # 6. The school reads it.
    login_as(page, head)
    page.goto(f"/consultations/{consultation.pk}/")
    expect(page.get_by_role("heading", name="We asked, you said, we did")).to_be_visible()
    expect(page.get_by_text("We will start it in January.")).to_be_visible()
    check_a11y(page, "lifecycle: head reads the response")
    assert len(mailoutbox) == 3
