"""NightlyRun, NightlyChunk and CurrentSnapshot move from pep_portal.accounts to the nightly
app that owns them (issue 17).

State only: the tables keep their names (``pep_portal_nightlyrun`` ..., ``Meta.db_table``) and
their constraints' names, so no row is copied and no SQL runs (``sqlmigrate nightly 0001``
prints none): the published snapshot pointer survives. Their content types are relabelled so
permissions and history stay with them. The foreign keys other apps hold to NightlyRun follow
(schools 0003, outcomes 0010); pep_portal's 0007 then removes the models from its state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APP_LABEL = "nightly"
MODELS = ["nightlyrun", "nightlychunk", "currentsnapshot"]


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
                    name='NightlyRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='queued', max_length=20)),
                        ('active', models.BooleanField(default=True, editable=False, null=True)),
                        ('trigger', models.CharField(choices=[('schedule', 'Schedule'), ('officer', 'Officer (recompute now)'), ('command', 'Command line'), ('demo', 'Demo data load')], default='schedule', max_length=20)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('heartbeat_at', models.DateTimeField(blank=True, help_text='Last sign of life from a worker (stale-run detection).', null=True)),
                        ('stage', models.PositiveSmallIntegerField(default=0)),
                        ('stage_name', models.CharField(blank=True, max_length=200)),
                        ('stages_total', models.PositiveSmallIntegerField(default=0)),
                        ('chunks_total', models.PositiveIntegerField(default=0, help_text='Chunks in the current stage.')),
                        ('rows_written', models.BigIntegerField(default=0)),
                        ('peak_memory_kb', models.BigIntegerField(default=0, help_text='Largest resident memory of a worker process running a chunk.')),
                        ('errors', models.JSONField(blank=True, default=list)),
                        ('published', models.BooleanField(default=False)),
                        ('published_at', models.DateTimeField(blank=True, null=True)),
                        ('snapshot_pruned', models.BooleanField(default=False, help_text='Its snapshot rows were deleted (failed, or superseded).')),
                        ('triggered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'pep_portal_nightlyrun',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('active', True)), fields=('active',), name='one_active_nightly_run')],
                    },
                ),
                migrations.CreateModel(
                    name='NightlyChunk',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('step', models.CharField(max_length=80)),
                        ('index', models.PositiveIntegerField()),
                        ('rows_written', models.BigIntegerField(default=0)),
                        ('seconds', models.FloatField(default=0)),
                        ('peak_memory_kb', models.BigIntegerField(default=0)),
                        ('finished_at', models.DateTimeField(auto_now_add=True)),
                        ('nightly_run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chunks', to='nightly.nightlyrun')),
                    ],
                    options={
                        'db_table': 'pep_portal_nightlychunk',
                        'ordering': ['nightly_run', 'step', 'index'],
                        'constraints': [models.UniqueConstraint(fields=('nightly_run', 'step', 'index'), name='uniq_nightly_chunk')],
                    },
                ),
                migrations.CreateModel(
                    name='CurrentSnapshot',
                    fields=[
                        ('singleton', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                        ('switched_at', models.DateTimeField(blank=True, null=True)),
                        ('run', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='nightly.nightlyrun')),
                    ],
                    options={
                        'db_table': 'pep_portal_currentsnapshot',
                        'constraints': [models.CheckConstraint(condition=models.Q(('singleton', 1)), name='one_current_snapshot')],
                    },
                ),
            ],
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
