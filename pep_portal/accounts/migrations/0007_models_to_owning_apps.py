"""The models that belonged to other apps leave pep_portal's state (issue 17): ImportJob is
the imports app's (imports 0001), NightlyRun, NightlyChunk and CurrentSnapshot the nightly
app's (nightly 0001), the snapshot's figure tables outcomes' (outcomes 0010).

State only: their tables stay where they are, now the owning apps' (``Meta.db_table``), so no
SQL runs (``sqlmigrate pep_portal 0007`` prints none). Runs after every app that holds a
foreign key to them has moved it (schools 0003, outcomes 0010).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
        ('nightly', '0001_initial'),
        ('outcomes', '0010_snapshot_figures_from_pep_portal'),
        ('pep_portal', '0006_snapshot_rag_codes'),
        ('schools', '0003_softintelligencerag_run_to_nightly'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='IndicatorFigure'),
                migrations.DeleteModel(name='SchoolFigure'),
                migrations.DeleteModel(name='SchoolSummary'),
                migrations.DeleteModel(name='DashboardFigure'),
                migrations.DeleteModel(name='CurrentSnapshot'),
                migrations.DeleteModel(name='NightlyChunk'),
                migrations.DeleteModel(name='NightlyRun'),
                migrations.DeleteModel(name='ImportJob'),
            ],
        ),
    ]
