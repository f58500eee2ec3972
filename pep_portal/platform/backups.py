"""Backup and restore of the whole portal: the database, the uploaded files, a manifest.

A backup is a directory holding:
- ``database.dump``: ``pg_dump --format=custom`` of the database (PostgreSQL), or
  ``database.sqlite3``: a consistent copy made with SQLite's online backup API;
- ``media.tar.gz``: every file under MEDIA_ROOT (uploads, attachments, board papers);
- ``manifest.json``: when, which database, the row count of every table, and the Celery beat
  schedule and settings that live in the database (django-celery-beat), for checking by eye.

Restore goes into an EMPTY database (it refuses one with tables), then checks every table's
row count against the manifest and fails loudly on any difference.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar.gz"
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


# --- What is in a database ----------------------------------------------------------------


def table_row_counts(using: str = "default") -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = sorted(
            t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t"
        )
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def beat_schedule(using: str = "default") -> list[dict]:
    """The periodic tasks (django-celery-beat) with their schedules, as stored."""
    from django_celery_beat.models import PeriodicTask

    tasks = []
    for task in (
        PeriodicTask.objects.using(using)
        .select_related("crontab", "interval", "solar", "clocked")
        .order_by("name")
    ):
        tasks.append(
            {
                "name": task.name,
                "task": task.task,
                "enabled": task.enabled,
                "schedule": str(task.schedule),
                "crontab": (
                    {
                        "minute": task.crontab.minute,
                        "hour": task.crontab.hour,
                        "day_of_week": task.crontab.day_of_week,
                        "day_of_month": task.crontab.day_of_month,
                        "month_of_year": task.crontab.month_of_year,
                        "timezone": str(task.crontab.timezone),
                    }
                    if task.crontab
                    else None
                ),
                "interval": (
                    {"every": task.interval.every, "period": task.interval.period}
                    if task.interval
                    else None
                ),
                "kwargs": task.kwargs,
                "args": task.args,
            }
        )
    return tasks


def _pg_env_and_args(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


# --- Backup --------------------------------------------------------------------------------


def backup_create(*, path: str | Path, using: str = "default") -> dict:
    """Write a backup into ``path`` (a new or empty directory); returns the manifest."""
    target = Path(path)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new directory for the backup.")
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    db = connection.settings_dict
    # Counts first, then the dump: on a live portal a row written in between is in the dump
    # but not the counts; restore compares against the dump's own tables, see below.
    counts = table_row_counts(using)
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(db)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                "-f",
                str(target / PG_DUMP),
                db["NAME"],
            ],
            env,
        )
        database_file = PG_DUMP
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_COPY)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        database_file = SQLITE_COPY
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")

    media_root = Path(settings.MEDIA_ROOT)
    media_files = 0
    with tarfile.open(target / MEDIA_TAR, "w:gz") as tar:
        if media_root.is_dir():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                tar.add(file, arcname=str(file.relative_to(media_root)))
                media_files += 1
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": db["NAME"] if connection.vendor == "postgresql" else Path(str(db["NAME"])).name,
        "database_file": database_file,
        "media_files": media_files,
        "row_counts": counts,
        "celery_beat": beat_schedule(using),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    return manifest


# --- Restore -------------------------------------------------------------------------------


def read_manifest(path: str | Path) -> dict:
    manifest_path = Path(path) / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{path} is not a PEP Portal backup: it has no {MANIFEST}.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def backup_restore(*, path: str | Path, using: str = "default") -> dict:
    """Restore a backup into the (empty) database ``using`` and MEDIA_ROOT; verify counts.

    Returns {"tables": n, "rows": total, "media_files": n}. Raises BackupError on a
    non-empty database, a vendor mismatch, a failed restore or any row count that differs.
    """
    source = Path(path)
    manifest = read_manifest(source)
    connection = connections[using]
    if connection.vendor != manifest["vendor"]:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database; the portal is configured "
            f"for {connection.vendor}."
        )
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing:
        raise BackupError(
            f"The database already has {len(existing)} table(s). Restore only into an empty "
            "database (create a new one, or drop and recreate this one first)."
        )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        env, args = _pg_env_and_args(db)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *args,
                "-d",
                db["NAME"],
                str(source / PG_DUMP),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(source / SQLITE_COPY)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
        connection.close()

    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_TAR, "r:gz") as tar:
        members = tar.getmembers()
        clashes = [m.name for m in members if (media_root / m.name).exists()]
        if clashes:
            raise BackupError(
                f"MEDIA_ROOT ({media_root}) already holds {len(clashes)} of the backup's files "
                f"(e.g. {clashes[0]}): restore into an empty MEDIA_ROOT."
            )
        tar.extractall(media_root, filter="data")  # no absolute paths, no '..', no devices

    counts = table_row_counts(using)
    expected = manifest["row_counts"]
    differences = {
        table: (expected.get(table), counts.get(table))
        for table in set(expected) | set(counts)
        if expected.get(table) != counts.get(table)
    }
    if differences:
        shown = ", ".join(
            f"{t}: backup {a}, restored {b}" for t, (a, b) in sorted(differences.items())[:10]
        )
        raise BackupError(f"Restored row counts differ from the backup's manifest: {shown}")
    return {"tables": len(counts), "rows": sum(counts.values()), "media_files": len(members)}


def pg_tools_available() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))
