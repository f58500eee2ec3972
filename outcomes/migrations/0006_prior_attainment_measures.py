"""Two context measures: the tested cohort's average prior attainment (KS1 average points
for KS2, KS2 average points for KS4), as DfE's performance tables publish them
(TKS1AVERAGE, KS2APS). They are inactive: not RAG-rated, ranked or shown as outcomes; the
school page's "similar schools" reads them as an input (prior attainment)."""

from django.db import migrations

MEASURES = [
    ("ks2_prior_ks1_aps", "KS2 cohort: average KS1 points score (prior attainment)",
     "KS2 prior attainment", "ks2", "TKS1AVERAGE", 900),
    ("ks4_prior_ks2_aps", "KS4 cohort: average KS2 points score (prior attainment)",
     "KS4 prior attainment", "ks4", "KS2APS", 910),
]


def load(apps, schema_editor):
    Measure = apps.get_model("outcomes", "Measure")
    for code, name, short, ks, column, order in MEASURES:
        Measure.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "short_name": short, "key_stage": ks, "unit": "score",
                "polarity": "higher_better", "decimal_places": 1,
                "has_confidence_interval": False, "has_quartile": False, "groups": ["all"],
                "is_headline": False, "is_active": False, "sort_order": order,
                "description": f"Context, not an outcome: published as {column}.",
            },
        )


def unload(apps, schema_editor):
    apps.get_model("outcomes", "Measure").objects.filter(
        code__in=[m[0] for m in MEASURES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0005_period_result")]

    operations = [migrations.RunPython(load, unload)]
