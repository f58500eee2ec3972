"""What ``manage.py backup PATH`` and ``manage.py restore PATH`` share: the one argument, a
refusal (BackupError) as a CommandError (exit status 1), the outcome as one line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pep_portal.platform.backups import BackupError


class BackupCommand(BaseCommand):
    path_help: str

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.path_help)

    def run(self, path: str) -> str:
        """Do the work; the line to print when it is done."""
        raise NotImplementedError

    def handle(self, *args, path, **options):
        try:
            done = self.run(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(done))
