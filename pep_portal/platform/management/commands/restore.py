from django.core.management.base import BaseCommand, CommandError

from pep_portal.platform.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, which must "
        "be empty (create it first: createdb NAME), and MEDIA_ROOT; then check every table's "
        "row count against the backup's manifest. Do not run `migrate` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup directory.")

    def handle(self, *args, path, **options):
        try:
            report = backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report['tables']} tables ({report['rows']} rows, every count as in "
                f"the backup) and {report['media_files']} uploaded file(s) from {path}"
            )
        )
