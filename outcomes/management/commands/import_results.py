from outcomes.importers import RESULT_LAYOUTS
from outcomes.models import ResultStatus
from pep_portal.imports.command_line import ImportCommand


class Command(ImportCommand):
    help = (
        "Import published results: DfE performance tables (KS2, KS4), an Explore Education "
        "Statistics tidy CSV, a LAIT long-format extract, or the PEP Portal template (CSV or "
        "XLSX). The layout is detected from the header. The whole file or nothing; "
        "re-importing changes nothing, a revised file keeps the previous values in history."
    )
    kind = "results"
    import_options = ("layout", "year", "status")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--layout", choices=sorted(RESULT_LAYOUTS), help="Skip detection.")
        parser.add_argument(
            "--year",
            help="Academic year for performance tables (2016 or 2015/16 = 2015/16); "
            "otherwise taken from the file name.",
        )
        parser.add_argument(
            "--status",
            choices=ResultStatus.values,
            default=None,
            help="Status of the figures (default provisional).",
        )
