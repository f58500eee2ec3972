"""Writes for consultations. Every rule that matters is enforced here, not only in forms:

- a school has one response per consultation (a database constraint; a concurrent first
  submission finds the other's row instead of failing);
- answers change only while the consultation is open, judged by the server's clock at the
  moment of saving (``now``), whatever the page showed;
- mandatory questions are required when submitting, not when saving a draft;
- once any school has responded, a question's meaning (kind, text, choices) is locked;
- a consultation is made as a draft, seen only by officers, until an officer schedules it
  (it needs a question); it opens by itself at ``opens_at``, and its audience is invited by
  email once, when it opens (``invitations_send``, run by Celery beat every few minutes and
  nudged whenever a consultation page is read); the published response is emailed too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import linebreaks
from django.utils.text import get_valid_filename

from pep_portal.accounts.models import Role, User
from pep_portal.accounts.roles import is_school_staff
from pep_portal.platform.site import absolute_url
from pep_portal.platform.uploads import check_upload
from schools.models import School, Trust

from .models import (
    Answer,
    AnswerNote,
    Attachment,
    Audience,
    Candidate,
    Consultation,
    Question,
    ReminderLog,
    Response,
    Stage,
    State,
    Tag,
)

# --- Errors the pages show as they are ------------------------------------------------------


class ConsultationNotOpen(ValidationError):
    """Answers were sent before opening or after closing: nothing was changed."""


class QuestionLocked(ValidationError):
    """A question's meaning cannot change once a school has responded."""


def _local(when: dt.datetime) -> str:
    return date_format(timezone.localtime(when), "H:i \\o\\n l j F Y")


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


@transaction.atomic
def consultation_create(
    *,
    created_by: User | None,
    title: str,
    summary: str,
    document: str = "",
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    audience: str = Audience.ALL,
    audience_phase: str = "",
    audience_schools: Iterable[School] = (),
    audience_trusts: Iterable[Trust] = (),
) -> Consultation:
    consultation = Consultation(
        title=title.strip(),
        summary=summary.strip(),
        document_html=sanitise_document(document),
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience,
        audience_phase=audience_phase or "",
        created_by=created_by,
    )
    consultation.full_clean()
    consultation.save()
    _set_audience(consultation, list(audience_schools), list(audience_trusts))
    return consultation


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    title: str,
    summary: str,
    document: str = "",
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    audience: str = Audience.ALL,
    audience_phase: str = "",
    audience_schools: Iterable[School] = (),
    audience_trusts: Iterable[Trust] = (),
) -> Consultation:
    consultation.title = title.strip()
    consultation.summary = summary.strip()
    consultation.document_html = sanitise_document(document)
    consultation.opens_at = opens_at
    consultation.closes_at = closes_at
    consultation.audience = audience
    consultation.audience_phase = audience_phase or ""
    consultation.full_clean()
    # Only what the form edits: the lifecycle fields (stage, invitations) are the lifecycle
    # services' to change, whatever an edit page opened earlier held.
    consultation.save(
        update_fields=[
            "title", "summary", "document_html", "opens_at", "closes_at", "audience",
            "audience_phase", "updated_at",
        ]
    )  # fmt: skip
    _set_audience(consultation, list(audience_schools), list(audience_trusts))
    if consultation.state == State.OPEN and (
        Consultation.objects.filter(pk=consultation.pk, invitations_sent_at__isnull=False).update(
            invitations_sent_at=None
        )
    ):
        # The audience may have grown: the next invitation run invites the schools not yet
        # invited (each school still once), then marks it sent again.
        consultation.invitations_sent_at = None
        transaction.on_commit(_invitations_task_delay)
    return consultation


@transaction.atomic
def feedback_publish(
    *, consultation: Consultation, feedback: str, now: dt.datetime | None = None
) -> Consultation:
    """Publish (or update) the "you said, we did" summary; only once the consultation closed."""
    now = now or timezone.now()
    if consultation.state_at(now) != State.CLOSED:
        raise ValidationError(
            f"Feedback can be published once the consultation closes ({_local(consultation.closes_at)})."
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
            f"The closing time ({_local(consultation.closes_at)}) has passed: set a later one first."
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
        transaction.on_commit(_invitations_task_delay)
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


def _invitations_task_delay() -> None:
    from .tasks import invitations_send_task

    invitations_send_task.delay()


def _due_for_invitations(now: dt.datetime) -> QuerySet[Consultation]:
    return Consultation.objects.filter(
        stage=Stage.SCHEDULED,
        opens_at__lte=now,
        closes_at__gt=now,
        invitations_sent_at__isnull=True,
    )


def consultations_open_due(*, now: dt.datetime | None = None) -> bool:
    """The on-read check: if a scheduled consultation has opened and its audience is not
    invited yet, queue the invitations (after the commit). Celery beat does the same every
    few minutes; each school is invited once whoever gets there first."""
    now = now or timezone.now()
    if not _due_for_invitations(now).exists():
        return False
    transaction.on_commit(_invitations_task_delay)
    return True


def invitations_send(*, now: dt.datetime | None = None) -> int:
    """Invite the audience of every consultation that has opened: one email per school (to
    its headteacher and delegated colleagues), each once (ReminderLog's unique constraint,
    one transaction per school as for the reminders). Returns how many schools were sent."""
    from .selectors import audience_school_list

    now = now or timezone.now()
    sent = 0
    for consultation in _due_for_invitations(now):
        already = ReminderLog.objects.filter(
            consultation=consultation, kind=ReminderLog.Kind.OPENED
        ).values("school_id")
        schools = (
            audience_school_list(consultation=consultation).exclude(pk__in=already).order_by("urn")
        )
        failed = False
        for school in schools:
            contacts = school_contacts(school)
            if not contacts:
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        consultation=consultation,
                        school=school,
                        kind=ReminderLog.Kind.OPENED,
                        recipients=[u.email for u in contacts],
                        sent_at=now,
                    )
                    _invitation_email(consultation, school, contacts).send()
            except IntegrityError:
                continue
            except OSError:
                failed = True  # tried again on the next run
                continue
            sent += 1
        if not failed:
            Consultation.objects.filter(
                pk=consultation.pk, invitations_sent_at__isnull=True
            ).update(invitations_sent_at=now)
    return sent


def _invitation_email(
    consultation: Consultation, school: School, contacts: list[User]
) -> EmailMessage:
    context = {
        "consultation": consultation,
        "school": school,
        "closes": _local(consultation.closes_at),
        "question_count": consultation.questions.count(),
        "url": absolute_url(reverse("consultation:respond", args=[consultation.pk])),
    }
    return EmailMessage(
        subject=f"Consultation: “{consultation.title}” is open until {_local(consultation.closes_at)}",
        body=render_to_string("consultation/emails/invitation.txt", context),
        to=[u.email for u in contacts],
    )


def response_published_send(*, consultation_id: int) -> int:
    """Email the schools consulted that the "we asked, you said, we did" response is
    published (each school once)."""
    from .selectors import audience_school_list

    consultation = Consultation.objects.get(pk=consultation_id)
    if not consultation.feedback_published:
        return 0
    already = ReminderLog.objects.filter(
        consultation=consultation, kind=ReminderLog.Kind.RESPONSE
    ).values("school_id")
    sent = 0
    url = absolute_url(reverse("consultation:detail", args=[consultation.pk])) + "#feedback"
    for school in audience_school_list(consultation=consultation).exclude(pk__in=already):
        contacts = school_contacts(school)
        if not contacts:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    consultation=consultation,
                    school=school,
                    kind=ReminderLog.Kind.RESPONSE,
                    recipients=[u.email for u in contacts],
                )
                EmailMessage(
                    subject=f"We asked, you said, we did: “{consultation.title}”",
                    body=render_to_string(
                        "consultation/emails/response_published.txt",
                        {"consultation": consultation, "school": school, "url": url},
                    ),
                    to=[u.email for u in contacts],
                ).send()
        except IntegrityError:
            continue
        sent += 1
    return sent


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
    attachment = Attachment(
        consultation=consultation,
        title=(title or "").strip()[:200],
        original_name=checked.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    attachment.file.save(get_valid_filename(checked.name), ContentFile(checked.data), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment) -> None:
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))


# --- Questions ------------------------------------------------------------------------------


def _has_responses(consultation: Consultation) -> bool:
    return Response.objects.filter(consultation=consultation).exists()


@transaction.atomic
def question_create(
    *,
    consultation: Consultation,
    kind: str,
    text: str,
    help_text: str = "",
    choices: Iterable[str] = (),
    allow_comment: bool = False,
    comment_label: str = "",
    max_length: int = 2000,
    mandatory: bool = False,
    position: int | None = None,
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
        kind=kind,
        text=(text or "").strip(),
        help_text=(help_text or "").strip(),
        choices=list(choices),
        allow_comment=allow_comment,
        comment_label=(comment_label or "").strip(),
        max_length=max_length,
        mandatory=mandatory,
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    kind: str,
    text: str,
    help_text: str = "",
    choices: Iterable[str] = (),
    allow_comment: bool = False,
    comment_label: str = "",
    max_length: int = 2000,
    mandatory: bool = False,
    position: int | None = None,
) -> Question:
    """Change a question. Once a school has responded, its kind, text and choices are locked
    (wording of help, the comment label, order and a longer length limit may still change)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = question.meaning()
    old_max = question.max_length
    question.kind = kind
    question.text = (text or "").strip()
    question.help_text = (help_text or "").strip()
    question.choices = list(choices)
    question.allow_comment = allow_comment
    question.comment_label = (comment_label or "").strip()
    question.max_length = max_length
    question.mandatory = mandatory
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


# --- Responses ------------------------------------------------------------------------------


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
            f"This consultation opens at {_local(consultation.opens_at)}: answers cannot be "
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
            f"This consultation closed at {_local(consultation.closes_at)}, so it no longer "
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


def school_contacts(school: School) -> list[User]:
    """Who hears about a school's consultations: its headteacher(s) and delegated colleagues."""
    return list(
        User.objects.filter(
            school=school, role__in=[Role.HEADTEACHER, Role.SCHOOL_STAFF], is_active=True
        ).order_by("email")
    )


def response_receipt_send(*, response_id: int, user_id: int) -> None:
    """Email a receipt with a copy of the submitted answers to the submitter (and the school's
    headteacher, when a colleague submitted)."""
    response = Response.objects.select_related("consultation", "school").get(pk=response_id)
    user = User.objects.get(pk=user_id)
    answers = {a.question_id: a for a in response.answers.all()}
    rows = [
        {"question": q, "answer": answers.get(q.pk)}
        for q in response.consultation.questions.order_by("position", "pk")
    ]
    context = {
        "response": response,
        "consultation": response.consultation,
        "user": user,
        "rows": rows,
        "url": absolute_url(reverse("consultation:respond", args=[response.consultation_id])),
        "submitted_at": _local(response.submitted_at) if response.submitted_at else "",
    }
    heads = [
        u.email
        for u in User.objects.filter(school=response.school, role=Role.HEADTEACHER, is_active=True)
        if u.pk != user.pk
    ]
    message = EmailMessage(
        subject=f"Receipt: {response.school.name}'s response to “{response.consultation.title}”",
        body=render_to_string("consultation/emails/receipt.txt", context),
        to=[user.email],
        cc=heads,
    )
    message.send()


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
    note.full_clean()
    note.save()
    return note


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


# --- Reminders ------------------------------------------------------------------------------

REMINDER_WINDOWS = {
    # kind: (from this long before closing, until this long before closing)
    ReminderLog.Kind.WEEK: (dt.timedelta(days=7), dt.timedelta(days=1)),
    ReminderLog.Kind.DAY: (dt.timedelta(days=1), dt.timedelta(0)),
}


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Email schools in the audience that have not submitted, 7 days and 1 day before closing.

    Each (consultation, school, kind) goes once: the ReminderLog row is written in the same
    transaction as the send, and its unique constraint stops a second run (or a concurrent
    one) sending again. One transaction per school, so a mail failure for one school leaves
    the others' logs in place and that school is tried again on the next run.
    """
    from .selectors import audience_school_list

    now = now or timezone.now()
    sent = 0
    horizon = now + dt.timedelta(days=7)
    consultations = Consultation.objects.filter(
        stage=Stage.SCHEDULED, opens_at__lte=now, closes_at__gt=now
    ).filter(closes_at__lte=horizon)
    for consultation in consultations:
        kind = next(
            (
                k
                for k, (start, end) in REMINDER_WINDOWS.items()
                if consultation.closes_at - start <= now < consultation.closes_at - end
            ),
            None,
        )
        if kind is None:
            continue
        submitted = Response.objects.filter(
            consultation=consultation, status=Response.Status.SUBMITTED
        ).values("school_id")
        already = ReminderLog.objects.filter(consultation=consultation, kind=kind).values(
            "school_id"
        )
        schools = (
            audience_school_list(consultation=consultation)
            .exclude(pk__in=submitted)
            .exclude(pk__in=already)
            .order_by("urn")
        )
        for school in schools:
            contacts = school_contacts(school)
            if not contacts:
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        consultation=consultation,
                        school=school,
                        kind=kind,
                        recipients=[u.email for u in contacts],
                        sent_at=now,
                    )
                    _reminder_email(consultation, school, kind, contacts).send()
            except IntegrityError:
                continue
            sent += 1
    return sent


def _reminder_email(
    consultation: Consultation, school: School, kind: str, contacts: list[User]
) -> EmailMessage:
    draft = Response.objects.filter(consultation=consultation, school=school).exists()
    context = {
        "consultation": consultation,
        "school": school,
        "kind": kind,
        "has_draft": draft,
        "closes": _local(consultation.closes_at),
        "url": absolute_url(reverse("consultation:respond", args=[consultation.pk])),
    }
    when = "in a week" if kind == ReminderLog.Kind.WEEK else "tomorrow"
    return EmailMessage(
        subject=f"Reminder: “{consultation.title}” closes {when}",
        body=render_to_string("consultation/emails/reminder.txt", context),
        to=[u.email for u in contacts],
    )
