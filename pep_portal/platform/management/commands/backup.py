from pep_portal.platform.backups import backup_create
from pep_portal.platform.management.backup_command import BackupCommand


class Command(BackupCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's backup API), every uploaded "
        "file (MEDIA_ROOT) and a manifest (row counts, Celery beat schedule) into PATH, a new "
        "directory. Restore with `manage.py restore PATH`."
    )
    path_help = "A new (or empty) directory to write the backup into."

    def run(self, path: str) -> str:
        manifest = backup_create(path=path)
        rows = sum(manifest["row_counts"].values())
        return (
            f"Backed up {len(manifest['row_counts'])} tables ({rows} rows), "
            f"{manifest['media_files']} uploaded file(s) and "
            f"{len(manifest['celery_beat'])} scheduled task(s) to {path}"
        )
