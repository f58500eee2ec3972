from django.core.management.base import BaseCommand, CommandError

from pep_portal.platform.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's backup API), every uploaded "
        "file (MEDIA_ROOT) and a manifest (row counts, Celery beat schedule) into PATH, a new "
        "directory. Restore with `manage.py restore PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A new (or empty) directory to write the backup into.")

    def handle(self, *args, path, **options):
        try:
            manifest = backup_create(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest['row_counts'])} tables ({rows} rows), "
                f"{manifest['media_files']} uploaded file(s) and "
                f"{len(manifest['celery_beat'])} scheduled task(s) to {path}"
            )
        )
