from pep_portal.imports.command_line import ImportCommand


class Command(ImportCommand):
    help = (
        "Import Ofsted inspections from a CSV of URN, inspection date, overall effectiveness "
        "(1-4 or blank) and optional report-card area columns. The whole file or nothing."
    )
    kind = "ofsted"
