"""The nightly snapshot's figure tables (IndicatorFigure, SchoolFigure, SchoolSummary,
DashboardFigure) move from pep_portal.accounts to outcomes, the app that computes and reads
them (issue 17); PredictionSignal.run follows NightlyRun to the nightly app (nightly 0001).

State only: the tables keep their names (``pep_portal_indicatorfigure`` ...,
``Meta.db_table``), their indexes' and constraints' names, so the published snapshot is not
copied and no SQL runs (``sqlmigrate outcomes 0010`` prints none). Their content types are
relabelled. pep_portal's 0007 then removes the models from its state.
"""

import django.db.models.deletion
from django.db import migrations, models

APP_LABEL = "outcomes"
MODELS = ["indicatorfigure", "schoolfigure", "schoolsummary", "dashboardfigure"]


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

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ('nightly', '0001_initial'),
        ('outcomes', '0009_result_school_id_index'),
        ('pep_portal', '0006_snapshot_rag_codes'),
        ('schools', '0003_softintelligencerag_run_to_nightly'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='predictionsignal',
                    name='run',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='nightly.nightlyrun'),
                ),
                migrations.CreateModel(
                    name='DashboardFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(help_text="Which block, e.g. 'overview'.", max_length=60)),
                        ('data', models.JSONField(default=dict)),
                        ('la', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.localauthority')),
                        ('run', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='nightly.nightlyrun')),
                    ],
                    options={
                        'db_table': 'pep_portal_dashboardfigure',
                        'constraints': [models.UniqueConstraint(fields=('run', 'key', 'la'), name='uniq_dashboard_figure')],
                    },
                ),
                migrations.CreateModel(
                    name='IndicatorFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('group', models.CharField(max_length=20)),
                        ('value', models.FloatField(null=True)),
                        ('suppression', models.CharField(blank=True, max_length=20)),
                        ('cohort', models.PositiveIntegerField(null=True)),
                        ('ci_lower', models.FloatField(null=True)),
                        ('ci_upper', models.FloatField(null=True)),
                        ('national', models.FloatField(null=True)),
                        ('gap', models.FloatField(help_text='Value minus national, unrounded.', null=True)),
                        ('significance', models.CharField(blank=True, max_length=40)),
                        ('progress_band', models.CharField(blank=True, max_length=40)),
                        ('trend_direction', models.CharField(blank=True, max_length=20)),
                        ('rag', models.CharField(choices=[('red', 'Red'), ('amber', 'Amber'), ('green', 'Green'), ('none', 'No rating')], default='none', max_length=5)),
                        ('rag_reason', models.CharField(blank=True, help_text='Words stored by runs before reason codes.', max_length=255)),
                        ('rag_code', models.CharField(blank=True, help_text="Why the RAG: outcomes.calculations.rag's code.", max_length=30)),
                        ('rag_tolerance', models.FloatField(help_text='The tolerance the RAG was judged by.', null=True)),
                        ('neighbours_average', models.FloatField(null=True)),
                        ('gap_neighbours', models.FloatField(null=True)),
                        ('rank', models.PositiveSmallIntegerField(null=True)),
                        ('rank_n', models.PositiveSmallIntegerField(null=True)),
                        ('rank_joint', models.BooleanField(default=False)),
                        ('quartile', models.CharField(blank=True, max_length=1)),
                        ('previous_value', models.FloatField(null=True)),
                        ('change', models.FloatField(help_text='From the previous (consecutive) year.', null=True)),
                        ('previous_gap', models.FloatField(null=True)),
                        ('trend_change', models.FloatField(help_text='Latest minus two years before.', null=True)),
                        ('gap_closing', models.BooleanField(null=True)),
                        ('target_status', models.CharField(blank=True, max_length=20)),
                        ('target_text', models.CharField(blank=True, max_length=255)),
                        ('la', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.localauthority')),
                        ('measure', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='outcomes.measure')),
                        ('run', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='nightly.nightlyrun')),
                    ],
                    options={
                        'db_table': 'pep_portal_indicatorfigure',
                        'indexes': [models.Index(fields=['run', 'measure', 'year', 'group'], name='indfig_run_measure')],
                        'constraints': [models.UniqueConstraint(fields=('run', 'la', 'measure', 'year', 'group'), name='uniq_indicator_figure')],
                    },
                ),
                migrations.CreateModel(
                    name='SchoolFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('group', models.CharField(max_length=20)),
                        ('value', models.FloatField(null=True)),
                        ('suppression', models.CharField(blank=True, max_length=20)),
                        ('cohort', models.PositiveIntegerField(null=True)),
                        ('ci_lower', models.FloatField(null=True)),
                        ('ci_upper', models.FloatField(null=True)),
                        ('national', models.FloatField(null=True)),
                        ('gap', models.FloatField(help_text='Value minus national, unrounded.', null=True)),
                        ('significance', models.CharField(blank=True, max_length=40)),
                        ('progress_band', models.CharField(blank=True, max_length=40)),
                        ('trend_direction', models.CharField(blank=True, max_length=20)),
                        ('rag', models.CharField(choices=[('red', 'Red'), ('amber', 'Amber'), ('green', 'Green'), ('none', 'No rating')], default='none', max_length=5)),
                        ('rag_reason', models.CharField(blank=True, help_text='Words stored by runs before reason codes.', max_length=255)),
                        ('rag_code', models.CharField(blank=True, help_text="Why the RAG: outcomes.calculations.rag's code.", max_length=30)),
                        ('rag_tolerance', models.FloatField(help_text='The tolerance the RAG was judged by.', null=True)),
                        ('la_value', models.FloatField(null=True)),
                        ('gap_la', models.FloatField(null=True)),
                        ('gap_pupils', models.IntegerField(null=True)),
                        ('history', models.JSONField(blank=True, default=dict, help_text='The last three years: {"2014": 61.0, ...}.')),
                        ('trend_change', models.FloatField(null=True)),
                        ('measure', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='outcomes.measure')),
                        ('run', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='nightly.nightlyrun')),
                        ('school', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                    ],
                    options={
                        'db_table': 'pep_portal_schoolfigure',
                        'constraints': [models.UniqueConstraint(fields=('run', 'school', 'measure', 'group'), name='uniq_school_figure')],
                    },
                ),
                migrations.CreateModel(
                    name='SchoolSummary',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(null=True)),
                        ('rag', models.CharField(choices=[('red', 'Red'), ('amber', 'Amber'), ('green', 'Green'), ('none', 'No rating')], default='none', max_length=5)),
                        ('rag_reason', models.CharField(blank=True, max_length=255)),
                        ('reds', models.PositiveSmallIntegerField(default=0)),
                        ('ambers', models.PositiveSmallIntegerField(default=0)),
                        ('greens', models.PositiveSmallIntegerField(default=0)),
                        ('ofsted_grade', models.PositiveSmallIntegerField(null=True)),
                        ('ofsted_date', models.DateField(null=True)),
                        ('concern', models.CharField(blank=True, help_text='3Ms suggestion.', max_length=20)),
                        ('concern_reasons', models.JSONField(blank=True, default=list)),
                        ('la', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.localauthority')),
                        ('run', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='nightly.nightlyrun')),
                        ('school', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.school')),
                    ],
                    options={
                        'db_table': 'pep_portal_schoolsummary',
                        'indexes': [models.Index(fields=['run', 'la'], name='schsum_run_la')],
                        'constraints': [models.UniqueConstraint(fields=('run', 'school'), name='uniq_school_summary')],
                    },
                ),
            ],
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
