"""Django's system checks, database checks included, as `make demo` and `manage.py migrate`
run them: a fresh machine's first command shows no warning to puzzle over."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_embedded_default_database_passes_every_check_without_a_warning(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "pep_portal.settings.local",
    }
    env.pop("REDIS_URL", None)
    env.pop("REDIS_CACHE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
