import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from partnership.governance import selectors as governance_selectors
from partnership.governance import services as governance_services
from partnership.governance.models import AgendaItem, Meeting

from .factories import add_member, at

pytestmark = pytest.mark.django_db


def test_new_meeting_gets_the_standard_agenda_items(strategic_board):
    first = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="A"
    )
    assert [i.kind for i in first.agenda_items.all()] == ["apologies", "declarations", "action_log"]
    second = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 1, 24), location="A"
    )
    items = list(second.agenda_items.all())
    assert [i.title for i in items] == [
        "Apologies",
        "Declarations of interest",
        "Minutes of the last meeting (18 October 2016)",
        "Action log",
    ]
    assert items[2].minutes_of == first
    business = governance_services.agenda_item_add(meeting=second, title="Provisional 2016 results")
    assert business.number == 5


def test_papers_sent_six_days_ahead_are_late_and_seven_days_ahead_are_not(strategic_board):
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18, 16), location="A"
    )
    governance_services.papers_publish(meeting=meeting, published_at=at(2016, 10, 11, 23, 30))
    assert meeting.papers_late is False
    governance_services.papers_publish(
        meeting=meeting, published_at=at(2016, 10, 12, 9), late_reason="Data arrived late"
    )
    meeting.refresh_from_db()
    assert meeting.papers_late is True
    assert meeting.papers_due_on == dt.date(2016, 10, 11)


def test_late_papers_warning_shown_when_published_and_on_the_record(
    client_as, officer, strategic_board
):
    meeting = governance_services.meeting_create(
        board=strategic_board,
        starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
        location="Civic Offices",
    )
    client = client_as("officer")
    response = client.post(
        f"/partnership/meetings/{meeting.pk}/papers/publish/",
        {"late_reason": "Results embargoed"},
        follow=True,
    )
    assert "Papers sent out late" in response.content.decode()
    page = client.get(f"/partnership/meetings/{meeting.pk}/").content.decode()
    assert "Late" in page and "Results embargoed" in page


def test_minutes_are_agreed_only_at_a_later_meeting(strategic_board):
    first = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="A"
    )
    second = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 1, 24), location="A"
    )
    governance_services.minutes_draft(meeting=first, text="Board agreed its priorities.")

    with pytest.raises(ValidationError, match="later meeting"):
        governance_services.minutes_agree(meeting=first, at_meeting=first)
    governance_services.minutes_draft(meeting=second, text="Second meeting.")
    with pytest.raises(ValidationError, match="later meeting"):
        governance_services.minutes_agree(meeting=second, at_meeting=first)

    item = governance_services.minutes_agree(meeting=first, at_meeting=second)
    first.refresh_from_db()
    assert first.minutes_status == Meeting.MinutesStatus.AGREED
    assert first.minutes_agreed_at == second
    assert item.meeting == second and item.kind == AgendaItem.Kind.MINUTES
    assert item.minutes_of == first
    assert second.decisions.filter(agenda_item=item, text__contains="agreed").exists()
    with pytest.raises(ValidationError, match="already agreed"):
        governance_services.minutes_agree(meeting=first, at_meeting=second)
    with pytest.raises(ValidationError, match="no longer be changed"):
        governance_services.minutes_draft(meeting=first, text="Rewritten")


def test_minutes_not_drafted_cannot_be_agreed(strategic_board):
    first = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="A"
    )
    second = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 1, 24), location="A"
    )
    with pytest.raises(ValidationError, match="not been drafted"):
        governance_services.minutes_agree(meeting=first, at_meeting=second)


def test_group_minutes_are_agreed_by_the_board_its_terms_name(strategic_board, operational_group):
    operational_group.minutes_agreed_by = strategic_board
    operational_group.save()
    og = governance_services.meeting_create(
        board=operational_group, starts_at=at(2016, 9, 13), location="B"
    )
    og_later = governance_services.meeting_create(
        board=operational_group, starts_at=at(2016, 10, 11), location="B"
    )
    governance_services.minutes_draft(meeting=og, text="Reviewed the provisional results.")
    with pytest.raises(ValidationError, match="agreed by Strategic Board"):
        governance_services.minutes_agree(meeting=og, at_meeting=og_later)
    sb = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="A"
    )
    generated = sb.agenda_items.get(minutes_of=og)
    assert generated.title == "Minutes of the Operational Group meeting of 13 September 2016"
    item = governance_services.minutes_agree(meeting=og, at_meeting=sb)
    assert item == generated


def test_agreeing_minutes_through_the_page_refuses_an_earlier_meeting(
    client_as, officer, strategic_board
):
    first = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="A"
    )
    second = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 1, 24), location="A"
    )
    governance_services.minutes_draft(meeting=second, text="Draft")
    response = client_as("officer").post(
        f"/partnership/meetings/{first.pk}/minutes/agree/", {"minutes_of": second.pk}, follow=True
    )
    assert "later meeting" in response.content.decode()
    second.refresh_from_db()
    assert second.minutes_status == Meeting.MinutesStatus.DRAFT


def test_actions_carry_forward_until_closed(strategic_board):
    owner = add_member(strategic_board).person
    m1 = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="A"
    )
    m2 = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 1, 24), location="A"
    )
    m3 = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 5, 9), location="A"
    )
    m4 = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2017, 7, 4), location="A"
    )
    strategy = governance_services.action_create(
        meeting=m1,
        description="Draft the 2017-20 strategy",
        owner=owner,
        due_date=dt.date(2017, 1, 1),
    )
    data = governance_services.action_create(
        meeting=m1,
        description="Circulate KS2 data",
        owner_name="LA data team",
        due_date=dt.date(2016, 12, 1),
    )
    governance_services.action_update(action=data, status="done", at_meeting=m2)
    assert governance_selectors.action_log(meeting=m1) == []
    assert governance_selectors.action_log(meeting=m2) == [data, strategy]
    assert governance_selectors.action_log(meeting=m3) == [strategy]
    governance_services.action_update(
        action=strategy, status="done", at_meeting=m3, progress_note="Published"
    )
    assert governance_selectors.action_log(meeting=m3) == [strategy]
    assert governance_selectors.action_log(meeting=m4) == []


def test_an_action_needs_an_owner(strategic_board):
    m1 = governance_services.meeting_create(
        board=strategic_board, starts_at=at(2016, 10, 18), location="A"
    )
    with pytest.raises(ValidationError):
        governance_services.action_create(
            meeting=m1, description="Someone do it", due_date=dt.date(2017, 1, 1)
        )


def test_membership_review_lists_who_continues_and_ends_the_others(strategic_board, officer):
    stay = [add_member(strategic_board) for _ in range(3)]
    leave = add_member(strategic_board)
    review = governance_services.membership_review_record(
        board=strategic_board,
        academic_year=2017,
        reviewed_on=dt.date(2017, 10, 3),
        continuing={m.pk for m in stay},
        recorded_by=officer,
    )
    entries = {e.membership_id: e.continues for e in review.entries.all()}
    assert entries == {**{m.pk: True for m in stay}, leave.pk: False}
    leave.refresh_from_db()
    assert leave.end_date == dt.date(2017, 10, 2)
    assert leave not in governance_selectors.board_members(
        board=strategic_board, on=dt.date(2017, 10, 3)
    )
    assert (
        len(governance_selectors.board_members(board=strategic_board, on=dt.date(2017, 10, 3))) == 3
    )
    with pytest.raises(ValidationError, match="already agreed"):
        governance_services.membership_review_record(
            board=strategic_board,
            academic_year=2017,
            reviewed_on=dt.date(2017, 11, 1),
            continuing=set(),
        )


def test_membership_review_date_must_fall_in_its_academic_year(strategic_board):
    add_member(strategic_board)
    with pytest.raises(ValidationError, match="2017/18"):
        governance_services.membership_review_record(
            board=strategic_board,
            academic_year=2017,
            reviewed_on=dt.date(2017, 8, 31),
            continuing=set(),
        )


def test_a_board_has_one_chair_at_a_time(strategic_board):
    add_member(strategic_board, position="chair", represents="independent")
    with pytest.raises(ValidationError, match="already has a chair"):
        add_member(strategic_board, position="chair", represents="independent")
