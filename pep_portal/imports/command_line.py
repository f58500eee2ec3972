"""The one command-line import runner: every ``import_*`` management command is an
``ImportCommand`` (or calls ``run_import``).

It runs an import through the same service as the import pages (all or nothing), prints
the importer's counts, and turns a rejected or missing file into a CommandError (exit
status 1) after listing every problem found, so scripts and people see the same messages.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from .framework import ImportRejected
from .services import import_file


def run_import(command: BaseCommand, *, kind: str, path: str, **options: Any) -> None:
    """Import ``path`` with the importer registered as ``kind``; options left blank
    (None or "") are not passed, so the importer's own defaults apply."""
    options = {k: v for k, v in options.items() if v not in (None, "")}
    try:
        summary = import_file(kind=kind, path=path, **options)
    except FileNotFoundError:
        raise CommandError(f"There is no file at {path}.") from None
    except ImportRejected as exc:
        command.stderr.write(f"{path} was rejected; nothing was imported:")
        for error in exc.errors:
            command.stderr.write(f"  {error}")
        raise CommandError(f"{len(exc.errors)} problem(s) in {path}.") from None
    command.stdout.write(command.style.SUCCESS(f"Imported {path}"))
    for key, value in summary.items():
        command.stdout.write(f"  {key}: {value}")


class ImportCommand(BaseCommand):
    """``manage.py import_<kind> PATH [options]``: runs the importer registered as ``kind``.

    A command sets ``help`` and ``kind``; one with options of its own adds them in
    ``add_arguments`` (after ``super()``) and names their destinations in ``import_options``,
    which are passed to the importer.
    """

    kind: str
    path_help: str | None = None
    import_options: tuple[str, ...] = ()

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.path_help)

    def handle(self, *args, path, **options):
        run_import(
            self,
            kind=self.kind,
            path=path,
            **{name: options.get(name) for name in self.import_options},
        )
