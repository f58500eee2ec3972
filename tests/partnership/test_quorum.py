import datetime as dt

import pytest

from partnership.calculations.quorum import MemberPresence, quorum_check, quorum_required
from partnership.governance import selectors as governance_selectors
from partnership.governance import services as governance_services

from .factories import add_member, at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("members", "percent", "required"),
    [(10, 50, 5), (9, 50, 5), (1, 50, 1), (20, 50, 10), (21, 50, 11), (3, 100, 3), (0, 50, 0)],
)
def test_quorum_required_is_at_least_the_percentage(members, percent, required):
    assert quorum_required(members, percent) == required


def test_exactly_half_of_voting_members_present_is_quorate():
    members = [MemberPresence(voting=True, present=i < 5) for i in range(10)]
    result = quorum_check(members, percent=50, voting_only=True)
    assert (result.present, result.required, result.met) == (5, 5, True)


def test_one_short_of_half_is_not_quorate():
    members = [MemberPresence(voting=True, present=i < 4) for i in range(10)]
    result = quorum_check(members, percent=50, voting_only=True)
    assert result.met is False
    assert result.shortfall == 1


def test_co_opted_members_neither_count_nor_make_the_quorum_when_rule_is_voting_members():
    voting = [MemberPresence(voting=True, present=i < 4) for i in range(10)]
    co_opted = [MemberPresence(voting=False, present=True) for _ in range(3)]
    result = quorum_check(voting + co_opted, percent=50, voting_only=True)
    assert (result.counted_members, result.present, result.met) == (10, 4, False)
    # Counting every member, the same room is 7 of 13: quorate (7 >= 6.5).
    everyone = quorum_check(voting + co_opted, percent=50, voting_only=False)
    assert (everyone.counted_members, everyone.present, everyone.required) == (13, 7, 7)
    assert everyone.met is True


def test_meeting_quorum_from_recorded_attendance(strategic_board):
    voting = [add_member(strategic_board) for _ in range(10)]
    co_opted = [add_member(strategic_board, voting=False) for _ in range(2)]
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="Civic Offices"
    )
    statuses = {m.pk: "present" for m in voting[:4]}
    statuses |= {m.pk: "apologies" for m in voting[4:]}
    statuses |= {m.pk: "present" for m in co_opted}
    governance_services.attendance_record(meeting=meeting, statuses=statuses)
    assert governance_selectors.meeting_quorum(meeting=meeting).met is False

    governance_services.attendance_record(meeting=meeting, statuses={voting[4].pk: "present"})
    quorum = governance_selectors.meeting_quorum(meeting=meeting)
    assert (quorum.present, quorum.counted_members, quorum.met) == (5, 10, True)


def test_members_who_left_before_the_meeting_are_not_counted(strategic_board):
    members = [add_member(strategic_board) for _ in range(4)]
    governance_services.membership_end(membership=members[3], end_date=dt.date(2016, 9, 30))
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="Civic Offices"
    )
    governance_services.attendance_record(
        meeting=meeting, statuses={members[0].pk: "present", members[1].pk: "apologies"}
    )
    quorum = governance_selectors.meeting_quorum(meeting=meeting)
    assert (quorum.counted_members, quorum.required, quorum.met) == (3, 2, False)
