"""The one command-line import runner: every ``import_*`` management command calls it.

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
