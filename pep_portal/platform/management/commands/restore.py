from pep_portal.platform.backups import backup_restore
from pep_portal.platform.management.backup_command import BackupCommand


class Command(BackupCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, which must "
        "be empty (create it first: createdb NAME), and MEDIA_ROOT; then check every table's "
        "row count against the backup's manifest. Do not run `migrate` first."
    )
    path_help = "The backup directory."

    def run(self, path: str) -> str:
        report = backup_restore(path=path)
        return (
            f"Restored {report['tables']} tables ({report['rows']} rows, every count as in "
            f"the backup) and {report['media_files']} uploaded file(s) from {path}"
        )
