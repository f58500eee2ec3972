"""The nightly step and Celery tasks call the services; the admin keeps updates read-only."""

import contextlib
import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from actionplan import tasks
from pep_portal import nightly

pytestmark = pytest.mark.django_db


def test_rag_is_a_nightly_step_and_reminders_are_their_own_morning_beat_task(settings):
    names = [step.name for stage in nightly.stages() for step in stage]
    assert "actionplan_rag" in names and "actionplan_reminders" not in names
    entry = settings.CELERY_BEAT_SCHEDULE["actionplan-reminders"]
    assert entry["task"] == tasks.reminders_send_task.name
    # Every day, after the nightly run (02:30 London) has recomputed today's RAG.
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert len(entry["schedule"].day_of_week) == 7


def test_a_rolled_back_nightly_chunk_sends_no_reminder_and_the_task_sends_it_once(
    lead, action, today, django_capture_on_commit_callbacks
):
    """An email cannot be rolled back: no nightly step sends one inside its chunk's
    transaction. Every step's chunks run and roll back twice (as a failed chunk and its
    retry would): nothing is sent. The morning task then sends the reminder, once."""
    from pep_portal.nightly import services as nightly_services
    from pep_portal.nightly.models import NightlyRun

    from .factories import MilestoneFactory

    class RolledBack(Exception):
        pass

    MilestoneFactory(action=action, due_date=today + dt.timedelta(days=3))
    run = nightly_services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND, enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            for stage in nightly.stages():
                for step in stage:
                    for chunk in step.chunk_list(run.pk):
                        with contextlib.suppress(RolledBack), transaction.atomic():
                            step.run(run_id=run.pk, chunk=chunk)
                            raise RolledBack
    assert mail.outbox == []

    assert tasks.reminders_send_task.delay().get()["emails"] == 1
    assert tasks.reminders_send_task.delay().get()["emails"] == 0
    assert [m.to for m in mail.outbox] == [[lead.email]]


def test_the_nightly_rag_step_recomputes_milestones(milestone, action):
    milestone.computed_rag = ""
    milestone.save()
    rows = nightly.get_step("actionplan_rag").run(run_id=0, chunk=None)
    milestone.refresh_from_db()
    action.refresh_from_db()
    assert rows == 1
    assert milestone.computed_rag == "green" and action.rag == "green"


def test_the_tasks_run_the_services(lead, action, today):
    from .factories import MilestoneFactory

    MilestoneFactory(action=action, due_date=today + dt.timedelta(days=3))
    assert tasks.milestone_rag_recompute_task.delay().get()["milestones"] == 1
    assert tasks.reminders_send_task.delay().get()["emails"] == 1
    assert mail.outbox[0].to == [lead.email]


def test_officers_manage_the_plan_in_the_admin_but_cannot_add_updates(client_as, milestone):
    client = client_as("officer")
    assert client.get("/admin/actionplan/milestone/").status_code == 200
    assert client.get(f"/admin/actionplan/milestone/{milestone.pk}/change/").status_code == 200
    assert client.get("/admin/actionplan/milestoneupdate/").status_code == 200
    assert client.get("/admin/actionplan/milestoneupdate/add/").status_code == 403


def test_changing_a_due_date_in_the_admin_recomputes_the_rag(client_as, milestone, today):
    client = client_as("officer")
    response = client.post(
        f"/admin/actionplan/milestone/{milestone.pk}/change/",
        {
            "action": milestone.action_id,
            "order": 1,
            "title": milestone.title,
            "lead": "",
            "due_date": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.computed_rag == "red"
