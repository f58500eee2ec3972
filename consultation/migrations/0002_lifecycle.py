"""The consultation lifecycle: draft -> scheduled -> open -> closed -> response published.

Consultations made before this migration went live on save, so they keep that meaning: each
becomes *scheduled* (from when it was created), and one that has already opened counts as
having invited its audience (nobody is emailed about an old consultation). One that opens
later invites its audience when it opens, like every new one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_keep_their_meaning(apps, schema_editor):
    from django.db.models import F
    from django.utils import timezone

    Consultation = apps.get_model("consultation", "Consultation")
    now = timezone.now()
    Consultation.objects.update(stage="scheduled", scheduled_at=F("created_at"))
    Consultation.objects.filter(opens_at__lte=now).update(invitations_sent_at=F("opens_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='consultation',
            name='invitations_sent_at',
            field=models.DateTimeField(blank=True, help_text='When the audience was invited (once, when it opened).', null=True),
        ),
        migrations.AddField(
            model_name='consultation',
            name='scheduled_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='consultation',
            name='scheduled_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='consultation',
            name='stage',
            field=models.CharField(choices=[('draft', 'Draft'), ('scheduled', 'Scheduled')], default='draft', max_length=10),
        ),
        migrations.RunPython(existing_keep_their_meaning, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='consultation',
            name='feedback_html',
            field=models.TextField(blank=True, help_text='Sanitised HTML, published to respondents after closing.', verbose_name='we asked, you said, we did'),
        ),
        migrations.AlterField(
            model_name='reminderlog',
            name='kind',
            field=models.CharField(choices=[('op', 'Invitation when it opened'), ('7d', '7 days before closing'), ('1d', '1 day before closing'), ('rp', 'Response published')], max_length=2),
        ),
    ]
