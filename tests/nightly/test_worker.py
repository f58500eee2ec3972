"""The nightly run through a REAL Celery worker process, Redis and PostgreSQL (not eager).

Skipped locally without PostgreSQL and Redis; required in CI (PEP_REQUIRE_SERVICES=1).
"""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection

from outcomes.models import DashboardFigure
from pep_portal.nightly import selectors, services
from pep_portal.nightly.models import NightlyChunk, NightlyRun
from tests.nightly import steps as probe

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_and_wait(trigger=NightlyRun.Trigger.COMMAND, timeout=90):
    run = services.nightly_run_start(trigger=trigger)
    return services.nightly_run_wait(run, timeout=timeout, poll=0.2)


def served_probe_values():
    return dict(
        DashboardFigure.objects.filter(
            run_id=selectors.current_run_id(), key__startswith="probe-"
        ).values_list("key", "data__value")
    )


def wait_for(predicate, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def test_a_run_through_the_worker_publishes_its_snapshot(celery_worker_process):
    worker = celery_worker_process()
    cache.set(probe.VALUE, 11)
    run = run_and_wait()
    assert run.status == NightlyRun.Status.SUCCEEDED, run.errors
    assert run.published and selectors.current_run_id() == run.pk
    assert served_probe_values() == {"probe-0": 11, "probe-1": 11, "probe-2": 11}
    assert run.peak_memory_kb > 0  # measured in the worker's pool processes
    assert worker.proc.poll() is None


def test_a_run_raising_half_way_in_the_worker_keeps_the_previous_snapshot(
    celery_worker_process,
):
    celery_worker_process()
    cache.set(probe.VALUE, 1)
    good = run_and_wait()
    assert good.status == NightlyRun.Status.SUCCEEDED, good.errors
    cache.set(probe.MODE, "raise")
    cache.set(probe.VALUE, 2)
    bad = run_and_wait()
    assert bad.status == NightlyRun.Status.FAILED
    assert "told to fail half-way" in " ".join(bad.errors)
    assert selectors.current_run_id() == good.pk
    assert served_probe_values() == {"probe-0": 1, "probe-1": 1, "probe-2": 1}
    cache.delete(probe.MODE)
    again = run_and_wait()
    assert again.status == NightlyRun.Status.SUCCEEDED
    assert served_probe_values() == {"probe-0": 2, "probe-1": 2, "probe-2": 2}


def test_concurrent_triggers_do_not_interleave(celery_worker_process):
    celery_worker_process()
    cache.set(probe.MODE, "sleep")
    cache.set(probe.SLEEP, 1.5)
    started, refused = [], []

    def trigger():
        try:
            started.append(services.nightly_run_start(trigger=NightlyRun.Trigger.OFFICER).pk)
        except services.NightlyRunAlreadyRunning:
            refused.append(True)
        finally:
            connection.close()

    threads = [threading.Thread(target=trigger) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(started) == 1 and len(refused) == 3
    # While it runs, another trigger is refused too.
    with pytest.raises(services.NightlyRunAlreadyRunning):
        services.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE)
    run = services.nightly_run_wait(NightlyRun.objects.get(pk=started[0]), timeout=90)
    assert run.status == NightlyRun.Status.SUCCEEDED, run.errors
    # A second run afterwards starts only after the first finished: no overlap in time.
    second = run_and_wait()
    assert second.started_at >= run.finished_at
    first_chunks = NightlyChunk.objects.filter(nightly_run=run)
    assert max(first_chunks.values_list("finished_at", flat=True)) <= second.started_at
    assert NightlyRun.objects.count() == 2


def test_a_killed_worker_leaves_the_last_good_snapshot_and_the_next_run_succeeds(
    celery_worker_process, settings
):
    worker = celery_worker_process()
    cache.set(probe.VALUE, "good")
    good = run_and_wait()
    assert good.status == NightlyRun.Status.SUCCEEDED, good.errors
    cache.set(probe.VALUE, "doomed")
    cache.set(probe.MODE, "sleep")
    cache.set(probe.SLEEP, 60)
    doomed = services.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE)

    def probe_stage_running():
        doomed.refresh_from_db()
        return "test probe" in doomed.stage_name

    wait_for(probe_stage_running, what="the probe stage to start")
    time.sleep(0.5)
    worker.kill()  # SIGKILL to the worker and its pool: no chance to clean up
    assert selectors.current_run_id() == good.pk
    assert served_probe_values() == {"probe-0": "good", "probe-1": "good", "probe-2": "good"}
    # Until it goes stale, the dead run still holds the lock.
    with pytest.raises(services.NightlyRunAlreadyRunning):
        services.nightly_run_start(trigger=NightlyRun.Trigger.OFFICER, enqueue=False)
    settings.NIGHTLY_STALE_SECONDS = 2
    time.sleep(2.5)
    celery_worker_process()
    cache.delete(probe.MODE)
    cache.set(probe.VALUE, "next")
    after = run_and_wait()
    doomed.refresh_from_db()
    assert doomed.status == NightlyRun.Status.FAILED and not doomed.published
    assert "probably stopped or killed" in doomed.errors[0]
    assert after.status == NightlyRun.Status.SUCCEEDED, after.errors
    assert served_probe_values() == {"probe-0": "next", "probe-1": "next", "probe-2": "next"}
    assert not DashboardFigure.objects.filter(run=doomed).exists()


def test_a_full_run_in_the_worker_gives_the_hand_worked_rag(celery_worker_process):
    from outcomes.models import SchoolSummary

    from . import handworked

    celery_worker_process()
    data = handworked.build()
    run = run_and_wait()
    assert run.status == NightlyRun.Status.SUCCEEDED, run.errors
    assert handworked.la_table(run.pk, data) == handworked.EXPECTED_LA
    summaries = dict(SchoolSummary.objects.filter(run=run).values_list("school__name", "concern"))
    assert summaries == {"Weak Primary": "maximum", "Strong Primary": "minimum"}
    # A repeat run through the worker serves exactly the same figures.
    again = run_and_wait()
    assert handworked.la_table(again.pk, data) == handworked.EXPECTED_LA
    assert selectors.current_run_id() == again.pk
