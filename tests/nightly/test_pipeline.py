"""The nightly run's machinery, run eagerly in-process (the embedded default).

The same behaviours through a real Celery worker, Redis and PostgreSQL are in
test_worker.py.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from outcomes.models import DashboardFigure
from pep_portal import nightly
from pep_portal.nightly import selectors, services
from pep_portal.nightly.models import CurrentSnapshot, NightlyChunk, NightlyRun

pytestmark = pytest.mark.django_db


def recompute(capture, trigger=NightlyRun.Trigger.COMMAND):
    with capture(execute=True):
        run = services.nightly_run_start(trigger=trigger)
    run.refresh_from_db()
    return run


def served_probe_values():
    run_id = selectors.current_run_id()
    return dict(
        DashboardFigure.objects.filter(run_id=run_id, key__startswith="probe-").values_list(
            "key", "data__value"
        )
    )


def test_a_run_writes_a_snapshot_and_publishes_it(probe_step, django_capture_on_commit_callbacks):
    cache.set(probe_step.VALUE, 41)
    run = recompute(django_capture_on_commit_callbacks)
    assert run.status == NightlyRun.Status.SUCCEEDED
    assert run.published and not run.errors
    assert run.rows_written >= 3
    assert run.started_at <= run.finished_at
    assert selectors.current_run_id() == run.pk
    assert served_probe_values() == {"probe-0": 41, "probe-1": 41, "probe-2": 41}
    assert NightlyChunk.objects.filter(nightly_run=run, step="test_probe").count() == 3


def test_a_run_that_raises_half_way_leaves_the_last_good_snapshot_served(
    probe_step, django_capture_on_commit_callbacks
):
    cache.set(probe_step.VALUE, 1)
    good = recompute(django_capture_on_commit_callbacks)
    cache.set(probe_step.VALUE, 2)
    cache.set(probe_step.MODE, "raise")
    bad = recompute(django_capture_on_commit_callbacks)
    assert bad.status == NightlyRun.Status.FAILED
    assert not bad.published and bad.finished_at is not None
    assert "test_probe" in bad.errors[0] and "part 2" in bad.errors[0]
    assert "told to fail half-way" in bad.errors[0]
    # Part 1 of the failed run wrote rows, but the pages still read the good run's.
    assert DashboardFigure.objects.filter(run=bad).exists()
    assert selectors.current_run_id() == good.pk
    assert served_probe_values() == {"probe-0": 1, "probe-1": 1, "probe-2": 1}
    # The next run starts clean: the failed run's rows are deleted, and it succeeds.
    cache.delete(probe_step.MODE)
    cache.set(probe_step.VALUE, 3)
    after = recompute(django_capture_on_commit_callbacks)
    assert after.status == NightlyRun.Status.SUCCEEDED
    assert not DashboardFigure.objects.filter(run=bad).exists()
    assert served_probe_values() == {"probe-0": 3, "probe-1": 3, "probe-2": 3}


def test_a_second_trigger_while_a_run_is_active_is_refused(probe_step):
    first = services.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE, enqueue=False)
    with pytest.raises(services.NightlyRunAlreadyRunning) as exc:
        services.nightly_run_start(trigger=NightlyRun.Trigger.OFFICER, enqueue=False)
    assert exc.value.run == first
    assert NightlyRun.objects.count() == 1


def test_a_silent_run_is_marked_failed_and_the_next_run_succeeds(
    probe_step, django_capture_on_commit_callbacks, settings
):
    settings.NIGHTLY_STALE_SECONDS = 600
    killed = services.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE, enqueue=False)
    NightlyRun.objects.filter(pk=killed.pk).update(
        status=NightlyRun.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=11)
    )
    run = recompute(django_capture_on_commit_callbacks)
    killed.refresh_from_db()
    assert killed.status == NightlyRun.Status.FAILED
    assert "probably stopped or killed" in killed.errors[0]
    assert run.status == NightlyRun.Status.SUCCEEDED
    assert selectors.current_run_id() == run.pk


def test_a_run_still_sending_heartbeats_is_not_taken_for_dead(probe_step, settings):
    settings.NIGHTLY_STALE_SECONDS = 600
    alive = services.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE, enqueue=False)
    NightlyRun.objects.filter(pk=alive.pk).update(
        status=NightlyRun.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=9)
    )
    with pytest.raises(services.NightlyRunAlreadyRunning):
        services.nightly_run_start(trigger=NightlyRun.Trigger.OFFICER, enqueue=False)
    alive.refresh_from_db()
    assert alive.status == NightlyRun.Status.RUNNING


def test_a_repeat_run_serves_identical_figures(probe_step, django_capture_on_commit_callbacks):
    cache.set(probe_step.VALUE, 7)
    recompute(django_capture_on_commit_callbacks)
    before = served_probe_values()
    second = recompute(django_capture_on_commit_callbacks)
    assert second.status == NightlyRun.Status.SUCCEEDED
    assert served_probe_values() == before


def test_a_redelivered_chunk_writes_nothing_twice(probe_step):
    run = services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND, enqueue=False)
    NightlyRun.objects.filter(pk=run.pk).update(status=NightlyRun.Status.RUNNING)
    assert services.nightly_chunk_run(run_id=run.pk, step_name="test_probe", index=0, chunk=[0])
    assert not services.nightly_chunk_run(run_id=run.pk, step_name="test_probe", index=0, chunk=[0])
    assert DashboardFigure.objects.filter(run=run).count() == 1


def test_a_late_chunk_of_a_failed_run_writes_nothing(probe_step):
    run = services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND, enqueue=False)
    NightlyRun.objects.filter(pk=run.pk).update(status=NightlyRun.Status.RUNNING)
    real = probe_step.probe

    def probe_then_run_fails(*, run_id, chunk):
        rows = real(run_id=run_id, chunk=chunk)
        services.nightly_run_fail(run_id=run_id, error="marked stale meanwhile")
        return rows

    nightly.nightly_step("test_probe", order=15, chunks=probe_step.probe_chunks)(
        probe_then_run_fails
    )
    assert (
        services.nightly_chunk_run(run_id=run.pk, step_name="test_probe", index=0, chunk=[0]) == 0
    )
    assert not DashboardFigure.objects.filter(run=run).exists()
    assert not NightlyChunk.objects.filter(nightly_run=run).exists()


def test_old_published_snapshots_are_pruned_beyond_the_last_few(
    probe_step, django_capture_on_commit_callbacks, settings
):
    settings.NIGHTLY_KEEP_PUBLISHED = 2
    runs = [recompute(django_capture_on_commit_callbacks) for _ in range(4)]
    kept = set(DashboardFigure.objects.values_list("run_id", flat=True))
    # At the start of run 4, runs 2 and 3 were the newest published: run 1 was pruned.
    assert kept == {runs[1].pk, runs[2].pk, runs[3].pk}
    assert NightlyRun.objects.get(pk=runs[0].pk).snapshot_pruned
    assert NightlyRun.objects.count() == 4  # the history stays


def test_steps_with_the_same_order_form_one_stage(probe_step):
    nightly.nightly_step("test_twin", order=15)(lambda *, run_id, chunk: 0)
    try:
        stage = next(s for s in nightly.stages() if any(x.name == "test_probe" for x in s))
        assert {s.name for s in stage} == {"test_probe", "test_twin"}
        orders = [s[0].order for s in nightly.stages()]
        assert orders == sorted(orders)
    finally:
        nightly.unregister("test_twin")


def test_recompute_command_prints_the_outcome(probe_step, transactional_db, capsys):
    call_command("recompute")
    out = capsys.readouterr().out
    run = NightlyRun.objects.get()
    assert f"Nightly run {run.pk} succeeded" in out and "now served" in out
    assert CurrentSnapshot.objects.get().run == run


def test_recompute_command_fails_loudly_when_the_run_fails(probe_step, transactional_db):
    cache.set(probe_step.MODE, "raise")
    with pytest.raises(CommandError, match="previous snapshot is still served"):
        call_command("recompute")
    assert NightlyRun.objects.get().status == NightlyRun.Status.FAILED


def test_recompute_command_refuses_to_start_a_second_run(probe_step):
    services.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE, enqueue=False)
    with pytest.raises(CommandError, match="already in progress"):
        call_command("recompute")


@pytest.mark.django_db(serialized_rollback=True)
def test_the_nightly_schedule_is_in_celery_beat_at_half_past_two_london_time():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="pep_portal.tasks.nightly_scheduled_task")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert str(task.crontab.timezone) == "Europe/London"


def test_the_scheduled_task_starts_a_run_or_leaves_a_running_one_alone(
    probe_step, django_capture_on_commit_callbacks
):
    from pep_portal.nightly.tasks import nightly_scheduled_task

    with django_capture_on_commit_callbacks(execute=True):
        run_id = nightly_scheduled_task.delay().get()
    run = NightlyRun.objects.get(pk=run_id)
    assert run.trigger == NightlyRun.Trigger.SCHEDULE and run.published
    services.nightly_run_start(trigger=NightlyRun.Trigger.OFFICER, enqueue=False)
    assert nightly_scheduled_task.delay().get() is None
