"""Bulk work is in the audit log: an import's creates and changes (old and new values) linked
to its job, a head's predictions save, and an officer's chase (not the nightly reminders)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from outcomes.predictions import services as predictions
from pep_portal.imports.services import import_file, import_job_create, import_job_run
from pep_portal.platform.audit import audit_entry_list
from pep_portal.platform.models import SentNotification
from schools.models import School, Trust
from tests.predictions.conftest import row

pytestmark = pytest.mark.django_db

FULL = Path(__file__).resolve().parent.parent / "fixtures" / "gias" / "edubasealldata_bom_crlf.csv"


def test_a_register_import_logs_renamed_schools_and_a_new_trust_against_its_job(
    client, officer, portal_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    import_file(kind="gias", path=str(FULL))
    # Since the last import: two schools renamed on the register, a trust not yet known.
    School.objects.filter(urn=116001).update(name="Harbour Infants")
    School.objects.filter(urn=116003).update(name="Fratton Juniors")
    School.objects.filter(trust__uid=16002).update(trust=None)
    Trust.objects.filter(uid=16002).delete()

    job = import_job_create(
        kind="gias",
        uploaded_file=SimpleUploadedFile("edubasealldata.csv", FULL.read_bytes()),
        user=officer,
    )
    job = import_job_run(job_id=job.pk)
    assert job.status == job.Status.SUCCEEDED

    entries = LogEntry.objects.filter(cid=f"import-job-{job.pk}")
    renamed = {
        e.object_repr: e.changes["name"]
        for e in entries.filter(action=LogEntry.Action.UPDATE)
        if "name" in e.changes
    }
    assert ["Harbour Infants", "Harbour Infant School"] in renamed.values()
    assert ["Fratton Juniors", "Fratton Park Junior School"] in renamed.values()
    trust = entries.get(action=LogEntry.Action.CREATE, content_type__model="trust")
    assert trust.changes["name"] == ["None", "Itchen Water Academy Trust"]
    assert all(e.actor == officer and e.additional_data == {"import_job": job.pk} for e in entries)

    # Visible in /audit/ (for admins), filtered by the job.
    client.force_login(portal_admin)
    html = client.get(reverse("audit_log"), {"job": job.pk}).content.decode()
    assert "Fratton Park Junior School" in html and "Itchen Water Academy Trust" in html


def test_a_heads_predictions_save_logs_each_value(collection, school, head, last_year):
    predictions.predictions_save(
        collection=collection,
        school=school,
        rows=[row("ks2_rwm_exp", "all", 30, 15), row("ks2_read_prog", "all", 30, "", "0.2")],
        user=head,
    )
    entries = LogEntry.objects.filter(
        content_type__model="prediction", action=LogEntry.Action.CREATE, actor=head
    )
    values = sorted(e.changes["value"][1] for e in entries)
    assert values == ["0.2", "50.0"]


def test_calendar_links_are_never_in_the_audit_log_and_rotating_one_is(
    client, board_member, portal_admin
):
    from partnership.governance import services as governance

    first = governance.calendar_token_get_or_create(user=board_member).token
    second = governance.calendar_token_reset(user=board_member).token
    assert first != second
    client.force_login(portal_admin)
    html = client.get(reverse("audit_log")).content.decode()
    assert first not in html and second not in html
    assert "(rotated)" in html
    assert not any(
        first in str(e.changes) or second in str(e.changes) for e in LogEntry.objects.all()
    )
    # The old link no longer opens the feed; the new one does.
    client.logout()
    assert client.get(reverse("partnership:calendar_feed", args=[first])).status_code == 404
    assert client.get(reverse("partnership:calendar_feed", args=[second])).status_code == 200


def test_a_results_import_leaves_a_summary_entry_linked_to_its_job(officer, settings, tmp_path):
    from outcomes.models import Result

    settings.MEDIA_ROOT = str(tmp_path)
    from pep_portal.platform.audit import audit_summary, import_job_context

    with import_job_context(41, officer):
        audit_summary(Result, description="Results from x.csv", counts={"created": 3, "changed": 0})
    entry = LogEntry.objects.get(cid="import-job-41")
    assert entry.changes == {"created": ["", "3"]} and entry.actor == officer


def test_an_officers_chase_is_in_the_audit_log_naming_the_officer(
    client, collection, school, head, officer, portal_admin
):
    client.force_login(officer)
    response = client.post(
        reverse("outcomes:collection_chase", args=[collection.pk]), {"urn": school.urn}
    )
    assert response.status_code == 302
    chase = SentNotification.objects.get()
    assert chase.sent_by == officer

    [entry] = audit_entry_list(user=portal_admin, model="platform.sentnotification")
    assert entry.action == LogEntry.Action.CREATE and entry.actor == officer
    assert entry.object_pk == str(chase.pk)
    assert entry.changes["recipients"] == ["None", str([head.email])]
    assert entry.changes["sent_by"] == ["None", str(officer.pk)]

    # On the audit page (admins), found by the officer who chased.
    client.force_login(portal_admin)
    html = client.get(
        reverse("audit_log"), {"actor": "officer@", "model": "platform.sentnotification"}
    ).content.decode()
    assert "1 change." in html
    assert "platform: sent notification" in html
    assert officer.email in html and head.email in html
    # The entry says what was sent, to whom and when (it read "outcomes.chase chase
    # (2017-...) to 23:17": a content type id and a row id).
    when = timezone.localtime(chase.sent_at)
    assert (
        f"Email outcomes.chase (chase) about “{collection.title}” to {school.name} "
        f"({school.urn}) at {head.email}, sent {when.day} {when:%b %Y %H:%M} "
        f"(for {timezone.localdate(chase.sent_at).isoformat()})"
    ) in html.replace("&ldquo;", "“").replace("&rdquo;", "”")


def test_a_chase_that_fails_to_send_leaves_no_audit_entry(
    collection, school, head, officer, portal_admin, monkeypatch
):
    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(predictions, "send_mail", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        predictions.collection_chase(collection=collection, school=school, user=officer)
    assert not audit_entry_list(user=portal_admin, model="platform.sentnotification").exists()


def test_a_nightly_meeting_reminder_is_not_in_the_audit_log(client, portal_admin):
    from partnership.governance import services as governance
    from partnership.tasks import reminders_send_task
    from tests.partnership.factories import BoardFactory, PersonFactory, add_member

    board = BoardFactory()
    add_member(board, person=PersonFactory(email="chair@example.org"))
    governance.meeting_create(
        board=board, starts_at=timezone.now() + dt.timedelta(days=3), location="A"
    )
    assert reminders_send_task() == {"papers": 1, "meeting": 0}
    assert SentNotification.objects.get().sent_by is None

    assert not audit_entry_list(user=portal_admin, model="platform.sentnotification").exists()
    client.force_login(portal_admin)
    html = client.get(reverse("audit_log")).content.decode()
    assert "platform: sent notification" not in html
