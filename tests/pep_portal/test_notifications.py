"""The one sent-email log (pep_portal.platform.notifications): an email keyed once goes once;
a failed send leaves nothing claimed, so it goes next time; keys are per recipient, kind and
occasion; a concurrent second call (PostgreSQL) sends nothing."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection

from pep_portal.platform.models import SentNotification
from pep_portal.platform.notifications import (
    NotificationKey,
    send_once,
    sent_list,
    sent_recipient_ids,
)
from schools.models import School
from tests.actionplan.factories import MilestoneFactory
from tests.conftest import require_service

pytestmark = pytest.mark.django_db


class Outbox:
    """A send callable that emails (locmem backend) and counts its calls."""

    def __init__(self, to: str = "head@example.org"):
        self.to, self.calls = to, 0

    def __call__(self) -> None:
        self.calls += 1
        EmailMessage(subject="Reminder", body="Please reply.", to=[self.to]).send()


def key(subject, recipient, kind="7d", occasion="", topic="test.reminder") -> NotificationKey:
    return NotificationKey(
        topic=topic, kind=kind, subject=subject, recipient=recipient, occasion=occasion
    )


def test_the_second_call_for_a_key_sends_nothing(school, head, officer):
    send = Outbox()
    assert send_once(keys=key(school, head), send=send, recipients=[head.email], sent_by=officer)
    assert not send_once(keys=key(school, head), send=send, recipients=[head.email])
    assert send.calls == 1 and len(mail.outbox) == 1
    row = SentNotification.objects.get()
    assert (row.subject, row.recipient, row.kind) == (school, head, "7d")
    assert row.recipients == [head.email] and row.sent_by == officer


def test_a_mail_server_error_leaves_it_unsent_and_it_goes_next_time(school, head):
    def broken() -> None:
        raise ConnectionRefusedError("SMTP down")

    with pytest.raises(ConnectionRefusedError):
        send_once(keys=key(school, head), send=broken)
    assert not SentNotification.objects.exists()
    send = Outbox()
    assert send_once(keys=key(school, head), send=send)
    assert send.calls == 1 and SentNotification.objects.count() == 1


def test_keys_are_per_recipient_kind_occasion_and_topic(school, other_school, head, other_head):
    send = Outbox()
    for k in [
        key(school, head),
        key(school, other_head),  # another recipient
        key(other_school, head),  # another subject
        key(school, head, kind="1d"),  # another kind
        key(school, head, occasion="2017-03-01"),  # another occasion
        key(school, head, occasion="2017-03-02"),
        key(school, head, topic="test.other"),  # another topic
    ]:
        assert send_once(keys=k, send=send)
    assert send.calls == 7
    assert not send_once(keys=key(school, head, occasion="2017-03-01"), send=send)
    assert send.calls == 7


def test_the_same_id_in_another_model_is_another_key(school, head):
    """Subjects and recipients are told apart by content type, not by id alone."""
    send = Outbox()
    assert send_once(keys=key(school, head), send=send)
    assert send_once(keys=key(school, School(pk=head.pk)), send=send)
    assert send_once(keys=key(type(head)(pk=school.pk), head), send=send)
    assert not send_once(keys=key(school, head), send=send)
    assert send.calls == 3


def test_several_keys_are_claimed_together_or_not_at_all(school, other_school, head):
    send = Outbox()
    assert send_once(keys=[key(school, head)], send=send)
    # One of the two was sent already: nothing is sent and the other stays unclaimed.
    assert not send_once(keys=[key(other_school, head), key(school, head)], send=send)
    assert send.calls == 1
    assert send_once(keys=[key(other_school, head)], send=send)
    assert send.calls == 2


def test_a_database_error_inside_the_send_is_not_taken_for_already_sent(school, head):
    def clashing() -> None:
        raise IntegrityError("a write the send made failed")

    with pytest.raises(IntegrityError):
        send_once(keys=key(school, head), send=clashing)
    assert not SentNotification.objects.exists()


def test_the_log_refuses_a_duplicate_key(school, head):
    from django.db import transaction

    SentNotification.objects.create(**key(school, head).fields())
    with pytest.raises(IntegrityError), transaction.atomic():
        SentNotification.objects.create(**key(school, head).fields())


def test_selectors_say_what_was_sent_for_a_subject(school, other_school, head, other_head):
    send = Outbox()
    send_once(keys=key(school, head, kind="7d"), send=send)
    send_once(keys=key(school, other_school, kind="7d"), send=send)
    send_once(keys=key(school, school, kind="1d"), send=send)
    send_once(keys=key(other_school, other_head, kind="7d"), send=send)
    assert sent_list(topic="test.reminder", subject=school).count() == 3
    assert sent_list(topic="test.reminder", subject=school, kinds=["1d"]).get().recipient == school
    assert sent_list(topic="test.other", subject=school).count() == 0
    assert sent_list(topic="test.reminder", subject=[school, other_school]).count() == 4
    assert sent_list(topic="test.reminder", subject=[]).count() == 0
    ids = sent_recipient_ids(topic="test.reminder", subject=school, recipient_model=School)
    assert set(ids) == {other_school.pk, school.pk}
    assert set(
        School.objects.exclude(
            pk__in=sent_recipient_ids(
                topic="test.reminder", subject=school, recipient_model=School, kinds=["7d"]
            )
        )
    ) == {school}


def test_a_sent_email_names_what_was_sent_to_whom_and_when(school, head, other_school):
    import datetime as dt

    from django.utils import timezone

    sent_at = dt.datetime(2017, 3, 1, 10, 15, tzinfo=timezone.get_current_timezone())
    send_once(
        keys=key(school, head, occasion="2017-03-08"),
        send=Outbox(),
        recipients=[head.email],
        sent_at=sent_at,
    )
    expected = (
        f"Email test.reminder (7d) about “{school}” to {head} at {head.email}, "
        "sent 1 Mar 2017 10:15 (for 2017-03-08)"
    )
    row = SentNotification.objects.get()
    assert str(row) == expected  # read back, not only as written
    # A recipient deleted since is named by its kind and id, never a bare content type id.
    send_once(keys=key(school, other_school), send=Outbox(), sent_at=sent_at)
    pk = other_school.pk
    School.objects.filter(pk=pk).delete()
    [row] = SentNotification.objects.filter(recipient_id=pk)
    assert str(row).endswith(f"to school {pk} (deleted), sent 1 Mar 2017 10:15")


def test_deleting_the_subject_deletes_the_record_of_its_emails(head):
    milestone = MilestoneFactory()
    kept = MilestoneFactory(action=milestone.action)
    send_once(keys=key(milestone, head), send=Outbox())
    send_once(keys=key(kept, head), send=Outbox())
    milestone.delete()
    assert [n.subject for n in SentNotification.objects.all()] == [kept]


def test_officers_see_the_log_in_the_admin_and_cannot_change_it(client, officer, school, head):
    send_once(keys=key(school, head), send=Outbox())
    row = SentNotification.objects.get()
    client.force_login(officer)
    assert client.get("/admin/platform/sentnotification/").status_code == 200
    assert client.get(f"/admin/platform/sentnotification/{row.pk}/change/").status_code == 200
    assert client.get("/admin/platform/sentnotification/add/").status_code == 403
    response = client.post(f"/admin/platform/sentnotification/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert SentNotification.objects.filter(pk=row.pk).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_second_call_waits_for_the_first_and_sends_nothing(school, head):
    """PostgreSQL: the second insert of the same key waits on the unique index until the
    first transaction commits, then fails: one email, whoever started first."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL")
    first_sending = threading.Event()
    release = threading.Event()
    results: dict[str, bool] = {}
    sends: list[str] = []

    def slow_send() -> None:
        sends.append("first")
        first_sending.set()
        release.wait(10)

    def run(name: str, send) -> None:
        try:
            results[name] = send_once(keys=key(school, head), send=send)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", slow_send))
    second = threading.Thread(target=run, args=("second", lambda: sends.append("second")))
    first.start()
    assert first_sending.wait(10)
    second.start()
    second.join(1)
    assert second.is_alive(), "the second call must wait for the first one's transaction"
    release.set()
    first.join(10)
    second.join(10)
    assert results == {"first": True, "second": False}
    assert sends == ["first"]
    assert SentNotification.objects.count() == 1
