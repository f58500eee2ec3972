"""The nightly steps and Celery tasks call the services; the admin keeps updates read-only."""

import datetime as dt

import pytest
from django.core import mail

from actionplan import tasks
from pep_portal import nightly

pytestmark = pytest.mark.django_db


def test_the_action_plan_registers_its_nightly_steps():
    names = [step.name for stage in nightly.stages() for step in stage]
    assert "actionplan_rag" in names and "actionplan_reminders" in names
    # RAG is recomputed in an earlier stage than the reminders are sent.
    assert nightly.get_step("actionplan_rag").order < nightly.get_step("actionplan_reminders").order


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
