from pep_portal.imports.command_line import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a GIAS establishment CSV (the full edubasealldata layout or the names-only "
        "search download) into the schools register. The whole file or nothing."
    )
    kind = "gias"
    path_help = "The CSV file, e.g. edubasealldata20250101.csv"
    import_options = ("la_codes",)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--la",
            dest="la_codes",
            type=int,
            action="append",
            metavar="CODE",
            help="Import only this LA (repeatable: --la 851 --la 852).",
        )
