"""Reminders: each lead is emailed once per milestone per stage, never twice."""

import datetime as dt

import pytest
from django.core import mail

from actionplan import selectors, services
from pep_portal.platform.models import SentNotification
from tests.factories import UserFactory

from .factories import (
    ActionFactory,
    LeadRoleFactory,
    MilestoneFactory,
    PlanFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_soon(action, today):
    return MilestoneFactory(
        action=action, title="Terms of reference agreed", due_date=today + dt.timedelta(days=10)
    )


@pytest.fixture
def overdue(action, today):
    return MilestoneFactory(
        action=action, title="Governance strategy revised", due_date=today - dt.timedelta(days=2)
    )


def test_a_lead_gets_one_email_listing_overdue_and_due_soon(lead, due_soon, overdue, today):
    result = services.reminders_send(today=today)
    assert result["emails"] == 1 and result["reminders"] == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email]
    assert "1 overdue, 1 due soon" in message.subject
    assert "Governance strategy revised" in message.body
    assert "Terms of reference agreed" in message.body
    assert f"/action-plan/milestones/{overdue.pk}/" in message.body


def test_reminders_are_sent_once_per_milestone_and_stage(lead, due_soon, today):
    services.reminders_send(today=today)
    services.reminders_send(today=today)
    services.reminders_send(today=today + dt.timedelta(days=1))
    assert len(mail.outbox) == 1
    # Once it becomes overdue, the overdue reminder goes once.
    after = due_soon.due_date + dt.timedelta(days=1)
    services.reminders_send(today=after)
    services.reminders_send(today=after + dt.timedelta(days=3))
    assert len(mail.outbox) == 2
    assert "1 overdue" in mail.outbox[1].subject
    assert selectors.reminders_sent(milestones=due_soon).count() == 2


def test_no_reminder_for_milestones_due_later_or_complete(lead, action, officer, today):
    MilestoneFactory(action=action, due_date=today + dt.timedelta(days=15))
    done = MilestoneFactory(action=action, due_date=today - dt.timedelta(days=1))
    services.milestone_update_record(
        milestone=done, author=officer, status="complete", progress=100, note="Done."
    )
    assert services.reminders_send(today=today)["emails"] == 0
    assert mail.outbox == []


def test_milestones_of_a_plan_that_is_not_current_are_not_reminded(lead, hsi, today):
    old = PlanFactory(title="Last year's plan", is_current=False)
    action = ActionFactory(priority=PriorityFactory(plan=old, number=1), number="1.1", leads=[hsi])
    MilestoneFactory(action=action, due_date=today - dt.timedelta(days=5))
    assert services.reminders_send(today=today)["emails"] == 0


def test_each_holder_of_the_lead_role_is_reminded(lead, hsi, due_soon, today):
    second = UserFactory(email="second@example.org")
    hsi.holders.add(second)
    services.reminders_send(today=today)
    assert sorted(m.to[0] for m in mail.outbox) == ["hsi@example.org", "second@example.org"]


def test_a_milestone_lead_role_gets_the_reminder_not_the_action_leads(lead, due_soon, today):
    sim_holder = UserFactory(email="sim@example.org")
    sim = LeadRoleFactory(code="SIM")
    sim.holders.add(sim_holder)
    due_soon.lead = sim
    due_soon.save()
    services.reminders_send(today=today)
    assert [m.to for m in mail.outbox] == [["sim@example.org"]]


def test_a_milestone_with_no_lead_user_is_counted_not_emailed(due_soon, today):
    result = services.reminders_send(today=today)
    assert result["emails"] == 0
    assert result["milestones_without_lead_user"] == 1


def test_a_failed_send_is_not_logged_so_it_goes_next_time(lead, due_soon, today, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(services, "send_mail", broken)
    result = services.reminders_send(today=today)
    assert result == {
        "emails": 0,
        "reminders": 0,
        "failed": 1,
        "milestones_without_lead_user": 0,
    }
    assert not SentNotification.objects.exists()
    monkeypatch.undo()
    services.reminders_send(today=today)
    assert len(mail.outbox) == 1


def test_a_rescheduled_milestone_is_reminded_again_for_its_new_date(lead, due_soon, today):
    services.reminders_send(today=today)
    due_soon.due_date = today + dt.timedelta(days=12)
    due_soon.save()
    services.reminders_send(today=today)
    assert len(mail.outbox) == 2


def test_the_sent_log_refuses_a_duplicate(lead, due_soon, today):
    from django.db import IntegrityError, transaction

    services.reminders_send(today=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        SentNotification.objects.create(
            **services.reminder_key(due_soon, lead, "due_soon").fields()
        )
