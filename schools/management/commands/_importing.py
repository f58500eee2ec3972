"""What import_gias and import_ofsted share: run the import, print the outcome."""

from django.core.management.base import CommandError

from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file


def run_import(command, *, kind: str, path: str, **options) -> None:
    try:
        summary = import_file(kind=kind, path=path, **options)
    except FileNotFoundError:
        raise CommandError(f"There is no file at {path}.")
    except ImportRejected as exc:
        command.stderr.write(f"{path} was rejected; nothing was imported:")
        for error in exc.errors:
            command.stderr.write(f"  {error}")
        raise CommandError(f"{len(exc.errors)} problem(s) in {path}.")
    command.stdout.write(command.style.SUCCESS(f"Imported {path}"))
    for key, value in summary.items():
        command.stdout.write(f"  {key}: {value}")
