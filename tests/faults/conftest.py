"""Private servers for fault tests (tests/faults/private.py) and a real Celery worker on them.

Each test that needs a binary (redis-server, PostgreSQL's initdb/pg_ctl) or the PostgreSQL
test database calls tests.conftest.require_service: skipped on a laptop without them,
failed in CI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import require_service

from .private import PrivatePostgres, PrivateRedis, can_run_postgres, redis_binary, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def private_redis():
    require_service("redis-server", redis_binary() is not None, "install redis-server")
    redis = PrivateRedis()
    yield redis
    redis.close()


@pytest.fixture
def private_postgres():
    ok, why = can_run_postgres()
    require_service("PostgreSQL server binaries", ok, why)
    pg = PrivatePostgres()
    yield pg
    pg.close()


def tolerant_cache(url: str) -> dict:
    """The CACHES setting production uses (see the README's operations section)."""
    return {
        "default": {
            "BACKEND": "pep_portal.platform.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (
        f"postgres://{s.get('USER') or 'postgres'}{password}@{s.get('HOST') or '127.0.0.1'}:"
        f"{s.get('PORT') or 5432}/{s['NAME']}"
    )


class Worker:
    """`celery -A pep_portal worker` on the private Redis and the test database."""

    def __init__(self, redis_url: str, concurrency: int = 2):
        self.name = f"faults-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pep_portal.settings.local",
            "DEBUG": "0",
            "SECRET_KEY": "faults-test-worker",
            "DATABASE_URL": test_database_url(),
            "CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "REDIS_CACHE_URL": redis_url,
            "PYTHONPATH": str(ROOT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the uploads this process stored
        }
        (ROOT / "var").mkdir(exist_ok=True)
        self.log_path = ROOT / "var" / f"faults-worker-{os.getpid()}.log"
        self.log = open(self.log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pep_portal",
                "worker",
                "-l",
                "info",
                "-c",
                str(concurrency),
                "--pool=prefork",
                "-n",
                f"{self.name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, app, timeout: float = 60) -> None:
        def answers() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"The worker exited; see {self.log_path}")
            try:
                return any(self.name in n for r in app.control.ping(timeout=0.5) for n in r)
            except Exception:
                return False

        wait_until(answers, timeout, "the Celery worker to answer ping", interval=0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)
        self.log.close()


@pytest.fixture
def celery_on(settings):
    """Point this process's Celery app at a broker URL (not eager); restored afterwards."""
    from pep_portal.celery import app

    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    workers: list[Worker] = []

    def use(redis_url: str) -> type[Worker]:
        app.conf.broker_url = redis_url
        app.conf.result_backend = redis_url
        app.conf.task_always_eager = False
        settings.CELERY_TASK_ALWAYS_EAGER = False
        forget_connections(app)

        def start(concurrency: int = 2) -> Worker:
            worker = Worker(redis_url, concurrency)
            workers.append(worker)
            worker.wait_ready(app)
            return worker

        return start

    yield use
    for worker in workers:
        worker.stop()
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
    forget_connections(app)


def forget_connections(app) -> None:
    """Drop the app's broker pool, producer pool and result backend (cached per thread), so the
    next task and the next ``AsyncResult.get`` use the broker and backend now configured; a
    backend left pointing at a stopped private Redis failed the worker tests that ran later."""
    app._pool = None
    app.amqp._producer_pool = None
    vars(app._local).pop("backend", None)


def require_postgres_test_database() -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://... (a worker process cannot share SQLite's test database)",
    )
