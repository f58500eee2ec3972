import csv
from pathlib import Path

import pytest

from schools.models import LocalAuthority, OfstedInspection, School, Trust

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gias"
FULL = FIXTURES / "edubasealldata_bom_crlf.csv"
NEWER = FIXTURES / "edubasealldata_newer_lf.csv"
NAMES_ONLY = FIXTURES / "names_only_cp1252.csv"
OFSTED = FIXTURES / "ofsted_inspections.csv"
OFSTED_TITLED = FIXTURES / "ofsted_inspections_title_lines.csv"


def register_counts() -> dict:
    """Everything the importers can write, counted: to show a rejected file wrote nothing."""
    return {
        "schools": School.objects.count(),
        "trusts": Trust.objects.count(),
        "las": LocalAuthority.objects.count(),
        "inspections": OfstedInspection.objects.count(),
        "fingerprint": list(
            School.objects.order_by("urn").values_list("urn", "pupils_on_roll", "status", "name")
        ),
    }


@pytest.fixture
def full_rows():
    """The full-layout sample as (header, list of row dicts), to make bad variants of it."""
    with FULL.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(header, rows, encoding=...) -> path of a new CSV in tmp_path."""

    def _write(header, rows, *, encoding="utf-8", name="gias.csv") -> str:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.DictWriter(fh, header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return str(path)

    return _write


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT
