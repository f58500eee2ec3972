"""Reads for consultations, always scoped by the user asking."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from pep_portal.accounts.roles import (
    is_school_staff,
    is_staff_officer,
    is_trust_user,
    sees_whole_partnership,
)
from pep_portal.platform.models import SentNotification
from pep_portal.platform.notifications import sent_list, sent_recipient_ids
from schools.models import Category, Phase, School
from schools.selectors import open_schools, partnership_schools

from . import tally
from .models import (
    SCHOOL_EMAIL_TOPIC,
    Answer,
    Audience,
    Candidate,
    Consultation,
    Question,
    Response,
    SchoolEmailKind,
    Stage,
    Tag,
)


def audience_school_list(*, consultation: Consultation) -> QuerySet[School]:
    """The schools a consultation asks (the partnership's schools: open, in its LA)."""
    schools = partnership_schools()
    if consultation.audience == Audience.PHASE:
        return schools.filter(phase=consultation.audience_phase)
    if consultation.audience == Audience.SCHOOLS:
        return open_schools().filter(pk__in=consultation.audience_schools.values("pk"))
    if consultation.audience == Audience.TRUSTS:
        return schools.filter(trust__in=consultation.audience_trusts.values("pk"))
    return schools


def school_emails_sent(
    *, consultation: Consultation, kinds: Iterable[str] | None = None
) -> QuerySet[SentNotification]:
    """The emails the consultation's schools were sent (invitation, reminders, response
    published), newest first; ``recipient`` is the school."""
    return sent_list(topic=SCHOOL_EMAIL_TOPIC, subject=consultation, kinds=kinds)


def reminder_count(*, consultation: Consultation) -> int:
    """How many closing reminders (7 days and 1 day before) went to schools."""
    kinds = [SchoolEmailKind.WEEK, SchoolEmailKind.DAY]
    return school_emails_sent(consultation=consultation, kinds=kinds).count()


def audience_not_yet_emailed(*, consultation: Consultation, kind: str) -> QuerySet[School]:
    """The audience's schools not yet sent this kind of email, by URN."""
    emailed = sent_recipient_ids(
        topic=SCHOOL_EMAIL_TOPIC, subject=consultation, recipient_model=School, kinds=[kind]
    )
    return audience_school_list(consultation=consultation).exclude(pk__in=emailed).order_by("urn")


def consultation_list(*, user) -> QuerySet[Consultation]:
    """Consultations the user may see: all for officers; all but drafts for board members;
    those asking the user's school (heads, colleagues) or one of the trust's schools (trust
    users), once they have opened."""
    qs = Consultation.objects.all()
    if is_staff_officer(user):
        return qs
    if sees_whole_partnership(user):
        return qs.exclude(stage=Stage.DRAFT)
    # Schools and trusts see a consultation from when it opens: never a draft or one that is
    # only scheduled.
    qs = qs.filter(stage=Stage.SCHEDULED, opens_at__lte=timezone.now())
    if is_school_staff(user):
        school_ids = [user.school_id]
    elif is_trust_user(user):
        school_ids = list(
            School.objects.filter(trust_id=user.trust_id).values_list("pk", flat=True)
        )
    else:
        return qs.none()
    if not school_ids:
        return qs.none()
    in_partnership = partnership_schools().filter(pk__in=school_ids)
    q = Q(audience=Audience.SCHOOLS, audience_schools__in=in_partnership.values("pk"))
    if in_partnership.exists():
        q |= Q(audience=Audience.ALL)
        q |= Q(audience=Audience.PHASE, audience_phase__in=in_partnership.values("phase"))
        q |= Q(
            audience=Audience.TRUSTS,
            audience_trusts__in=in_partnership.exclude(trust__isnull=True).values("trust"),
        )
    return qs.filter(pk__in=Consultation.objects.filter(q).values("pk"))


def question_list(*, consultation: Consultation) -> QuerySet[Question]:
    return consultation.questions.order_by("position", "pk")


def response_for_school(*, consultation: Consultation, school) -> Response | None:
    return (
        Response.objects.filter(consultation=consultation, school=school)
        .select_related("school", "submitted_by", "updated_by", "created_by")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("updated_by")))
        .first()
    )


def own_response_map(*, user, consultations) -> dict[int, Response]:
    """The user's school's responses to these consultations, by consultation id."""
    if not is_school_staff(user):
        return {}
    return {
        r.consultation_id: r
        for r in Response.objects.filter(school_id=user.school_id, consultation__in=consultations)
    }


def own_response(*, consultation: Consultation, user) -> Response | None:
    if not is_school_staff(user):
        return None
    return response_for_school(consultation=consultation, school=user.school)


def response_list(*, consultation: Consultation, user, submitted_only: bool = True):
    """Responses for the analysis: only the partnership-wide roles see other schools'."""
    if not sees_whole_partnership(user):
        return Response.objects.none()
    qs = Response.objects.filter(consultation=consultation).select_related(
        "school", "school__trust"
    )
    if submitted_only:
        qs = qs.filter(status=Response.Status.SUBMITTED)
    return qs.order_by("school__name")


def response_get(*, consultation: Consultation, user, pk: int) -> Response:
    return (
        response_list(consultation=consultation, user=user, submitted_only=False)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").prefetch_related("tags"),
            )
        )
        .get(pk=pk)
    )


# --- Analysis -------------------------------------------------------------------------------


def response_rates(*, consultation: Consultation) -> dict:
    """Response rate by phase and by type (category) of school, and overall."""
    statuses = dict(
        Response.objects.filter(consultation=consultation).values_list("school_id", "status")
    )
    schools = list(
        audience_school_list(consultation=consultation).values("pk", "phase", "category")
    )
    by_phase = tally.response_rates(
        ((s["phase"], statuses.get(s["pk"], "")) for s in schools), dict(Phase.choices)
    )
    by_category = tally.response_rates(
        ((s["category"], statuses.get(s["pk"], "")) for s in schools), dict(Category.choices)
    )
    return {
        "by_phase": by_phase,
        "by_category": by_category,
        "total": tally.total_rate(by_phase),
    }


def question_tallies(*, consultation: Consultation, user) -> list[dict]:
    """Counts per closed question over the submitted responses."""
    responses = response_list(consultation=consultation, user=user)
    respondents = responses.count()
    answers: dict[int, list] = {}
    for question_id, value in Answer.objects.filter(response__in=responses).values_list(
        "question_id", "value"
    ):
        answers.setdefault(question_id, []).append(value)
    rows = []
    for question in question_list(consultation=consultation):
        if not question.is_closed_kind:
            continue
        rows.append(
            {
                "question": question,
                "tally": tally.tally_options(
                    question.options,
                    answers.get(question.pk, []),
                    respondents=respondents,
                    empty_list_is_answer=question.kind == Question.Kind.INTEREST,
                ),
            }
        )
    return rows


def text_answer_list(
    *, consultation: Consultation, user, tag: str = "", question_id: int | None = None
) -> QuerySet[Answer]:
    """Every free-text answer and every comment, with the school named; optionally by tag."""
    responses = response_list(consultation=consultation, user=user)
    qs = (
        Answer.objects.filter(response__in=responses)
        .filter((Q(question__kind=Question.Kind.FREE_TEXT) & ~Q(value="")) | ~Q(comment=""))
        .select_related("question", "response__school")
        .prefetch_related("tags", "notes__author")
        .order_by("question__position", "response__school__name")
    )
    if tag:
        qs = qs.filter(tags__name=tag)
    if question_id:
        qs = qs.filter(question_id=question_id)
    return qs.distinct()


def tag_list(*, consultation: Consultation) -> QuerySet[Tag]:
    return consultation.tags.order_by("name")


def interest_list(*, consultation: Consultation, user) -> list[dict]:
    """Per "interest in joining" question and board: the schools that said they would join."""
    responses = response_list(consultation=consultation, user=user)
    recorded = set(
        Candidate.objects.filter(consultation=consultation).values_list(
            "question_id", "school_id", "board_name"
        )
    )
    result = []
    for question in question_list(consultation=consultation).filter(kind=Question.Kind.INTEREST):
        answers = (
            Answer.objects.filter(response__in=responses, question=question)
            .select_related("response__school")
            .order_by("response__school__name")
        )
        boards = []
        for board in question.options:
            schools = [
                {
                    "school": a.response.school,
                    "comment": a.comment,
                    "recorded": (question.pk, a.response.school_id, board) in recorded,
                }
                for a in answers
                if isinstance(a.value, list) and board in a.value
            ]
            boards.append(
                {
                    "name": board,
                    "schools": schools,
                    "unrecorded": sum(1 for s in schools if not s["recorded"]),
                }
            )
        result.append({"question": question, "boards": boards})
    return result


def candidate_list(*, consultation: Consultation) -> QuerySet[Candidate]:
    return consultation.candidates.select_related("school", "recorded_by")


def answers_by_response(*, consultation: Consultation, user) -> list[tuple[Response, dict]]:
    """For exports: each submitted response with its answers keyed by question id."""
    responses = list(
        response_list(consultation=consultation, user=user).select_related(
            "submitted_by", "school__la"
        )
    )
    by_response: dict[int, dict[int, Answer]] = {r.pk: {} for r in responses}
    for answer in Answer.objects.filter(response__in=[r.pk for r in responses]):
        by_response[answer.response_id][answer.question_id] = answer
    return [(r, by_response[r.pk]) for r in responses]
