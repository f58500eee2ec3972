"""Issue 17: the members' meeting reminders move to the platform's one sent-email log. Each
ReminderSent row becomes a SentNotification with the key
partnership.governance.services.reminder_key builds (topic partnership.meeting_reminder, the
kind: papers/meeting, the meeting, the person, no occasion), so a reminder sent before the
upgrade is not sent again after it. 0004 then drops ReminderSent. Backwards copies the log's
rows back (for the old code's guard) and removes them. The strings are written out here: a
migration must not change when the app's code does."""

from django.db import migrations

TOPIC = "partnership.meeting_reminder"


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def contact_email(person):
    if person.user_id and person.user.email:
        return person.user.email
    return person.email


def forwards(apps, schema_editor):
    ReminderSent = apps.get_model("partnership", "ReminderSent")
    SentNotification = apps.get_model("platform", "SentNotification")
    if not ReminderSent.objects.exists():
        return
    meeting = content_type(apps, "partnership", "meeting")
    person = content_type(apps, "partnership", "person")
    SentNotification.objects.bulk_create(
        [
            SentNotification(
                topic=TOPIC,
                kind=row.kind,
                subject_type=meeting,
                subject_id=row.meeting_id,
                recipient_type=person,
                recipient_id=row.person_id,
                occasion="",
                recipients=[e for e in [contact_email(row.person)] if e],
                sent_at=row.sent_at,
            )
            for row in ReminderSent.objects.select_related("person__user").iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    ReminderSent = apps.get_model("partnership", "ReminderSent")
    Meeting = apps.get_model("partnership", "Meeting")
    Person = apps.get_model("partnership", "Person")
    SentNotification = apps.get_model("platform", "SentNotification")
    logged = SentNotification.objects.filter(topic=TOPIC)
    meetings = set(Meeting.objects.values_list("pk", flat=True))
    people = set(Person.objects.values_list("pk", flat=True))
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(meeting_id=n.subject_id, person_id=n.recipient_id, kind=n.kind)
            for n in logged.iterator()
            if n.subject_id in meetings and n.recipient_id in people
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    logged.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0002_decision_suggested_reasons"),
        ("platform", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
