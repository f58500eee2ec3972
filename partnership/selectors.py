"""Reads for partnership governance, support and categorisation, scoped by the user's role."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from pep_portal.accounts.roles import (
    is_school_staff,
    is_staff_officer,
    is_trust_user,
    sees_whole_partnership,
)
from schools.models import School

from .calculations.academic_year import academic_year_bounds, academic_year_of
from .calculations.quorum import MemberPresence, QuorumResult, quorum_check
from .calculations.support import DeploymentRow, SupportFigures, support_figures
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    BoardPack,
    CalendarToken,
    CategorisationDecision,
    CategorisationReview,
    Deployment,
    Interest,
    LetterOfConcern,
    Meeting,
    Membership,
    MembershipReview,
    Paper,
    Person,
)
from .rules import _boards_with_access

logger = logging.getLogger(__name__)


# --- Boards and memberships -------------------------------------------------------------------


def board_list(*, user) -> QuerySet[Board]:
    qs = Board.objects.select_related("partnership", "parent")
    if is_staff_officer(user):
        return qs
    return qs.filter(pk__in=_boards_with_access(user))


def board_members(*, board: Board, on: dt.date | None = None) -> list[Membership]:
    """Memberships current on a date (today by default), chair first."""
    on = on or timezone.localdate()
    order = {"chair": 0, "vice_chair": 1, "member": 2, "secretary": 3}
    members = list(
        board.memberships.filter(start_date__lte=on)
        .exclude(end_date__lt=on)
        .select_related("person", "person__user")
    )
    members.sort(key=lambda m: (order.get(m.position, 9), not m.voting, m.person.name))
    return members


def board_chair(*, board: Board, on: dt.date | None = None) -> Membership | None:
    return next((m for m in board_members(board=board, on=on) if m.position == "chair"), None)


def board_interests(*, board: Board, on: dt.date | None = None) -> list[Interest]:
    on = on or timezone.localdate()
    person_ids = [m.person_id for m in board_members(board=board, on=on)]
    return list(
        Interest.objects.filter(person_id__in=person_ids, declared_on__lte=on)
        .exclude(ended_on__lt=on)
        .select_related("person")
        .order_by("person__name", "organisation")
    )


def membership_review_list(*, board: Board) -> QuerySet[MembershipReview]:
    return board.reviews.prefetch_related("entries__membership__person")


def person_for(*, user) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


# --- Meetings ---------------------------------------------------------------------------------


def meeting_list(*, user, board: Board | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("board")
    if board is not None:
        qs = qs.filter(board=board)
    if is_staff_officer(user):
        return qs
    return qs.filter(board_id__in=_boards_with_access(user))


def upcoming_meetings(*, user, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings still to come for the boards the user sits on (officers: every board)."""
    now = now or timezone.now()
    return (
        meeting_list(user=user)
        .filter(starts_at__gte=now - dt.timedelta(hours=12))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
    )


def calendar_meetings(*, user, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """The feed: the last 90 days and everything ahead, so calendars keep recent history."""
    now = now or timezone.now()
    return meeting_list(user=user).filter(starts_at__gte=now - dt.timedelta(days=90))


def calendar_token_user(*, token: str):
    row = CalendarToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active:
        return None
    return row.user


def meeting_detail(*, meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_related("board", "board__partnership", "minutes_agreed_at")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("minutes_of").prefetch_related("papers"),
            ),
            "decisions",
        )
        .get(pk=meeting_id)
    )


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(board=meeting.board, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def meeting_attendance(*, meeting: Meeting) -> list[tuple[Membership, str]]:
    """(membership, status) for everyone who was a member on the meeting's date."""
    recorded = dict(
        Attendance.objects.filter(meeting=meeting).values_list("membership_id", "status")
    )
    return [
        (m, recorded.get(m.pk, ""))
        for m in board_members(board=meeting.board, on=meeting.meeting_date)
    ]


def meeting_quorum(*, meeting: Meeting) -> QuorumResult:
    rows = meeting_attendance(meeting=meeting)
    board = meeting.board
    return quorum_check(
        [MemberPresence(voting=m.voting, present=status == "present") for m, status in rows],
        percent=board.quorum_percent,
        voting_only=board.quorum_basis == Board.QuorumBasis.VOTING_MEMBERS,
    )


def action_log(*, meeting: Meeting) -> list[Action]:
    """The action log a meeting reviews: actions raised at earlier meetings of the board that
    were still open when it met, plus those closed at this meeting. Actions carry forward
    from meeting to meeting until closed."""
    return list(
        Action.objects.filter(board=meeting.board, raised_at__starts_at__lt=meeting.starts_at)
        .filter(
            Q(status=Action.Status.OPEN)
            | Q(closed_at=meeting)
            | Q(closed_on__gte=meeting.meeting_date, closed_at__isnull=True)
            | Q(closed_at__starts_at__gt=meeting.starts_at)
        )
        .select_related("owner", "raised_at", "closed_at")
        .order_by("due_date", "pk")
    )


def actions_raised(*, meeting: Meeting) -> QuerySet[Action]:
    return meeting.actions_raised.select_related("owner").order_by("due_date", "pk")


def papers_for_meeting(*, meeting: Meeting) -> QuerySet[Paper]:
    return Paper.objects.filter(agenda_item__meeting=meeting).select_related("agenda_item")


def latest_board_pack(*, meeting: Meeting) -> BoardPack | None:
    return meeting.packs.order_by("-requested_at", "-pk").first()


def minutes_agreement_candidates(*, meeting: Meeting) -> QuerySet[Meeting]:
    """Earlier meetings whose draft minutes this meeting may agree."""
    return (
        Meeting.objects.filter(
            minutes_status=Meeting.MinutesStatus.DRAFT, starts_at__lt=meeting.starts_at
        )
        .filter(
            Q(board__minutes_agreed_by=meeting.board)
            | Q(board=meeting.board, board__minutes_agreed_by__isnull=True)
        )
        .select_related("board")
        .order_by("starts_at")
    )


# --- School-to-school support -----------------------------------------------------------------


def deployment_list(*, user) -> QuerySet[Deployment]:
    qs = Deployment.objects.select_related(
        "leader", "home_school", "home_trust", "supported_school"
    )
    if sees_whole_partnership(user):
        return qs
    if is_school_staff(user):
        return qs.filter(Q(supported_school_id=user.school_id) | Q(home_school_id=user.school_id))
    if is_trust_user(user):
        return qs.filter(
            Q(supported_school__trust_id=user.trust_id)
            | Q(home_school__trust_id=user.trust_id)
            | Q(home_trust_id=user.trust_id)
        )
    return qs.none()


def partnership_schools() -> QuerySet[School]:
    return School.objects.filter(la__in_partnership=True).exclude(status=School.Status.CLOSED)


def support_figures_for_year(*, year: int, as_of: dt.date | None = None) -> SupportFigures:
    """Figures for the academic year starting in ``year`` (to ``as_of`` when given)."""
    start, end = academic_year_bounds(year)
    if as_of is not None:
        end = min(end, as_of)
    rows = [
        DeploymentRow(
            supported_school_id=d.supported_school_id,
            focus=d.focus,
            days=d.days,
            from_mat=d.from_mat,
            cancelled=d.status == Deployment.Status.CANCELLED,
        )
        for d in Deployment.objects.filter(start_date__gte=start, start_date__lte=end)
        .select_related("home_trust")
        .order_by("pk")
    ]
    latest = {
        school_id: decision.category
        for school_id, decision in latest_categorisations(as_of=end).items()
    }
    return support_figures(rows, latest)


def current_academic_year() -> int:
    return academic_year_of(timezone.localdate())


# --- Categorisation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernSuggestion:
    category: str
    reasons: list[str]
    as_of: dt.date | None = None


SuggestionSource = Callable[..., ConcernSuggestion | None]
_SUGGESTION_SOURCES: list[SuggestionSource] = []


def register_concern_suggestion_source(source: SuggestionSource) -> SuggestionSource:
    """The nightly run registers ``source(*, school) -> ConcernSuggestion | None`` here."""
    if source not in _SUGGESTION_SOURCES:
        _SUGGESTION_SOURCES.append(source)
    return source


def concern_suggestion(*, school: School) -> ConcernSuggestion | None:
    """The nightly 3Ms suggestion for a school, or None until the nightly run has produced one.

    Sources: anything registered with ``register_concern_suggestion_source``, then
    ``outcomes.selectors.concern_suggestion(school=...)`` if that exists. Until the nightly
    snapshots exist there is no suggestion, and pages say so.
    """
    sources = list(_SUGGESTION_SOURCES)
    try:
        outcomes_selectors = importlib.import_module("outcomes.selectors")
    except ImportError:
        outcomes_selectors = None
    fallback = getattr(outcomes_selectors, "concern_suggestion", None)
    if callable(fallback):
        sources.append(fallback)
    for source in sources:
        try:
            found = source(school=school)
        except Exception:
            logger.exception("3Ms suggestion source failed for school %s", school.pk)
            continue
        if found is None:
            continue
        if isinstance(found, ConcernSuggestion):
            return found
        category = (
            getattr(found, "category", None)
            or getattr(found, "level", None)
            or (found.get("category") if isinstance(found, dict) else None)
        )
        if category:
            reasons = getattr(found, "reasons", None) or (
                found.get("reasons", []) if isinstance(found, dict) else []
            )
            return ConcernSuggestion(category=str(category), reasons=list(reasons))
    return None


def categorisation_history(*, school: School) -> QuerySet[CategorisationDecision]:
    return school.categorisations.select_related("review", "review__meeting", "recorded_by")


def latest_categorisation(
    *, school: School, as_of: dt.date | None = None
) -> CategorisationDecision | None:
    qs = school.categorisations.select_related("review")
    if as_of is not None:
        qs = qs.filter(decided_on__lte=as_of)
    return qs.order_by("-decided_on", "-review__review_date", "-pk").first()


def latest_categorisations(
    *, as_of: dt.date | None = None, school_ids: list[int] | None = None
) -> dict[int, CategorisationDecision]:
    """Each school's latest 3Ms decision (as of a date): what the dashboards show."""
    qs = CategorisationDecision.objects.select_related("review")
    if as_of is not None:
        qs = qs.filter(decided_on__lte=as_of)
    if school_ids is not None:
        qs = qs.filter(school_id__in=school_ids)
    latest: dict[int, CategorisationDecision] = {}
    for decision in qs.order_by("school_id", "-decided_on", "-review__review_date", "-pk"):
        latest.setdefault(decision.school_id, decision)
    return latest


def categorisation_school_list(*, user) -> QuerySet[School]:
    """Schools whose categorisation the user may see."""
    schools = partnership_schools().select_related("trust", "la")
    if sees_whole_partnership(user):
        return schools
    if is_school_staff(user):
        return School.objects.filter(pk=user.school_id).select_related("trust", "la")
    if is_trust_user(user):
        return School.objects.filter(trust_id=user.trust_id).select_related("trust", "la")
    return schools.none()


def categorisation_review_list() -> QuerySet[CategorisationReview]:
    return CategorisationReview.objects.select_related("meeting", "meeting__board")


def categorisation_counts(*, as_of: dt.date | None = None) -> dict[str, int]:
    counts = {"minimum": 0, "moderate": 0, "maximum": 0}
    for decision in latest_categorisations(as_of=as_of).values():
        counts[decision.category] += 1
    return counts


# --- Letters of concern -----------------------------------------------------------------------


def letter_list(*, user) -> QuerySet[LetterOfConcern]:
    qs = LetterOfConcern.objects.select_related("school", "trust", "template")
    return qs if is_staff_officer(user) else qs.none()
