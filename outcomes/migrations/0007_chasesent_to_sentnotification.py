"""Issue 17: the chases sent move to the platform's one sent-email log. Each ChaseSent row
becomes a SentNotification with the key outcomes.predictions.services.chase_key builds
(topic outcomes.chase, kind chase, the collection, the school, the day as an ISO date), so a
school chased today before the upgrade is not chased again today after it. 0008 then drops
ChaseSent. Backwards copies the log's chases back (for the old code's guard) and removes them.
The strings are written out here: a migration must not change when the app's code does."""

import datetime as dt

from django.db import migrations

TOPIC, KIND = "outcomes.chase", "chase"


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forwards(apps, schema_editor):
    ChaseSent = apps.get_model("outcomes", "ChaseSent")
    SentNotification = apps.get_model("platform", "SentNotification")
    if not ChaseSent.objects.exists():
        return
    collection = content_type(apps, "outcomes", "datacollection")
    school = content_type(apps, "schools", "school")
    SentNotification.objects.bulk_create(
        [
            SentNotification(
                topic=TOPIC,
                kind=KIND,
                subject_type=collection,
                subject_id=row.collection_id,
                recipient_type=school,
                recipient_id=row.school_id,
                occasion=row.sent_on.isoformat(),
                recipients=[a.strip() for a in row.recipients.split(",") if a.strip()],
                sent_at=row.sent_at,
                sent_by_id=row.sent_by_id,
            )
            for row in ChaseSent.objects.iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    ChaseSent = apps.get_model("outcomes", "ChaseSent")
    DataCollection = apps.get_model("outcomes", "DataCollection")
    School = apps.get_model("schools", "School")
    SentNotification = apps.get_model("platform", "SentNotification")
    logged = SentNotification.objects.filter(topic=TOPIC)
    collections = set(DataCollection.objects.values_list("pk", flat=True))
    schools = set(School.objects.values_list("pk", flat=True))
    ChaseSent.objects.bulk_create(
        [
            ChaseSent(
                collection_id=n.subject_id,
                school_id=n.recipient_id,
                sent_on=dt.date.fromisoformat(n.occasion),
                sent_by_id=n.sent_by_id,
                recipients=", ".join(n.recipients),
            )
            for n in logged.iterator()
            if n.subject_id in collections and n.recipient_id in schools
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    logged.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0006_prior_attainment_measures"),
        ("platform", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
