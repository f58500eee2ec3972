import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from consultation import responding, services
from consultation.models import Answer, Question, Response
from tests.conftest import require_service

from .conftest import full_answers, make_consultation

pytestmark = pytest.mark.django_db


def _save(consultation, user, answers, *, submit=False, now=None):
    return responding.response_save(
        consultation=consultation, user=user, answers=answers, submit=submit, now=now
    )


# --- Drafts, submission, mandatory questions ------------------------------------------------


def test_head_saves_a_draft_without_mandatory_answers(consultation, head):
    q = consultation.q
    response = _save(consultation, head, {q["free_text"].pk: {"value": "First thoughts"}})
    assert response.status == Response.Status.DRAFT
    assert response.answers.get(question=q["free_text"]).value == "First thoughts"


def test_submit_refuses_missing_mandatory_answers_and_writes_nothing(consultation, head):
    q = consultation.q
    answers = full_answers(q)
    del answers[q["scale"].pk]
    with pytest.raises(ValidationError) as excinfo:
        _save(consultation, head, answers, submit=True)
    assert "Q1 must be answered before submitting." in excinfo.value.messages
    assert not Response.objects.filter(consultation=consultation).exists()


def test_mandatory_multiple_choice_needs_a_tick_but_interest_may_be_none(consultation, head):
    q = consultation.q
    q["multiple"].mandatory = True
    q["multiple"].save()
    with pytest.raises(ValidationError, match="Q4 must be answered"):
        _save(consultation, head, full_answers(q, multiple={"value": []}), submit=True)
    response = _save(consultation, head, full_answers(q, interest={"value": []}), submit=True)
    assert response.is_submitted
    assert response.answers.get(question=q["interest"]).value == []


def test_colleagues_build_one_response_together(consultation, head, school_colleague):
    q = consultation.q
    _save(consultation, head, {q["scale"].pk: {"value": "Agree", "comment": "Yes."}})
    _save(consultation, school_colleague, {q["free_text"].pk: {"value": "From the deputy"}})
    response = Response.objects.get(consultation=consultation, school=head.school)
    assert response.answers.get(question=q["scale"]).value == "Agree"
    assert response.answers.get(question=q["free_text"]).updated_by == school_colleague
    assert response.updated_by == school_colleague


def test_submit_then_edit_and_resubmit(consultation, head, school_colleague):
    q = consultation.q
    first = _save(consultation, head, full_answers(q), submit=True)
    assert first.is_submitted and first.submission_count == 1
    again = _save(
        consultation,
        school_colleague,
        full_answers(q, scale={"value": "Disagree", "comment": "Changed our mind."}),
        submit=True,
    )
    assert again.pk == first.pk
    assert again.submission_count == 2
    assert again.submitted_by == school_colleague
    assert again.answers.get(question=q["scale"]).value == "Disagree"


def test_a_submitted_response_changes_only_by_resubmitting(consultation, head):
    q = consultation.q
    _save(consultation, head, full_answers(q), submit=True)
    with pytest.raises(ValidationError, match="already been submitted"):
        _save(consultation, head, full_answers(q, scale={"value": "Disagree"}))
    assert Answer.objects.get(question=q["scale"]).value == "Agree"


def test_answers_outside_the_choices_or_too_long_are_refused(consultation, head):
    q = consultation.q
    with pytest.raises(ValidationError, match="not one of the choices"):
        _save(consultation, head, {q["single"].pk: {"value": "The mayor"}})
    with pytest.raises(ValidationError, match="201 characters; the limit is 200"):
        _save(consultation, head, {q["free_text"].pk: {"value": "x" * 201}})
    assert not Response.objects.exists()


def test_school_outside_the_audience_cannot_respond(consultation, other_head):
    with pytest.raises(ValidationError, match="not among the schools"):
        _save(consultation, other_head, full_answers(consultation.q))


def test_officer_cannot_respond(consultation, officer):
    with pytest.raises(ValidationError, match="Only a headteacher"):
        _save(consultation, officer, full_answers(consultation.q))


# --- Closing time, enforced by the server --------------------------------------------------


def test_submit_one_second_before_closing_is_accepted(consultation, head):
    just_before = consultation.closes_at - dt.timedelta(seconds=1)
    response = _save(consultation, head, full_answers(consultation.q), submit=True, now=just_before)
    assert response.is_submitted
    assert response.submitted_at == just_before


def test_submit_one_second_after_closing_is_refused_and_the_draft_kept(consultation, head):
    q = consultation.q
    _save(consultation, head, {q["scale"].pk: {"value": "Agree", "comment": "Draft comment"}})
    late = consultation.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(responding.ConsultationNotOpen) as excinfo:
        _save(
            consultation,
            head,
            full_answers(q, scale={"value": "Disagree", "comment": "Late"}),
            submit=True,
            now=late,
        )
    message = excinfo.value.messages[0]
    assert "closed at" in message and "draft is kept" in message
    response = Response.objects.get(consultation=consultation, school=head.school)
    assert response.status == Response.Status.DRAFT
    assert response.answers.get(question=q["scale"]).comment == "Draft comment"
    assert response.answers.count() == 1


def test_submit_at_exactly_the_closing_time_is_refused(consultation, head):
    with pytest.raises(responding.ConsultationNotOpen):
        _save(
            consultation,
            head,
            full_answers(consultation.q),
            submit=True,
            now=consultation.closes_at,
        )


def test_no_answers_before_opening(school, head):
    consultation = make_consultation("not_yet_open", audience_schools=[school])
    with pytest.raises(responding.ConsultationNotOpen, match="opens at"):
        _save(consultation, head, full_answers(consultation.q))
    assert not Response.objects.exists()


# --- One response per school ---------------------------------------------------------------


def test_database_refuses_a_second_response_for_a_school(consultation, school):
    Response.objects.create(consultation=consultation, school=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(consultation=consultation, school=school)


def test_concurrent_first_saves_share_one_response(
    consultation, head, school_colleague, monkeypatch
):
    """The second first-save did not see the first's row (it was not committed yet when it
    looked), tries to insert, hits the unique constraint and takes the existing row."""
    q = consultation.q
    _save(consultation, head, {q["scale"].pk: {"value": "Agree"}})
    monkeypatch.setattr(responding, "_existing_response", lambda consultation, school: None)
    response = _save(consultation, school_colleague, {q["yes_no"].pk: {"value": "No"}})
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert {a.question_id for a in response.answers.all()} == {q["scale"].pk, q["yes_no"].pk}


@pytest.mark.django_db(transaction=True)
def test_two_threads_submitting_first_make_one_response(
    consultation, head, school_colleague, monkeypatch
):
    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "SQLite serialises all writers"
    )
    q = consultation.q
    barrier = threading.Barrier(2, timeout=10)
    original = responding._existing_response

    def racing_lookup(consultation, school):
        found = original(consultation, school)
        barrier.wait()  # both threads have looked (and found nothing) before either inserts
        return found

    monkeypatch.setattr(responding, "_existing_response", racing_lookup)
    results, errors = [], []

    def submit(user, answers):
        try:
            results.append(_save(consultation, user, answers, submit=True).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(head, full_answers(q))),
        threading.Thread(
            target=submit, args=(school_colleague, full_answers(q, yes_no={"value": "No"}))
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    response = Response.objects.get(consultation=consultation)
    assert response.submission_count == 2


# --- Question locking ----------------------------------------------------------------------


def _update_kwargs(question, **changes):
    data = {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "choices": question.choices,
        "allow_comment": question.allow_comment,
        "comment_label": question.comment_label,
        "max_length": question.max_length,
        "mandatory": question.mandatory,
    }
    data.update(changes)
    return data


def test_questions_change_freely_before_any_response(consultation):
    single = consultation.q["single"]
    services.question_update(
        question=single, **_update_kwargs(single, choices=["A head", "A chair", "Rotating"])
    )
    single.refresh_from_db()
    assert single.choices == ["A head", "A chair", "Rotating"]


@pytest.mark.parametrize(
    "change",
    [
        {"text": "Do you agree with the mission?"},
        {"kind": Question.Kind.YES_NO, "choices": []},
        {"choices": ["A headteacher", "The council"]},
    ],
    ids=["text", "kind", "choices"],
)
def test_question_meaning_is_locked_once_a_school_responded(consultation, head, change):
    question = consultation.q["single"]
    _save(consultation, head, {question.pk: {"value": "A headteacher"}})
    with pytest.raises(services.QuestionLocked):
        services.question_update(question=question, **_update_kwargs(question, **change))
    question.refresh_from_db()
    assert question.text == "Who should chair the Strategic Board?"
    assert question.kind == Question.Kind.SINGLE
    assert question.choices == ["A headteacher", "An independent chair"]


def test_help_text_can_still_change_after_responses(consultation, head):
    question = consultation.q["single"]
    _save(consultation, head, {question.pk: {"value": "A headteacher"}})
    services.question_update(question=question, **_update_kwargs(question, help_text="Pick one."))
    question.refresh_from_db()
    assert question.help_text == "Pick one."


def test_questions_cannot_be_added_or_removed_once_a_school_responded(consultation, head):
    _save(consultation, head, {consultation.q["yes_no"].pk: {"value": "Yes"}})
    with pytest.raises(services.QuestionLocked):
        services.question_delete(question=consultation.q["yes_no"])
    with pytest.raises(services.QuestionLocked):
        services.question_create(consultation=consultation, kind="yes_no", text="New?")
    assert consultation.questions.count() == 6


def test_interest_question_needs_boards(consultation):
    with pytest.raises(ValidationError, match="boards or groups"):
        services.question_create(
            consultation=make_consultation("not_yet_open"), kind="interest", text="Join?"
        )


# --- Email receipt -------------------------------------------------------------------------


def test_each_submission_emails_a_receipt_with_the_answers(
    consultation, head, school_colleague, mailoutbox, django_capture_on_commit_callbacks
):
    q = consultation.q
    with django_capture_on_commit_callbacks(execute=True):
        _save(consultation, school_colleague, full_answers(q), submit=True)
    assert len(mailoutbox) == 1
    receipt = mailoutbox[0]
    assert receipt.to == [school_colleague.email]
    assert receipt.cc == [head.email]  # the head hears when a colleague submits
    assert "Harbour Primary School" in receipt.subject
    assert "Q1. Do you agree with the vision?" in receipt.body
    assert "Answer: Agree" in receipt.body
    assert "Please keep the focus on disadvantaged pupils." in receipt.body
    assert "Answer: Recruitment; Inclusion" in receipt.body

    with django_capture_on_commit_callbacks(execute=True):
        _save(consultation, head, full_answers(q, yes_no={"value": "No"}), submit=True)
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == [head.email]
    assert "submission 2" in mailoutbox[1].body
    assert "Q2. Can you contribute?\nAnswer: No" in mailoutbox[1].body


def test_saving_a_draft_sends_no_email(
    consultation, head, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _save(consultation, head, full_answers(consultation.q))
    assert mailoutbox == []


# --- Rich text and files -------------------------------------------------------------------


def test_document_html_is_sanitised():
    html = services.sanitise_document(
        '<h2>Vision</h2><p onclick="x()">Hi <script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a> <a href="https://example.org">ok</a></p>'
    )
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert "<h2>Vision</h2>" in html
    assert 'href="https://example.org"' in html


def test_plain_text_document_becomes_paragraphs():
    assert (
        services.sanitise_document("One\n\nTwo & three") == "<p>One</p>\n\n<p>Two &amp; three</p>"
    )


def test_feedback_is_published_only_after_closing(consultation, school):
    with pytest.raises(ValidationError, match="once the consultation closes"):
        services.feedback_publish(consultation=consultation, feedback="We listened.")
    closed = make_consultation("closed", audience_schools=[school])
    services.feedback_publish(consultation=closed, feedback="You said X; we did Y.")
    closed.refresh_from_db()
    assert closed.feedback_published_at is not None
    assert closed.feedback_html == "<p>You said X; we did Y.</p>"
