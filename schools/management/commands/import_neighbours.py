from pep_portal.imports.command_line import ImportCommand


class Command(ImportCommand):
    help = (
        "Import DfE's statistical neighbours table (LA num, LA Name, GOReg, SN1, SNP ... SN10): "
        "adds LAs the register lacks and replaces each LA's neighbours. The whole file or nothing."
    )
    kind = "statistical_neighbours"
