"""The upgrade to the one sent-email log (issue 17): the rows of the four old logs (ChaseSent,
ReminderLog, actionplan's and partnership's ReminderSent) are copied into SentNotification
with the keys the services build, so nothing sent before the upgrade is sent again after it;
what was not sent yet still goes. Run through Django's MigrationExecutor: back to the
migrations before the move, old rows written with the historical models, forward again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from actionplan import services as actionplan_services
from consultation import notifications as consultation_notifications
from outcomes.models import DataCollection
from outcomes.predictions import services as prediction_services
from partnership.governance import services as governance_services
from pep_portal.platform.models import SentNotification
from tests.actionplan.factories import ActionFactory, LeadRoleFactory, MilestoneFactory
from tests.consultation.conftest import make_consultation
from tests.factories import UserFactory
from tests.partnership.factories import BoardFactory, PersonFactory, add_member

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("outcomes", "0006_prior_attainment_measures"),
    ("consultation", "0002_lifecycle"),
    ("actionplan", "0001_initial"),
    ("partnership", "0002_decision_suggested_reasons"),
]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_emails_sent_before_the_upgrade_are_not_sent_again_after_it(school, head, officer):
    now = timezone.now()
    today = timezone.localdate(now)
    collection = DataCollection.objects.create(
        title="KS2 predictions",
        key_stage="ks2",
        academic_year=2017,
        term="spring",
        groups=["all"],
        deadline=now + dt.timedelta(days=7),
    )
    collection.schools.add(school)
    consultation = make_consultation("open", audience_schools=[school])
    consultation.closes_at = now + dt.timedelta(days=6, hours=20)
    consultation.save()
    hsi = LeadRoleFactory(code="HSI")
    lead = UserFactory(email="hsi@example.org")
    second_lead = UserFactory(email="second@example.org")  # joins after the upgrade
    hsi.holders.add(lead)
    milestone = MilestoneFactory(
        action=ActionFactory(leads=[hsi]), due_date=today + dt.timedelta(days=10)
    )
    board = BoardFactory(name="Strategic Board")
    member = add_member(board, person=PersonFactory(email="chair@example.org"))
    starts = now + dt.timedelta(days=6, hours=12)
    meeting = governance_services.meeting_create(board=board, starts_at=starts, location="A")

    try:
        old = migrate(BEFORE)
        old.get_model("outcomes", "ChaseSent").objects.create(
            collection_id=collection.pk,
            school_id=school.pk,
            sent_on=today,
            sent_by_id=officer.pk,
            recipients=head.email,
        )
        old.get_model("consultation", "ReminderLog").objects.create(
            consultation_id=consultation.pk, school_id=school.pk, kind="7d", recipients=[head.email]
        )
        old.get_model("actionplan", "ReminderSent").objects.create(
            milestone_id=milestone.pk,
            recipient_id=lead.pk,
            stage="due_soon",
            due_date=milestone.due_date,
        )
        old.get_model("partnership", "ReminderSent").objects.create(
            meeting_id=meeting.pk, person_id=member.person_id, kind="papers"
        )
    finally:
        new = migrate()

    assert not any(
        m._meta.model_name in {"chasesent", "reminderlog", "remindersent"} for m in new.get_models()
    )
    assert SentNotification.objects.count() == 4
    chase = SentNotification.objects.get(topic="outcomes.chase")
    assert chase.recipients == [head.email] and chase.sent_by == officer
    hsi.holders.add(second_lead)

    # Sent before the upgrade: not again.
    assert not prediction_services.collection_chase(
        collection=collection, school=school, user=officer, now=now
    )
    assert consultation_notifications.reminders_send(now=now) == 0
    assert governance_services.reminders_send(now=now) == {"papers": 0, "meeting": 0}
    assert actionplan_services.reminders_send(today=today)["emails"] == 1  # the second lead
    assert [m.to for m in mail.outbox] == [[second_lead.email]]

    # Not sent yet: these still go, once.
    tomorrow = now + dt.timedelta(days=1)
    assert prediction_services.collection_chase(
        collection=collection, school=school, user=officer, now=tomorrow
    )
    day_before = consultation.closes_at - dt.timedelta(hours=20)
    assert consultation_notifications.reminders_send(now=day_before) == 1
    meeting_eve = starts - dt.timedelta(hours=20)
    assert governance_services.reminders_send(now=meeting_eve) == {"papers": 0, "meeting": 1}
    assert len(mail.outbox) == 4
    assert actionplan_services.reminders_send(today=today)["emails"] == 0
    assert consultation_notifications.reminders_send(now=day_before) == 0
    assert len(mail.outbox) == 4
