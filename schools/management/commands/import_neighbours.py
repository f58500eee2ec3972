from django.core.management.base import BaseCommand

from pep_portal.imports.command_line import run_import


class Command(BaseCommand):
    help = (
        "Import DfE's statistical neighbours table (LA num, LA Name, GOReg, SN1, SNP ... SN10): "
        "adds LAs the register lacks and replaces each LA's neighbours. The whole file or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        run_import(self, kind="statistical_neighbours", path=path)
