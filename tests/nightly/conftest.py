"""Nightly-run fixtures: the probe step in this process, and a REAL Celery worker process.

The worker runs `celery -A pep_portal worker` against the pytest-django test database (its
name passed through DATABASE_URL) and Redis, so the run goes through the broker, the chord
and separate processes exactly as in production. It needs PostgreSQL (SQLite's in-memory
test database cannot be shared with another process) and Redis: the tests skip locally
without them and fail in CI (conftest.require_service).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from pep_portal import nightly
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def probe_step():
    """Register the probe step in this process (eager runs) and remove it afterwards."""
    nightly.discover()
    import tests.nightly.steps as steps

    nightly.nightly_step(
        "test_probe",
        order=15,
        chunks=steps.probe_chunks,
        snapshot_models=["outcomes.DashboardFigure"],
    )(steps.probe)
    yield steps
    nightly.unregister("test_probe")


def redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def require_worker_services() -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://... (a worker process cannot share SQLite's test database)",
    )
    require_service("Redis", redis_available(), "set REDIS_URL=redis://...")


def _database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


class Worker:
    """A celery worker subprocess (its own process group, so SIGKILL takes the pool too)."""

    def __init__(self, queue: str, concurrency: int = 2):
        self.name = f"nightlytest-{uuid.uuid4().hex[:8]}@%h"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pep_portal.settings.local",
            "DEBUG": "0",
            "SECRET_KEY": "nightly-test-worker",
            "DATABASE_URL": _database_url(),
            "CONN_MAX_AGE": "0",
            "REDIS_URL": settings.CELERY_BROKER_URL,
            "REDIS_CACHE_URL": settings.CACHES["default"]["LOCATION"],
            "PYTHONPATH": str(ROOT),
        }
        self.log = open(ROOT / "var" / f"nightly-worker-{os.getpid()}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pep_portal",
                "worker",
                "-l",
                "warning",
                "-c",
                str(concurrency),
                "--pool=prefork",
                "-Q",
                queue,
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
                # The probe step: imported by the worker (Celery's own option), registered
                # on import; the portal finds steps only by autodiscovery.
                "--include",
                "tests.nightly.steps",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        from pep_portal.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"The Celery worker exited ({self.proc.returncode}); see {self.log.name}"
                )
            replies = app.control.ping(timeout=1.0)
            if any(self.name.split("@")[0] in name for reply in replies for name in reply):
                return
        raise RuntimeError("The Celery worker did not answer ping within a minute")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children, as an OOM killer or a crash would."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real worker; tasks sent from this process go through Redis to it (not eager)."""
    require_worker_services()
    from pep_portal.celery import app

    (ROOT / "var").mkdir(exist_ok=True)
    # A queue of its own: other sessions sharing this Redis (another test run, a benchmark)
    # neither take these tasks nor lose theirs to this worker.
    queue = f"nightly-test-{uuid.uuid4().hex[:8]}"
    settings.NIGHTLY_QUEUE = queue
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    workers: list[Worker] = []

    def start(concurrency: int = 2) -> Worker:
        worker = Worker(queue, concurrency)
        workers.append(worker)
        return worker

    start.workers = workers
    yield start
    for worker in workers:
        worker.stop()
    app.conf.task_always_eager = eager
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
