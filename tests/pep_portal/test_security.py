"""Security settings checked on real responses and with Django's own deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "pep.example.gov.uk",
    "DATABASE_URL": "postgres://pep:secret@db.invalid:5432/pep",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "DJANGO_SETTINGS_MODULE": "pep_portal.settings.production",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_djangos_deploy_checks():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**os.environ, **PRODUCTION_ENV}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        ("SECRET_KEY",),
        ("DATABASE_URL",),
        ("REDIS_URL",),
        ("ALLOWED_HOSTS",),
        ("DATABASE_URL", "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_without_a_required_variable(missing):
    # Set but empty, so a developer's .env (read without overwriting) cannot fill it in.
    env = {**os.environ, **PRODUCTION_ENV, **dict.fromkeys(missing, "")}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    named = {v for v in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS") if v in line}
    assert named == set(missing), line


def test_pages_send_a_strict_content_security_policy_and_frame_denial(client_as):
    response = client_as("board_member").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly(client, board_member):
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"login": board_member.email, "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
