import datetime as dt

import pytest
from django.utils import timezone

from consultation import notifications, responding, selectors
from pep_portal.accounts.models import Role
from pep_portal.platform.models import SentNotification
from tests.factories import UserFactory

from .conftest import full_answers, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def closing(school, other_school, head, other_head, school_colleague):
    consultation = make_consultation("open", audience_schools=[school, other_school])
    consultation.closes_at = timezone.now() + dt.timedelta(days=10)
    consultation.save()
    return consultation


def test_reminders_go_7_days_and_1_day_before_closing_once_each(
    closing, head, school_colleague, other_head, mailoutbox
):
    responding.response_save(
        consultation=closing, user=other_head, answers=full_answers(closing.q), submit=True
    )
    closes = closing.closes_at
    assert notifications.reminders_send(now=closes - dt.timedelta(days=8)) == 0
    week = closes - dt.timedelta(days=6, hours=20)
    assert notifications.reminders_send(now=week) == 1
    assert notifications.reminders_send(now=week + dt.timedelta(hours=1)) == 0
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([head.email, school_colleague.email])
    assert "closes in a week" in mail.subject
    assert "Harbour Primary School has not submitted" in mail.body

    day = closes - dt.timedelta(hours=20)
    assert notifications.reminders_send(now=day) == 1
    assert notifications.reminders_send(now=day + dt.timedelta(hours=5)) == 0
    assert "closes tomorrow" in mailoutbox[1].subject
    assert len(mailoutbox) == 2
    sent = selectors.school_emails_sent(consultation=closing)
    assert {(n.recipient.name, n.kind) for n in sent} == {
        ("Harbour Primary School", "7d"),
        ("Harbour Primary School", "1d"),
    }
    assert SentNotification.objects.count() == 2
    assert notifications.reminders_send(now=closes + dt.timedelta(seconds=1)) == 0


def test_a_school_with_a_draft_is_reminded_to_submit(closing, head, mailoutbox):
    responding.response_save(consultation=closing, user=head, answers=full_answers(closing.q))
    notifications.reminders_send(now=closing.closes_at - dt.timedelta(hours=3))
    harbour = [m for m in mailoutbox if head.email in m.to]
    assert len(harbour) == 1
    assert "draft saved" in harbour[0].body


def test_the_log_refuses_a_second_reminder_of_a_kind(closing, school):
    from django.db import IntegrityError, transaction

    key = notifications.school_email_key(closing, school, "7d").fields()
    SentNotification.objects.create(**key)
    with pytest.raises(IntegrityError), transaction.atomic():
        SentNotification.objects.create(**key)


def test_inactive_staff_are_not_emailed(closing, school, head, school_colleague, mailoutbox):
    school_colleague.is_active = False
    school_colleague.save()
    UserFactory(email="trust.person@example.org", role=Role.BOARD_MEMBER)
    notifications.reminders_send(now=closing.closes_at - dt.timedelta(hours=3))
    harbour = [m for m in mailoutbox if head.email in m.to]
    assert harbour[0].to == [head.email]


def test_an_invitation_that_fails_goes_on_the_next_run_and_only_then_is_it_marked_sent(
    school, other_school, head, other_head, mailoutbox, monkeypatch
):
    from django.core.mail import EmailMessage

    consultation = make_consultation("open", audience_schools=[school, other_school])
    send = EmailMessage.send

    def smtp_down_for_harbour(message, *args, **kwargs):
        if head.email in message.to:
            raise ConnectionRefusedError("SMTP down")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", smtp_down_for_harbour)
    assert notifications.invitations_send() == 1
    consultation.refresh_from_db()
    assert consultation.invitations_sent_at is None
    assert [m.to for m in mailoutbox] == [[other_head.email]]
    monkeypatch.undo()
    assert notifications.invitations_send() == 1
    assert notifications.invitations_send() == 0
    consultation.refresh_from_db()
    assert consultation.invitations_sent_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted([head.email, other_head.email])
