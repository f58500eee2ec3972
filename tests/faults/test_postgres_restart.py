"""PostgreSQL restarted under load: the portal (gunicorn, persistent connections with health
checks) recovers by itself, and no request made after the restart fails.

Runs against a PRIVATE PostgreSQL (tests/faults/private.py), never the shared one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .private import free_port, port_open, wait_until

pytestmark = [pytest.mark.services]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "restart-test-password-2016"
PAGES = ["/", "/schools/", "/healthz"]


def portal_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pep_portal.settings.local",
        "DEBUG": "0",
        "SECRET_KEY": "postgres-restart-test",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",  # persistent connections: the case health checks are for
        "REDIS_URL": "",
        "REQUIRE_MFA_FOR_STAFF": "false",
        "PYTHONPATH": str(ROOT),
    }


def manage(env, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def signed_in_session(base: str):
    import requests

    session = requests.Session()
    # The port opens when gunicorn's master binds; its workers may still be importing Django
    # (seconds on a loaded 2-core machine), so the first page gets a longer wait.
    page = session.get(f"{base}/accounts/login/", timeout=60)
    assert page.status_code == 200
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "login": "board@restart.example",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:300]
    return session


def test_the_portal_recovers_from_a_postgres_restart_without_a_restart_of_its_own(
    private_postgres, tmp_path
):
    private_postgres.createdb("portal")
    env = portal_env(private_postgres.url("portal"))
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    manage(env, "migrate", "--noinput")
    manage(
        env,
        "shell",
        "-c",
        "from pep_portal.accounts.models import User, Role; "
        "u = User(email='board@restart.example', role=Role.BOARD_MEMBER); "
        f"u.set_password('{PASSWORD}'); u.save()",
    )
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pep_portal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: port_open(port), 30, "gunicorn to listen")
        base = f"http://127.0.0.1:{port}"
        session = signed_in_session(base)
        results: list[tuple[float, float, str, int | str]] = []
        stop = threading.Event()

        def browse(offset: int) -> None:
            import requests

            mine = requests.Session()
            mine.cookies.update(session.cookies)
            i = offset
            while not stop.is_set():
                url = PAGES[i % len(PAGES)]
                i += 1
                began = time.monotonic()
                try:
                    outcome: int | str = mine.get(base + url, timeout=15).status_code
                except Exception as exc:
                    outcome = type(exc).__name__
                results.append((began, time.monotonic(), url, outcome))

        threads = [threading.Thread(target=browse, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(3)
        restart_began = time.monotonic()
        private_postgres.restart()  # fast shutdown: every open connection is cut
        restarted = time.monotonic()
        time.sleep(8)
        stop.set()
        for t in threads:
            t.join(timeout=30)

        before = [r for r in results if r[1] < restart_began]
        after = [r for r in results if r[0] >= restarted]
        assert before and all(r[3] == 200 for r in before), "the portal was not healthy first"
        failures = [r for r in after if r[3] != 200]
        assert not failures, f"requests after the restart failed: {failures[:5]}"
        assert len(after) >= 20, f"only {len(after)} requests after the restart"
        assert {r[2] for r in after} == set(PAGES)
        assert gunicorn.poll() is None, "gunicorn died"
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        log.close()
