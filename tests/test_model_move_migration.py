"""Issue 17's model move survives an upgrade: ImportJob (to imports), NightlyRun, NightlyChunk
and CurrentSnapshot (to nightly) and the snapshot's figure tables (to outcomes) leave
pep_portal's models without a row copied or a table touched.

The database is migrated back to just before the move, rows are written through the models
as they were then (a user's import, a published run and its snapshot, an admin history entry,
a permission), and migrated forward again: every row reads back through the owning app's
model with the same id, and the history and the permission point at the moved model.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outcomes.models import (
    DashboardFigure,
    IndicatorFigure,
    PredictionSignal,
    SchoolFigure,
    SchoolSummary,
)
from pep_portal.imports.models import ImportJob
from pep_portal.nightly.models import CurrentSnapshot, NightlyChunk, NightlyRun
from schools.models import SoftIntelligenceRag

pytestmark = pytest.mark.django_db(transaction=True)

# Just before the move: the apps that receive the models have no migrations applied.
BEFORE = [
    ("pep_portal", "0006_snapshot_rag_codes"),
    ("outcomes", "0009_result_school_id_index"),
    ("schools", "0002_datasharingagreement_softintelligence_and_more"),
    ("nightly", None),
    ("imports", None),
]
# Just after it. Later migrations (e.g. schools' register-page indexes) are not part of the
# move: the test steps back to here first, so only the move's own SQL is measured.
AFTER = [
    ("pep_portal", "0007_models_to_owning_apps"),
    ("outcomes", "0010_snapshot_figures_from_pep_portal"),
    ("schools", "0003_softintelligencerag_run_to_nightly"),
    ("nightly", "0001_initial"),
    ("imports", "0001_initial"),
]
MOVED = {
    "importjob": "imports",
    "nightlyrun": "nightly",
    "nightlychunk": "nightly",
    "currentsnapshot": "nightly",
    "indicatorfigure": "outcomes",
    "schoolfigure": "outcomes",
    "schoolsummary": "outcomes",
    "dashboardfigure": "outcomes",
}
SCHEMA_CHANGES = ("CREATE", "ALTER", "DROP")


def migrate(targets) -> tuple[object, list[str]]:
    """Migrate to ``targets`` (None: every app's latest); the state and the SQL it ran."""
    executor = MigrationExecutor(connection)
    if targets is None:
        targets = executor.loader.graph.leaf_nodes()
    with CaptureQueriesContext(connection) as queries:
        state = executor.migrate(targets)
    ContentType.objects.clear_cache()
    return state, [q["sql"] for q in queries.captured_queries]


def schema_changes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(SCHEMA_CHANGES)]


def content_type_ids() -> dict[str, int]:
    return dict(ContentType.objects.filter(model__in=MOVED).values_list("model", "pk").order_by())


def write_before_the_move(old) -> dict[str, int]:
    """What a portal had before the upgrade, written through the models as they were."""
    User = old.get_model("pep_portal", "User")
    officer = User.objects.create(email="officer.move@pep.example", role="officer")
    la = old.get_model("schools", "LocalAuthority").objects.create(code=990, name="Moveshire")
    school = old.get_model("schools", "School").objects.create(urn=990001, la=la, name="Move Pr")
    measure = old.get_model("outcomes", "Measure").objects.order_by("pk").first()
    job = old.get_model("pep_portal", "ImportJob").objects.create(
        kind="gias",
        original_name="edubasealldata.csv",
        file="imports/2026/11/edubasealldata.csv",
        status="succeeded",
        rows_read=3,
        created_by=officer,
    )
    run = old.get_model("pep_portal", "NightlyRun").objects.create(
        status="succeeded", active=None, published=True, published_at=timezone.now()
    )
    chunk = old.get_model("pep_portal", "NightlyChunk").objects.create(
        nightly_run=run, step="outcomes_la", index=0, rows_written=1
    )
    old.get_model("pep_portal", "CurrentSnapshot").objects.update_or_create(
        singleton=1, defaults={"run": run}
    )
    figure = old.get_model("pep_portal", "IndicatorFigure").objects.create(
        run=run, measure=measure, la=la, year=2016, group="all", value=61.0, rag="amber"
    )
    school_figure = old.get_model("pep_portal", "SchoolFigure").objects.create(
        run=run, school=school, measure=measure, year=2016, group="all", value=58.0, rag="red"
    )
    summary = old.get_model("pep_portal", "SchoolSummary").objects.create(
        run=run, school=school, la=la, year=2016, rag="red", reds=1
    )
    block = old.get_model("pep_portal", "DashboardFigure").objects.create(
        run=run, key="overview", la=la, data={"schools": 1}
    )
    soft = old.get_model("schools", "SoftIntelligenceRag").objects.create(
        run=run, school=school, academic_year=2016, term="spring", rag="green"
    )
    collection = old.get_model("outcomes", "DataCollection").objects.create(
        title="KS2, spring",
        key_stage="KS2",
        academic_year=2017,
        term="spring",
        deadline=timezone.now(),
    )
    signal = old.get_model("outcomes", "PredictionSignal").objects.create(
        run=run, school=school, collection=collection, level="moderate"
    )
    job_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="pep_portal", model="importjob"
    )
    history = old.get_model("admin", "LogEntry").objects.create(
        user=officer,
        content_type=job_type,
        object_id=str(job.pk),
        object_repr="gias import",
        action_flag=2,
        change_message="",
        action_time=timezone.now(),
    )
    permission = old.get_model("auth", "Permission").objects.get(
        content_type=job_type, codename="view_importjob"
    )
    officer.user_permissions.add(permission)
    return {
        "officer": officer.pk,
        "job": job.pk,
        "run": run.pk,
        "chunk": chunk.pk,
        "figure": figure.pk,
        "school_figure": school_figure.pk,
        "summary": summary.pk,
        "block": block.pk,
        "soft": soft.pk,
        "signal": signal.pk,
        "history": history.pk,
        "permission": permission.pk,
    }


def test_the_move_keeps_every_row_its_history_and_the_published_snapshot():
    types = content_type_ids()
    assert set(types) == set(MOVED)
    try:
        migrate(AFTER)
        state, statements = migrate(BEFORE)
        assert schema_changes(statements) == []
        # Going back relabels the content types (same rows) to the models' old app.
        assert content_type_ids() == types
        assert set(
            ContentType.objects.filter(pk__in=types.values()).values_list("app_label", flat=True)
        ) == {"pep_portal"}
        ids = write_before_the_move(state.apps)
        _, statements = migrate(AFTER)
    finally:
        migrate(None)
    assert schema_changes(statements) == []

    # The same content type rows, under the owning apps' labels.
    assert content_type_ids() == types
    for model, app_label in MOVED.items():
        assert ContentType.objects.get(pk=types[model]).app_label == app_label

    job = ImportJob.objects.get(pk=ids["job"])
    assert (job.kind, job.status, job.rows_read, job.created_by_id) == (
        "gias",
        ImportJob.Status.SUCCEEDED,
        3,
        ids["officer"],
    )
    assert LogEntry.objects.get(pk=ids["history"]).get_edited_object() == job
    permission = Permission.objects.get(pk=ids["permission"])
    assert permission.content_type.model_class() is ImportJob
    assert permission.user_set.filter(pk=ids["officer"]).exists()

    run = NightlyRun.objects.get(pk=ids["run"])
    assert run.published and run.status == NightlyRun.Status.SUCCEEDED
    assert CurrentSnapshot.objects.get().run == run
    assert list(run.chunks.values_list("pk", flat=True)) == [ids["chunk"]]
    assert NightlyChunk.objects.get(pk=ids["chunk"]).nightly_run == run

    assert IndicatorFigure.objects.get(pk=ids["figure"], run=run).value == 61.0
    assert SchoolFigure.objects.get(pk=ids["school_figure"], run=run).rag == "red"
    assert SchoolSummary.objects.get(pk=ids["summary"], run=run).reds == 1
    assert DashboardFigure.objects.get(pk=ids["block"], run=run).data == {"schools": 1}
    assert SoftIntelligenceRag.objects.get(pk=ids["soft"]).run == run
    assert PredictionSignal.objects.get(pk=ids["signal"]).run == run
