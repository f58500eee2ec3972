from django.core.management.base import BaseCommand

from pep_portal.imports.command_line import run_import


class Command(BaseCommand):
    help = (
        "Import a GIAS establishment CSV (the full edubasealldata layout or the names-only "
        "search download) into the schools register. The whole file or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file, e.g. edubasealldata20250101.csv")
        parser.add_argument(
            "--la",
            dest="la_codes",
            type=int,
            action="append",
            metavar="CODE",
            help="Import only this LA (repeatable: --la 851 --la 852).",
        )

    def handle(self, *args, path, la_codes=None, **options):
        run_import(self, kind="gias", path=path, la_codes=la_codes)
