from django.core.management.base import BaseCommand

from pep_portal.imports.command_line import run_import


class Command(BaseCommand):
    help = (
        "Import Ofsted inspections from a CSV of URN, inspection date, overall effectiveness "
        "(1-4 or blank) and optional report-card area columns. The whole file or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        run_import(self, kind="ofsted", path=path)
