"""ImportJob moves from pep_portal.accounts to the imports app that owns it (issue 17).

State only: the table keeps its name (``pep_portal_importjob``, ``Meta.db_table``), so no row
is copied and no SQL runs (``sqlmigrate imports 0001`` prints none). Its content type is
relabelled so the audit log and admin history of every job stay with it.
pep_portal's 0007 then removes the model from pep_portal's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APP_LABEL = "imports"
MODELS = ["importjob"]


def move_content_types(apps, schema_editor, from_label, to_label):
    """Relabel the models' content types, so the permissions, admin log entries and audit log
    entries that point at them (by content type id) stay with the moved models.

    A new database has none yet (post_migrate creates them after migrating). Should one
    already exist under the new label, it has no history (the models had none there): it
    gives way to the old one, which keeps the history.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=from_label, model=model).exists():
            continue
        types.filter(app_label=to_label, model=model).delete()
        types.filter(app_label=from_label, model=model).update(app_label=to_label)


def forward(apps, schema_editor):
    move_content_types(apps, schema_editor, "pep_portal", APP_LABEL)


def backward(apps, schema_editor):
    move_content_types(apps, schema_editor, APP_LABEL, "pep_portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("pep_portal", "0006_snapshot_rag_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(help_text='Which importer: gias, ofsted, results, ...', max_length=40)),
                        ('original_name', models.CharField(max_length=255)),
                        ('file', models.FileField(max_length=300, upload_to='imports/%Y/%m/')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Imported'), ('failed', 'Rejected')], default='queued', max_length=20)),
                        ('options', models.JSONField(blank=True, default=dict)),
                        ('rows_read', models.PositiveIntegerField(default=0)),
                        ('summary', models.JSONField(blank=True, default=dict)),
                        ('errors', models.JSONField(blank=True, default=list)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'pep_portal_importjob',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
