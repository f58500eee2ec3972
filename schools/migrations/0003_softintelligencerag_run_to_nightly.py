"""SoftIntelligenceRag.run follows NightlyRun to the nightly app (issue 17; nightly 0001).

State only: the column and its foreign key constraint are unchanged (the table behind the
model is the same), so no SQL runs.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('nightly', '0001_initial'),
        ('schools', '0002_datasharingagreement_softintelligence_and_more'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='softintelligencerag',
                    name='run',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='nightly.nightlyrun'),
                ),
            ],
        ),
    ]
