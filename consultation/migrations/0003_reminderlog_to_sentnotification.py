"""Issue 17: the consultation's emails to schools move to the platform's one sent-email log.
Each ReminderLog row becomes a SentNotification with the key
consultation.notifications.school_email_key builds (topic consultation.school_email, the
kind: op/7d/1d/rp, the consultation, the school, no occasion), so a school invited or
reminded before the upgrade is not emailed again after it. 0004 then drops ReminderLog.
Backwards copies the log's rows back (for the old code's guard) and removes them. The
strings are written out here: a migration must not change when the app's code does."""

from django.db import migrations

TOPIC = "consultation.school_email"


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forwards(apps, schema_editor):
    ReminderLog = apps.get_model("consultation", "ReminderLog")
    SentNotification = apps.get_model("platform", "SentNotification")
    if not ReminderLog.objects.exists():
        return
    consultation = content_type(apps, "consultation", "consultation")
    school = content_type(apps, "schools", "school")
    SentNotification.objects.bulk_create(
        [
            SentNotification(
                topic=TOPIC,
                kind=row.kind,
                subject_type=consultation,
                subject_id=row.consultation_id,
                recipient_type=school,
                recipient_id=row.school_id,
                occasion="",
                recipients=row.recipients,
                sent_at=row.sent_at,
            )
            for row in ReminderLog.objects.iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    ReminderLog = apps.get_model("consultation", "ReminderLog")
    Consultation = apps.get_model("consultation", "Consultation")
    School = apps.get_model("schools", "School")
    SentNotification = apps.get_model("platform", "SentNotification")
    logged = SentNotification.objects.filter(topic=TOPIC)
    consultations = set(Consultation.objects.values_list("pk", flat=True))
    schools = set(School.objects.values_list("pk", flat=True))
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                consultation_id=n.subject_id,
                school_id=n.recipient_id,
                kind=n.kind,
                recipients=n.recipients,
                sent_at=n.sent_at,
            )
            for n in logged.iterator()
            if n.subject_id in consultations and n.recipient_id in schools
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    logged.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0002_lifecycle"),
        ("platform", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
