"""The consultation lifecycle: draft -> preview -> scheduled opening -> invitations ->
reminders -> close -> published response. Nothing is visible to schools before it opens;
questions stay editable until the first response."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultation import notifications, responding, selectors, services
from consultation.models import Audience, Consultation, SchoolEmailKind, Stage, State

from .conftest import full_answers, make_consultation
from .factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(school, other_school, officer):
    """A draft asking both schools, opening in two days, with one question."""
    now = timezone.now()
    consultation = services.consultation_create(
        created_by=officer,
        title="Admissions protocol",
        summary="A shared protocol for in-year admissions.",
        opens_at=now + dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=30),
        audience=Audience.SCHOOLS,
        audience_schools=[school, other_school],
    )
    QuestionFactory(consultation=consultation, position=1, text="Do you agree with the protocol?")
    return consultation


def test_a_new_consultation_is_a_draft_seen_by_officers_only(
    draft, officer, portal_admin, board_member, head, trust_user
):
    assert draft.stage == Stage.DRAFT and draft.state == State.DRAFT
    assert draft.lifecycle_label == "Draft"
    for user in (officer, portal_admin):
        assert draft in selectors.consultation_list(user=user)
    for user in (board_member, head, trust_user):
        assert draft not in selectors.consultation_list(user=user)


def test_a_draft_cannot_be_answered(draft, head):
    with pytest.raises(responding.ConsultationNotOpen):
        responding.response_save(
            consultation=draft,
            user=head,
            answers={draft.questions.get().pk: {"value": "Agree"}},
            now=draft.opens_at + dt.timedelta(hours=1),
        )


def test_scheduling_needs_a_question(officer, school):
    now = timezone.now()
    empty = services.consultation_create(
        created_by=officer,
        title="Empty",
        summary="No questions yet.",
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )
    with pytest.raises(ValidationError, match="at least one question"):
        services.consultation_schedule(consultation=empty, by=officer)
    empty.refresh_from_db()
    assert empty.stage == Stage.DRAFT


def test_scheduling_refuses_a_closing_time_in_the_past(draft, officer):
    with pytest.raises(ValidationError, match="has passed"):
        services.consultation_schedule(
            consultation=draft, by=officer, now=draft.closes_at + dt.timedelta(minutes=1)
        )


def test_scheduled_consultation_is_hidden_from_schools_until_it_opens_then_invites_once(
    draft,
    officer,
    head,
    school_colleague,
    other_head,
    board_member,
    trust_user,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://pep.example.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_schedule(consultation=draft, by=officer)
    draft.refresh_from_db()
    assert draft.stage == Stage.SCHEDULED and draft.scheduled_by == officer
    assert draft.state == State.NOT_YET_OPEN
    assert mailoutbox == []
    # Board members see it is coming; schools and trusts do not.
    assert draft in selectors.consultation_list(user=board_member)
    for user in (head, trust_user):
        assert draft not in selectors.consultation_list(user=user)
        assert not user.has_perm("consultation.view_consultation", draft)
    # Before it opens, the invitation run sends nothing.
    assert notifications.invitations_send(now=draft.opens_at - dt.timedelta(minutes=1)) == 0

    opened = draft.opens_at + dt.timedelta(minutes=3)
    assert notifications.invitations_send(now=opened) == 2
    assert notifications.invitations_send(now=opened + dt.timedelta(minutes=5)) == 0
    assert len(mailoutbox) == 2
    by_school = {tuple(sorted(m.to)): m for m in mailoutbox}
    harbour = by_school[tuple(sorted([head.email, school_colleague.email]))]
    assert (other_head.email,) in by_school
    assert "Admissions protocol" in harbour.subject
    assert "Harbour Primary School is asked to respond" in harbour.body
    url = "https://pep.example.gov.uk" + reverse("consultation:respond", args=[draft.pk])
    assert url in harbour.body
    draft.refresh_from_db()
    assert draft.invitations_sent_at == opened
    opened_emails = selectors.school_emails_sent(consultation=draft, kinds=[SchoolEmailKind.OPENED])
    assert opened_emails.count() == 2


def test_scheduling_after_the_opening_time_opens_and_invites_at_once(
    draft, officer, head, mailoutbox, django_capture_on_commit_callbacks
):
    draft.opens_at = timezone.now() - dt.timedelta(minutes=5)
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_schedule(consultation=draft, by=officer)
    draft.refresh_from_db()
    assert draft.state == State.OPEN
    assert draft.invitations_sent_at is not None
    # Only Harbour has someone to invite (other_school has no head in this test).
    assert [m.to for m in mailoutbox] == [[head.email]]
    assert head.has_perm("consultation.respond", draft)


def test_reading_the_list_invites_the_audience_of_a_consultation_that_has_opened(
    draft, officer, client, head, mailoutbox, django_capture_on_commit_callbacks
):
    """The on-read check, for when Celery beat is not running (the demo)."""
    services.consultation_schedule(consultation=draft, by=officer)
    Consultation.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("consultation:list"))
    assert draft.title in page.content.decode()
    assert [m.to for m in mailoutbox] == [[head.email]]
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("consultation:list"))
    assert len(mailoutbox) == 1


def test_back_to_draft_only_before_it_opens(draft, officer):
    services.consultation_schedule(consultation=draft, by=officer)
    services.consultation_unschedule(consultation=draft)
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFT and draft.scheduled_at is None
    services.consultation_schedule(consultation=draft, by=officer)
    with pytest.raises(ValidationError, match="cannot go back to draft"):
        services.consultation_unschedule(
            consultation=draft, now=draft.opens_at + dt.timedelta(seconds=1)
        )


def test_reminders_skip_drafts(school, head, mailoutbox):
    consultation = make_consultation("open", audience_schools=[school], stage=Stage.DRAFT)
    assert notifications.reminders_send(now=consultation.closes_at - dt.timedelta(hours=12)) == 0
    assert mailoutbox == []


def test_questions_stay_editable_after_opening_until_the_first_response(school, head):
    consultation = make_consultation("open", audience_schools=[school])
    scale = consultation.q["scale"]
    services.question_update(
        question=scale, kind=scale.kind, text="Do you agree with the new vision?", mandatory=True
    )
    services.question_create(
        consultation=consultation, kind="yes_no", text="Will you attend the launch?"
    )
    responding.response_save(
        consultation=consultation, user=head, answers=full_answers(consultation.q)
    )
    with pytest.raises(services.QuestionLocked):
        services.question_update(question=scale, kind=scale.kind, text="Something else?")
    with pytest.raises(services.QuestionLocked):
        services.question_create(consultation=consultation, kind="yes_no", text="Late question?")


def test_published_response_is_emailed_to_the_schools_once_and_shown_to_them(
    school, other_school, head, other_head, client, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = make_consultation("closed", audience_schools=[school, other_school])
    client.force_login(head)
    page = client.get(reverse("consultation:detail", args=[consultation.pk])).content.decode()
    assert "We asked, you said, we did" not in page
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_publish(consultation=consultation, feedback="We set up networks.")
    assert len(mailoutbox) == 2
    assert all("We asked, you said, we did" in m.subject for m in mailoutbox)
    assert any(
        reverse("consultation:detail", args=[consultation.pk]) + "#feedback" in m.body
        for m in mailoutbox
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_publish(consultation=consultation, feedback="We set up two networks.")
    assert len(mailoutbox) == 2  # editing the published response emails nobody again
    page = client.get(reverse("consultation:detail", args=[consultation.pk])).content.decode()
    assert "We asked, you said, we did" in page and "two networks" in page
    consultation.refresh_from_db()
    assert consultation.lifecycle_label == "Closed, response published"


def test_the_migration_keeps_existing_consultations_meaning(school):
    """Consultations made before the lifecycle went live on save: they become scheduled, and
    those already open count as having invited their audience."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("consultation.migrations.0002_lifecycle")
    old_open = make_consultation("open", audience_schools=[school])
    old_closed = make_consultation("closed", audience_schools=[school])
    old_future = make_consultation("not_yet_open", audience_schools=[school])
    Consultation.objects.update(stage=Stage.DRAFT, scheduled_at=None, invitations_sent_at=None)
    migration.existing_keep_their_meaning(apps, None)
    for c in (old_open, old_closed, old_future):
        c.refresh_from_db()
        assert c.stage == Stage.SCHEDULED and c.scheduled_at == c.created_at
    assert old_open.state == State.OPEN and old_open.invitations_sent_at == old_open.opens_at
    assert old_closed.state == State.CLOSED and old_closed.invitations_sent_at is not None
    assert old_future.state == State.NOT_YET_OPEN and old_future.invitations_sent_at is None


def test_officer_previews_a_draft_as_a_head_would_see_it(draft, client, officer):
    client.force_login(officer)
    page = client.get(reverse("consultation:preview", args=[draft.pk])).content.decode()
    assert "Preview" in page and "It is a draft" in page
    assert "Do you agree with the protocol?" in page
    assert "Strongly agree" in page
    assert "disabled" in page


def test_detail_page_walks_the_officer_through_the_lifecycle(draft, client, officer):
    client.force_login(officer)
    url = reverse("consultation:detail", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Lifecycle" in page and "Schedule to open" in page
    response = client.post(reverse("consultation:schedule", args=[draft.pk]), follow=True)
    page = response.content.decode()
    assert "Scheduled. It opens by itself" in page
    assert "Back to draft" in page


def test_schools_added_to_an_open_consultation_are_invited_and_no_school_twice(
    school, other_school, head, other_head, officer, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = make_consultation("open", audience_schools=[school])
    assert notifications.invitations_send() == 1
    assert [m.to for m in mailoutbox] == [[head.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_update(
            consultation=consultation,
            title=consultation.title,
            summary=consultation.summary,
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
            audience=Audience.SCHOOLS,
            audience_schools=[school, other_school],
        )
    assert [m.to for m in mailoutbox] == [[head.email], [other_head.email]]
    consultation.refresh_from_db()
    assert consultation.invitations_sent_at is not None
