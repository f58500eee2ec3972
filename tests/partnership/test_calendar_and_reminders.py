import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar

from partnership.governance import selectors as governance_selectors
from partnership.governance import services as governance_services
from partnership.tasks import reminders_send_task
from tests.html_pages import own_text, parse, table_rows, text

from .factories import BoardFactory, PersonFactory, add_member

pytestmark = pytest.mark.django_db


def test_ical_feed_lists_my_boards_meetings_without_signing_in(
    client, board_member, strategic_board, board_member_seat, next_meeting
):
    other = BoardFactory(name="Maths sub-group", slug="maths")
    governance_services.meeting_create(
        board=other, starts_at=timezone.now() + dt.timedelta(days=5), location="Elsewhere"
    )
    token = governance_services.calendar_token_get_or_create(user=board_member).token
    client.logout()
    response = client.get(f"/partnership/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    summaries = {(str(e["SUMMARY"]), str(e["LOCATION"])) for e in events}
    assert ("Strategic Board", "Civic Offices") in summaries
    assert all(s != "Maths sub-group" for s, _ in summaries)
    starts = {e.decoded("DTSTART") for e in events}
    assert next_meeting.starts_at.replace(microsecond=0) in starts


def test_unknown_or_reset_calendar_token_is_refused(client, board_member):
    old = governance_services.calendar_token_get_or_create(user=board_member).token
    governance_services.calendar_token_reset(user=board_member)
    assert client.get(f"/partnership/calendar/{old}.ics").status_code == 404
    assert client.get("/partnership/calendar/guess.ics").status_code == 404


def test_my_meetings_page_shows_the_feed_address(client_as, board_member_seat, next_meeting):
    page = client_as("board_member").get("/partnership/my-meetings/").content.decode()
    assert "/partnership/calendar/" in page
    assert "Civic Offices" in page


def test_reminders_a_week_and_a_day_before_are_sent_once_each(strategic_board):
    with_email = add_member(strategic_board, person=PersonFactory(email="chair@example.org"))
    add_member(strategic_board, person=PersonFactory(email=""))  # no address: skipped
    starts = timezone.now() + dt.timedelta(days=10)
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=starts, location="A"
    )

    assert governance_services.reminders_send(now=starts - dt.timedelta(days=8)) == {
        "papers": 0,
        "meeting": 0,
    }
    assert governance_services.reminders_send(now=starts - dt.timedelta(days=7)) == {
        "papers": 1,
        "meeting": 0,
    }
    assert governance_services.reminders_send(now=starts - dt.timedelta(days=6)) == {
        "papers": 0,
        "meeting": 0,
    }
    assert governance_services.reminders_send(now=starts - dt.timedelta(hours=23)) == {
        "papers": 0,
        "meeting": 1,
    }
    assert governance_services.reminders_send(now=starts - dt.timedelta(hours=2)) == {
        "papers": 0,
        "meeting": 0,
    }

    assert [m.to for m in mail.outbox] == [["chair@example.org"], ["chair@example.org"]]
    assert mail.outbox[0].subject.startswith("Papers for Strategic Board")
    assert "tomorrow" in mail.outbox[1].subject
    sent = governance_selectors.meeting_reminders_sent(meeting=meeting)
    assert set(sent.values_list("recipient_id", "kind")) == {
        (with_email.person_id, "papers"),
        (with_email.person_id, "meeting"),
    }


def test_cancelled_meetings_get_no_reminders(strategic_board):
    add_member(strategic_board)
    starts = timezone.now() + dt.timedelta(days=3)
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=starts, location="A"
    )
    meeting.status = "cancelled"
    meeting.save()
    assert governance_services.reminders_send(now=starts - dt.timedelta(hours=20)) == {
        "papers": 0,
        "meeting": 0,
    }
    assert mail.outbox == []


def test_a_meeting_reminder_that_fails_to_send_goes_on_the_next_run(strategic_board, monkeypatch):
    add_member(strategic_board, person=PersonFactory(email="chair@example.org"))
    starts = timezone.now() + dt.timedelta(days=10)
    meeting = governance_services.meeting_create(
        board=strategic_board, starts_at=starts, location="A"
    )

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(governance_services, "send_mail", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        governance_services.reminders_send(now=starts - dt.timedelta(days=7))
    assert not governance_selectors.meeting_reminders_sent(meeting=meeting).exists()
    monkeypatch.undo()
    assert governance_services.reminders_send(now=starts - dt.timedelta(days=6)) == {
        "papers": 1,
        "meeting": 0,
    }
    assert [m.to for m in mail.outbox] == [["chair@example.org"]]


# --- The meeting's page lists its reminders for officers ------------------------------------


def _reminders_table(page: bytes):
    """The table captioned as the meeting's reminders, or None."""
    for table in parse(page).iter("table"):
        caption = table.find("caption")
        if caption is not None and "Reminders sent" in "".join(caption.itertext()):
            return table
    return None


@pytest.fixture
def meeting_in_three_days(strategic_board, board_member_seat):
    """A meeting in the papers-reminder window, with a chair who has an email address."""
    add_member(strategic_board, person=PersonFactory(name="Ann Chair", email="chair@example.org"))
    return governance_services.meeting_create(
        board=strategic_board, starts_at=timezone.now() + dt.timedelta(days=3), location="A"
    )


def test_officer_sees_the_reminders_the_task_sent_for_the_meeting(
    client_as, officer, board_member_seat, meeting_in_three_days
):
    assert reminders_send_task() == {"papers": 2, "meeting": 0}

    page = client_as("officer").get(f"/partnership/meetings/{meeting_in_three_days.pk}/")
    table = _reminders_table(page.content)
    assert table is not None
    # "To": the person's name, their address below it.
    rows = {(own_text(row["To"]), text(row["To"].find("span"))): row for row in table_rows(table)}
    assert set(rows) == {
        ("Ann Chair", "chair@example.org"),
        (board_member_seat.person.name, "board@example.org"),
    }
    chair = rows["Ann Chair", "chair@example.org"]
    assert text(chair["Reminder"]) == "Papers (a week before)"
    sent_at = governance_selectors.meeting_reminders_sent(meeting=meeting_in_three_days)[0].sent_at
    assert text(chair["Sent"]) == date_format(timezone.localtime(sent_at), "j M Y H:i")


def test_board_member_does_not_see_the_meetings_reminders(
    client_as, board_member, meeting_in_three_days
):
    reminders_send_task()
    page = client_as("board_member").get(f"/partnership/meetings/{meeting_in_three_days.pk}/")
    assert page.status_code == 200
    assert _reminders_table(page.content) is None
    body = page.content.decode()
    assert "Reminders sent" not in body
    assert "chair@example.org" not in body


def test_officer_sees_that_no_reminders_have_been_sent_yet(
    client_as, officer, meeting_in_three_days
):
    page = client_as("officer").get(f"/partnership/meetings/{meeting_in_three_days.pk}/")
    assert _reminders_table(page.content) is None
    assert "No reminders have been sent for this meeting yet." in text(parse(page.content))
