"""A backup restored into a FRESH database has every row, every uploaded file and the beat
schedule that was there. PostgreSQL (pg_dump/pg_restore) in CI; SQLite when that is the
test database. The restore runs as `manage.py restore` in a separate process pointed at the
new database, as an operator would run it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from pep_portal.accounts.models import Role
from pep_portal.imports.models import ImportJob
from pep_portal.platform import backups
from tests.conftest import require_service
from tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
NIGHTLY = "Nightly recompute (RAG, ranks, dashboard figures)"
UPLOAD = b"URN,Inspection date\n116001,12-03-2019\n" + bytes(range(256))


def load_portal_data(media_root: Path) -> dict:
    """Some of everything: register, results, users, an uploaded file, a schedule change."""
    la = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    trust = TrustFactory(name="Solent Academies Trust")
    schools = [SchoolFactory(la=la, trust=trust, urn=116001 + i) for i in range(5)]
    officer = UserFactory(email="officer@backup.example", officer=True)
    UserFactory(email="head@backup.example", role=Role.HEADTEACHER, school=schools[0])
    job = ImportJob(kind="ofsted", original_name="ofsted.csv", created_by=officer)
    job.file.save("ofsted.csv", ContentFile(UPLOAD), save=False)
    job.save()
    # The officer moves the nightly run to 03:15 in the admin. (Transactional tests empty
    # the tables the data migration filled, so the schedule is made again if missing.)
    task = PeriodicTask.objects.filter(name=NIGHTLY).first() or PeriodicTask(
        name=NIGHTLY, task="pep_portal.tasks.nightly_scheduled_task"
    )
    task.crontab = CrontabSchedule.objects.create(
        minute="15",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    task.save()
    return {"file": Path(job.file.path).relative_to(media_root)}


def restore_in_subprocess(backup_dir: Path, database_url: str, media_root: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pep_portal.settings.local",
        "DEBUG": "0",
        "SECRET_KEY": "backup-restore-test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "REDIS_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def back_up(tmp_path, settings):
    source_media = tmp_path / "media"
    settings.MEDIA_ROOT = str(source_media)
    loaded = load_portal_data(source_media)
    expected_counts = backups.table_row_counts()
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir), stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = backups.read_manifest(backup_dir)
    assert manifest["row_counts"] == expected_counts
    nightly = next(t for t in manifest["celery_beat"] if t["name"] == NIGHTLY)
    assert (nightly["crontab"]["hour"], nightly["crontab"]["minute"]) == ("3", "15")
    return backup_dir, loaded, expected_counts


def assert_media_restored(media_root: Path, loaded: dict) -> None:
    assert (media_root / loaded["file"]).read_bytes() == UPLOAD


def test_postgres_backup_restores_every_row_file_and_setting_into_a_fresh_database(
    tmp_path, settings
):
    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://..."
    )
    require_service("pg_dump and pg_restore", backups.pg_tools_available())
    import psycopg2

    backup_dir, loaded, expected = back_up(tmp_path, settings)
    db = connection.settings_dict
    fresh = f"pep_restore_{uuid.uuid4().hex[:10]}"
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = (
            f"postgres://{params['user']}{':' + params['password'] if params['password'] else ''}"
            f"@{params['host']}:{params['port']}/{fresh}"
        )
        done = restore_in_subprocess(backup_dir, url, tmp_path / "restored-media")
        assert done.returncode == 0, done.stderr[-3000:]
        assert "every count as in the backup" in done.stdout

        restored = psycopg2.connect(dbname=fresh, **params)
        try:
            cursor = restored.cursor()
            counts = {}
            for table in expected:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            assert counts == expected
            cursor.execute(
                "SELECT c.hour, c.minute FROM django_celery_beat_periodictask p "
                "JOIN django_celery_beat_crontabschedule c ON c.id = p.crontab_id "
                "WHERE p.name = %s",
                [NIGHTLY],
            )
            assert cursor.fetchone() == ("3", "15")
            cursor.execute("SELECT email FROM pep_portal_user ORDER BY email")
            assert ("officer@backup.example",) in cursor.fetchall()
        finally:
            restored.close()
        assert_media_restored(tmp_path / "restored-media", loaded)

        # A second restore into the now non-empty database is refused, changing nothing.
        again = restore_in_subprocess(backup_dir, url, tmp_path / "other-media")
        assert again.returncode != 0 and "Restore only into an empty database" in again.stderr
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.close()


def test_sqlite_backup_restores_every_row_file_and_setting_into_a_fresh_database(
    tmp_path, settings
):
    if connection.vendor != "sqlite":
        pytest.skip("the test database is not SQLite (the PostgreSQL test covers this run)")
    backup_dir, loaded, expected = back_up(tmp_path, settings)
    fresh = tmp_path / "fresh.sqlite3"
    done = restore_in_subprocess(backup_dir, f"sqlite:///{fresh}", tmp_path / "restored-media")
    assert done.returncode == 0, done.stderr[-3000:]
    restored = sqlite3.connect(fresh)
    try:
        counts = {
            t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
            for t in expected
        }
        assert counts == expected
        schedule = restored.execute(
            "SELECT c.hour, c.minute FROM django_celery_beat_periodictask p "
            "JOIN django_celery_beat_crontabschedule c ON c.id = p.crontab_id WHERE p.name = ?",
            [NIGHTLY],
        ).fetchone()
        assert schedule == ("3", "15")
    finally:
        restored.close()
    assert_media_restored(tmp_path / "restored-media", loaded)
