"""Issue 17: the leads' milestone reminders move to the platform's one sent-email log. Each
ReminderSent row becomes a SentNotification with the key actionplan.services.reminder_key
builds (topic actionplan.reminder, the stage as kind, the milestone, the user, the due date
as an ISO date), so a reminder sent before the upgrade is not sent again after it. 0003 then
drops ReminderSent. Backwards copies the log's rows back (for the old code's guard) and
removes them. The strings are written out here: a migration must not change when the app's
code does."""

import datetime as dt

from django.db import migrations

TOPIC = "actionplan.reminder"


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forwards(apps, schema_editor):
    ReminderSent = apps.get_model("actionplan", "ReminderSent")
    SentNotification = apps.get_model("platform", "SentNotification")
    if not ReminderSent.objects.exists():
        return
    milestone = content_type(apps, "actionplan", "milestone")
    user = content_type(apps, "pep_portal", "user")
    SentNotification.objects.bulk_create(
        [
            SentNotification(
                topic=TOPIC,
                kind=row.stage,
                subject_type=milestone,
                subject_id=row.milestone_id,
                recipient_type=user,
                recipient_id=row.recipient_id,
                occasion=row.due_date.isoformat(),
                recipients=[row.recipient.email] if row.recipient.email else [],
                sent_at=row.sent_at,
            )
            for row in ReminderSent.objects.select_related("recipient").iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    ReminderSent = apps.get_model("actionplan", "ReminderSent")
    Milestone = apps.get_model("actionplan", "Milestone")
    User = apps.get_model("pep_portal", "User")
    SentNotification = apps.get_model("platform", "SentNotification")
    logged = SentNotification.objects.filter(topic=TOPIC)
    milestones = set(Milestone.objects.values_list("pk", flat=True))
    users = set(User.objects.values_list("pk", flat=True))
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(
                milestone_id=n.subject_id,
                recipient_id=n.recipient_id,
                stage=n.kind,
                due_date=dt.date.fromisoformat(n.occasion),
                sent_at=n.sent_at,
            )
            for n in logged.iterator()
            if n.subject_id in milestones and n.recipient_id in users
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    logged.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0001_initial"),
        ("platform", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
