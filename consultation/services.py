"""Writes for consultations: the consultation itself, its lifecycle, attachments, questions
and the analysts' tags, notes and candidates. Every rule that matters is enforced here, not
only in forms:

- once any school has responded, a question's meaning (kind, text, choices) is locked;
- a consultation is made as a draft, seen only by officers, until an officer schedules it
  (it needs a question); it opens by itself at ``opens_at``, and its audience is invited by
  email once, when it opens (``notifications.invitations_send``).

Schools' answers are saved by ``responding.py``; the emails are sent by ``notifications.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Required, TypedDict, Unpack

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import get_valid_filename

from pep_portal.accounts.models import User
from pep_portal.platform.private_files import private_file_save
from pep_portal.platform.uploads import check_upload
from pep_portal.platform.validated import save_validated
from schools.models import School, Trust

from .models import (
    Answer,
    AnswerNote,
    Attachment,
    Audience,
    Candidate,
    Consultation,
    Question,
    Response,
    Stage,
    State,
    Tag,
)
from .notifications import invitations_task_delay, local_time

# --- Errors the pages show as they are ------------------------------------------------------


class QuestionLocked(ValidationError):
    """A question's meaning cannot change once a school has responded."""


# --- Rich text ------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "ul", "ol", "li",
    "a", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "caption", "sup", "sub",
    "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan"}, "td": {"colspan"}}


def sanitise_document(text: str) -> str:
    """Officer-written rich text -> HTML safe to show: a small allowlist (nh3/ammonia).

    Plain text (no tags) becomes paragraphs, so officers can paste from a document.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if "<" not in text:
        text = linebreaks(text, autoescape=True)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


# --- Consultations --------------------------------------------------------------------------


def _set_audience(
    consultation: Consultation,
    audience_schools: Iterable[School],
    audience_trusts: Iterable[Trust],
) -> None:
    if consultation.audience == Audience.SCHOOLS:
        if not audience_schools:
            raise ValidationError({"audience_schools": "Choose at least one school."})
        consultation.audience_schools.set(audience_schools)
    else:
        consultation.audience_schools.clear()
    if consultation.audience == Audience.TRUSTS:
        if not audience_trusts:
            raise ValidationError({"audience_trusts": "Choose at least one trust."})
        consultation.audience_trusts.set(audience_trusts)
    else:
        consultation.audience_trusts.clear()


class ConsultationFields(TypedDict, total=False):
    """What officers write about a consultation (its lifecycle aside)."""

    title: Required[str]
    summary: Required[str]
    document: str
    opens_at: Required[dt.datetime]
    closes_at: Required[dt.datetime]
    audience: str
    audience_phase: str
    audience_schools: Iterable[School]
    audience_trusts: Iterable[Trust]


def _consultation_fields(fields: ConsultationFields) -> dict[str, Any]:
    """The consultation's own fields as written: trimmed, the document made safe."""
    return {
        "title": fields["title"].strip(),
        "summary": fields["summary"].strip(),
        "document_html": sanitise_document(fields.get("document", "")),
        "opens_at": fields["opens_at"],
        "closes_at": fields["closes_at"],
        "audience": fields.get("audience", Audience.ALL),
        "audience_phase": fields.get("audience_phase") or "",
    }


def _set_audience_from(consultation: Consultation, fields: ConsultationFields) -> None:
    _set_audience(
        consultation,
        list(fields.get("audience_schools", ())),
        list(fields.get("audience_trusts", ())),
    )


@transaction.atomic
def consultation_create(
    *, created_by: User | None, **fields: Unpack[ConsultationFields]
) -> Consultation:
    consultation = Consultation(created_by=created_by, **_consultation_fields(fields))
    consultation.full_clean()
    consultation.save()
    _set_audience_from(consultation, fields)
    return consultation


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, **fields: Unpack[ConsultationFields]
) -> Consultation:
    written = _consultation_fields(fields)
    for name, value in written.items():
        setattr(consultation, name, value)
    consultation.full_clean()
    # Only what the form edits: the lifecycle fields (stage, invitations) are the lifecycle
    # services' to change, whatever an edit page opened earlier held.
    consultation.save(update_fields=[*written, "updated_at"])
    _set_audience_from(consultation, fields)
    if consultation.state == State.OPEN and (
        Consultation.objects.filter(pk=consultation.pk, invitations_sent_at__isnull=False).update(
            invitations_sent_at=None
        )
    ):
        # The audience may have grown: the next invitation run invites the schools not yet
        # invited (each school still once), then marks it sent again.
        consultation.invitations_sent_at = None
        transaction.on_commit(invitations_task_delay)
    return consultation


@transaction.atomic
def feedback_publish(
    *, consultation: Consultation, feedback: str, now: dt.datetime | None = None
) -> Consultation:
    """Publish (or update) the "you said, we did" summary; only once the consultation closed."""
    now = now or timezone.now()
    if consultation.state_at(now) != State.CLOSED:
        raise ValidationError(
            f"Feedback can be published once the consultation closes ({local_time(consultation.closes_at)})."
        )
    html = sanitise_document(feedback)
    if not html:
        raise ValidationError({"feedback": "Write the summary before publishing it."})
    first = consultation.feedback_published_at is None
    consultation.feedback_html = html
    consultation.feedback_published_at = consultation.feedback_published_at or now
    consultation.full_clean()
    consultation.save(update_fields=["feedback_html", "feedback_published_at", "updated_at"])
    if first:
        from .tasks import response_published_send_task

        consultation_id = consultation.pk
        transaction.on_commit(lambda: response_published_send_task.delay(consultation_id))
    return consultation


# --- The lifecycle: schedule, open (invite), back to draft ----------------------------------


@transaction.atomic
def consultation_schedule(
    *, consultation: Consultation, by: User, now: dt.datetime | None = None
) -> Consultation:
    """Take a draft out of draft: it opens by itself at ``opens_at`` (at once, if that has
    passed) and its audience is invited then. It needs at least one question and a closing
    time still ahead."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.stage != Stage.DRAFT:
        raise ValidationError("This consultation is already scheduled.")
    errors = []
    if not consultation.questions.exists():
        errors.append("Add at least one question before scheduling the consultation.")
    if consultation.closes_at <= now:
        errors.append(
            f"The closing time ({local_time(consultation.closes_at)}) has passed: set a later one first."
        )
    if not audience_count(consultation):
        errors.append("The audience has no open schools: choose who to consult first.")
    if errors:
        raise ValidationError(errors)
    consultation.stage = Stage.SCHEDULED
    consultation.scheduled_at = now
    consultation.scheduled_by = by
    consultation.full_clean()
    consultation.save(update_fields=["stage", "scheduled_at", "scheduled_by", "updated_at"])
    if consultation.opens_at <= now:
        transaction.on_commit(invitations_task_delay)
    return consultation


@transaction.atomic
def consultation_unschedule(
    *, consultation: Consultation, now: dt.datetime | None = None
) -> Consultation:
    """Back to draft, while it has not opened yet (schools never saw it)."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.stage == Stage.DRAFT:
        return consultation
    if consultation.opens_at <= now or consultation.invitations_sent_at:
        raise ValidationError(
            "This consultation has opened and schools have been invited: it cannot go back "
            "to draft. Change its closing time instead."
        )
    consultation.stage = Stage.DRAFT
    consultation.scheduled_at = None
    consultation.scheduled_by = None
    consultation.save(update_fields=["stage", "scheduled_at", "scheduled_by", "updated_at"])
    return consultation


def audience_count(consultation: Consultation) -> int:
    from .selectors import audience_school_list

    return audience_school_list(consultation=consultation).count()


# --- Attachments ----------------------------------------------------------------------------


def attachment_max_bytes() -> int:
    return int(getattr(settings, "CONSULTATION_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


@transaction.atomic
def attachment_add(
    *, consultation: Consultation, uploaded_file: UploadedFile, title: str = "", user: User | None
) -> Attachment:
    """Store a file for the consultation document, after checking it (pep_portal.platform.uploads)."""
    try:
        checked = check_upload(uploaded_file, max_bytes=attachment_max_bytes())
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    attachment = Attachment(consultation=consultation, title=(title or "").strip()[:200])
    return private_file_save(
        attachment, checked, uploaded_by=user, stored_name=get_valid_filename(checked.name)
    )


@transaction.atomic
def attachment_delete(*, attachment: Attachment) -> None:
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))


# --- Questions ------------------------------------------------------------------------------


def _has_responses(consultation: Consultation) -> bool:
    return Response.objects.filter(consultation=consultation).exists()


class QuestionFields(TypedDict, total=False):
    """What officers write about a question (its consultation and position aside)."""

    kind: Required[str]
    text: Required[str]
    help_text: str
    choices: Iterable[str]
    allow_comment: bool
    comment_label: str
    max_length: int
    mandatory: bool


def _question_fields(fields: QuestionFields) -> dict[str, Any]:
    """The question's fields as written, trimmed, with the defaults for those left out."""
    return {
        "kind": fields["kind"],
        "text": (fields["text"] or "").strip(),
        "help_text": (fields.get("help_text") or "").strip(),
        "choices": list(fields.get("choices", ())),
        "allow_comment": fields.get("allow_comment", False),
        "comment_label": (fields.get("comment_label") or "").strip(),
        "max_length": fields.get("max_length", 2000),
        "mandatory": fields.get("mandatory", False),
    }


@transaction.atomic
def question_create(
    *,
    consultation: Consultation,
    position: int | None = None,
    **fields: Unpack[QuestionFields],
) -> Question:
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    if _has_responses(consultation):
        raise QuestionLocked(
            "Schools have already responded: adding a question now would mean some schools "
            "never saw it. Create a new consultation instead."
        )
    if position is None:
        last = consultation.questions.order_by("-position").first()
        position = (last.position + 1) if last else 1
    question = Question(
        consultation=consultation,
        position=position,
        **_question_fields(fields),
    )
    return save_validated(question)


@transaction.atomic
def question_update(
    *,
    question: Question,
    position: int | None = None,
    **fields: Unpack[QuestionFields],
) -> Question:
    """Change a question. Once a school has responded, its kind, text and choices are locked
    (wording of help, the comment label, order and a longer length limit may still change)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = question.meaning()
    old_max = question.max_length
    for name, value in _question_fields(fields).items():
        setattr(question, name, value)
    if position is not None:
        question.position = position
    question.full_clean()
    if _has_responses(question.consultation):
        if question.meaning() != before:
            raise QuestionLocked(
                "Schools have already responded to this consultation, so this question's kind, "
                "wording and choices can no longer change (their answers would then mean "
                "something else). You can still change the help text, the order, and whether "
                "a comment is offered."
            )
        if question.max_length < old_max:
            raise QuestionLocked(
                "Schools have already responded: the length limit can be raised, not lowered."
            )
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    if _has_responses(question.consultation):
        raise QuestionLocked("Schools have already responded: questions can no longer be removed.")
    question.delete()


# --- Analysis: tags, notes, candidates ------------------------------------------------------


@transaction.atomic
def answer_tags_set(*, answer: Answer, names: Iterable[str]) -> list[Tag]:
    """Set an answer's analyst tags (new tag names are created for the consultation)."""
    consultation = answer.response.consultation
    tags = []
    for raw in names:
        name = " ".join(str(raw).split())[:60].lower()
        if not name:
            continue
        tag, _ = Tag.objects.get_or_create(consultation=consultation, name=name)
        tags.append(tag)
    answer.tags.set(tags)
    return tags


@transaction.atomic
def answer_note_add(*, answer: Answer, text: str, author: User) -> AnswerNote:
    note = AnswerNote(answer=answer, text=(text or "").strip(), author=author)
    return save_validated(note)


@transaction.atomic
def candidates_record(*, question: Question, board_name: str, user: User) -> int:
    """Record every school that said (in a submitted response) it would join this board as a
    membership candidate. Returns how many were newly recorded; repeating it adds none."""
    if question.kind != Question.Kind.INTEREST:
        raise ValidationError("Only an “interest in joining” question lists boards.")
    if board_name not in question.options:
        raise ValidationError(f"“{board_name}” is not one of this question's boards.")
    made = 0
    answers = Answer.objects.filter(
        question=question, response__status=Response.Status.SUBMITTED
    ).select_related("response")
    for answer in answers:
        if isinstance(answer.value, list) and board_name in answer.value:
            _, created = Candidate.objects.get_or_create(
                question=question,
                school_id=answer.response.school_id,
                board_name=board_name,
                defaults={"consultation_id": question.consultation_id, "recorded_by": user},
            )
            made += int(created)
    return made
