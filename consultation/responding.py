"""Schools' answers to a consultation: saved as a draft or submitted.

- a school has one response per consultation (a database constraint; a concurrent first
  submission finds the other's row instead of failing);
- answers change only while the consultation is open, judged by the server's clock at the
  moment of saving (``now``), whatever the page showed;
- mandatory questions are required when submitting, not when saving a draft.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pep_portal.accounts.models import User
from pep_portal.accounts.roles import is_school_staff
from schools.models import School

from .models import (
    Answer,
    Consultation,
    Question,
    Response,
    State,
)
from .notifications import local_time


class ConsultationNotOpen(ValidationError):
    """Answers were sent before opening or after closing: nothing was changed."""


def clean_answer(question: Question, value: Any, comment: str = "") -> tuple[object, str]:
    """Check one answer against its question; returns the stored (value, comment)."""
    comment = (comment or "").strip()
    if comment and not question.allow_comment:
        comment = ""
    if len(comment) > question.max_length:
        raise ValidationError(
            f"Q{question.position}: the comment is {len(comment)} characters; "
            f"the limit is {question.max_length}."
        )
    if question.is_list_kind:
        if value in (None, ""):
            value = []
        if not isinstance(value, list | tuple):
            value = [value]
        value = [str(v) for v in value]
        unknown = [v for v in value if v not in question.options]
        if unknown:
            raise ValidationError(
                f"Q{question.position}: “{unknown[0]}” is not one of the choices."
            )
        # Keep the question's order, drop repeats.
        return [opt for opt in question.options if opt in value], comment
    value = "" if value is None else str(value).strip()
    if question.kind == Question.Kind.FREE_TEXT:
        if len(value) > question.max_length:
            raise ValidationError(
                f"Q{question.position}: the answer is {len(value)} characters; "
                f"the limit is {question.max_length}."
            )
        return value, ""
    if value and value not in question.options:
        raise ValidationError(f"Q{question.position}: “{value}” is not one of the choices.")
    return value, comment


def _is_answered(question: Question, value: Any, touched: bool) -> bool:
    if question.kind == Question.Kind.INTEREST:
        # Ticking no board is an answer ("not at present") once the school has saved it.
        return touched and isinstance(value, list)
    return bool(value)


def _existing_response(consultation: Consultation, school: School) -> Response | None:
    return Response.objects.filter(consultation=consultation, school=school).first()


def _response_get_or_create(consultation: Consultation, school: School, user: User) -> Response:
    """The school's one response, created if need be.

    Two colleagues' first saves may race: both see no row, both insert, and the database's
    unique constraint refuses the second. That one then takes the row the first made.
    """
    response = _existing_response(consultation, school)
    if response is None:
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=consultation, school=school, created_by=user, updated_by=user
                )
        except IntegrityError:
            response = Response.objects.get(consultation=consultation, school=school)
    # Serialise the colleagues of one school (a row lock on PostgreSQL).
    return Response.objects.select_for_update().get(pk=response.pk)


@transaction.atomic
def response_save(
    *,
    consultation: Consultation,
    user: User,
    answers: dict[int, dict[str, Any]],
    submit: bool = False,
    now: dt.datetime | None = None,
) -> Response:
    """Save the user's school's answers as a draft, or submit them.

    ``answers`` maps question id -> {"value": ..., "comment": ...}; questions left out keep
    their saved answer. Nothing is written when anything is refused.
    """
    from .selectors import audience_school_list

    now = now or timezone.now()
    school = user.school
    if not is_school_staff(user) or school is None:
        raise ValidationError("Only a headteacher or a colleague they delegate to can respond.")
    if not audience_school_list(consultation=consultation).filter(pk=school.pk).exists():
        raise ValidationError(f"{school.name} is not among the schools this consultation asks.")
    state = consultation.state_at(now)
    if state == State.DRAFT:
        raise ConsultationNotOpen("This consultation is not open: answers cannot be saved.")
    if state == State.NOT_YET_OPEN:
        raise ConsultationNotOpen(
            f"This consultation opens at {local_time(consultation.opens_at)}: answers cannot be "
            "saved before then."
        )
    if state == State.CLOSED:
        existing = _existing_response(consultation, school)
        kept = ""
        if existing is not None:
            kept = (
                " Your school's submitted response stands."
                if existing.is_submitted
                else " Your saved draft is kept, but it was not submitted."
            )
        raise ConsultationNotOpen(
            f"This consultation closed at {local_time(consultation.closes_at)}, so it no longer "
            f"accepts answers.{kept}"
        )

    questions = {q.pk: q for q in consultation.questions.all()}
    cleaned: dict[int, tuple[object, str]] = {}
    errors: list[str] = []
    for question_id, answer in answers.items():
        question = questions.get(int(question_id))
        if question is None:
            errors.append(f"Question {question_id} is not part of this consultation.")
            continue
        try:
            cleaned[question.pk] = clean_answer(
                question, answer.get("value"), answer.get("comment", "")
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    response = _response_get_or_create(consultation, school, user)
    if response.is_submitted and not submit:
        raise ValidationError(
            "Your school's response has already been submitted. To change it, make your "
            "changes and resubmit: the submitted answers stay as they are until then."
        )
    saved = {a.question_id: a for a in response.answers.all()}

    if submit:
        missing = []
        for question in sorted(questions.values(), key=lambda q: (q.position, q.pk)):
            if not question.mandatory:
                continue
            if question.pk in cleaned:
                value, touched = cleaned[question.pk][0], True
            elif question.pk in saved:
                value, touched = saved[question.pk].value, True
            else:
                value, touched = None, False
            if not _is_answered(question, value, touched):
                missing.append(f"Q{question.position} must be answered before submitting.")
        if missing:
            raise ValidationError(missing)

    for question_id, (value, comment) in cleaned.items():
        stored = saved.get(question_id) or Answer(response=response, question_id=question_id)
        if stored.pk and stored.value == value and stored.comment == comment:
            continue
        stored.value = value
        stored.comment = comment
        stored.updated_by = user
        stored.full_clean(exclude=["response", "question"])
        stored.save()

    response.updated_by = user
    if submit:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = now
        response.submitted_by = user
        response.submission_count += 1
    response.full_clean()
    response.save()
    if submit:
        from .tasks import response_receipt_send_task

        response_id, user_id = response.pk, user.pk
        transaction.on_commit(lambda: response_receipt_send_task.delay(response_id, user_id))
    return response
