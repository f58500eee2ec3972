"""Reads for boards, memberships and meetings, scoped by the user's role."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from pep_portal.accounts.roles import (
    is_staff_officer,
)
from pep_portal.platform.models import SentNotification
from pep_portal.platform.notifications import sent_list

from ..calculations.quorum import MemberPresence, QuorumResult, quorum_check
from ..rules import _boards_with_access
from .models import (
    REMINDER_TOPIC,
    Action,
    AgendaItem,
    Attendance,
    Board,
    BoardPack,
    CalendarToken,
    Interest,
    Meeting,
    Membership,
    MembershipReview,
    Paper,
    Person,
    ReminderKind,
)

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


def operational_group_user_ids(on: dt.date) -> set[int]:
    """Users with a current membership of an Operational Group board on a date: what the
    schools' confidential-data rule asks (registered in ``PartnershipConfig.ready``)."""
    ids: set[int] = set()
    for board in Board.objects.filter(kind=Board.Kind.OPERATIONAL):
        ids.update(m.person.user_id for m in board_members(board=board, on=on) if m.person.user_id)
    return ids


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


def meeting_reminders_sent(*, meeting: Meeting) -> QuerySet[SentNotification]:
    """The reminders the meeting's members were sent (``recipient`` is the person, ``kind``
    papers or meeting), newest first."""
    return sent_list(topic=REMINDER_TOPIC, subject=meeting)


@dataclass(frozen=True)
class ReminderSent:
    """One reminder as the meeting's page lists it for officers."""

    kind: str  # the kind's label, e.g. "Papers (a week before)"
    person: Person | None  # None if the person has since been removed
    addresses: list[str]
    sent_at: dt.datetime


def meeting_reminder_list(*, meeting: Meeting) -> list[ReminderSent]:
    """The meeting's reminders (``meeting_reminders_sent``) with their kind named and the
    person they went to, newest first (one query for the log, one for the people)."""
    rows = list(meeting_reminders_sent(meeting=meeting))
    people = Person.objects.in_bulk({row.recipient_id for row in rows})
    labels = dict(ReminderKind.choices)
    return [
        ReminderSent(
            kind=labels.get(row.kind, row.kind),
            person=people.get(row.recipient_id),
            addresses=list(row.recipients),
            sent_at=row.sent_at,
        )
        for row in rows
    ]


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
