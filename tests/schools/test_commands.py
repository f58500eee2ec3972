"""import_gias and import_ofsted from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from schools.models import OfstedInspection, School

from .conftest import FULL, OFSTED

pytestmark = pytest.mark.django_db


def test_import_gias_prints_the_summary():
    out = StringIO()
    call_command("import_gias", str(FULL), stdout=out)
    assert "created: 7" in out.getvalue()
    assert School.objects.count() == 7


def test_import_gias_with_la_options_imports_only_those_las():
    out = StringIO()
    call_command("import_gias", str(FULL), "--la", "852", "--la", "999", stdout=out)
    assert list(School.objects.values_list("la__code", flat=True)) == [852]
    assert "skipped (other LAs): 6" in out.getvalue()


def test_import_gias_prints_row_errors_and_fails_for_a_bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(FULL.read_bytes().replace(b'"270"', b'"two hundred"'))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_gias", str(path), stdout=StringIO(), stderr=err)

    assert "row 2, column 'NumberOfPupils': 'two hundred' is not a whole number." in err.getvalue()
    assert School.objects.count() == 0


def test_import_gias_says_when_there_is_no_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_gias", str(tmp_path / "missing.csv"))


def test_import_ofsted_prints_the_summary():
    call_command("import_gias", str(FULL), stdout=StringIO())
    out = StringIO()
    call_command("import_ofsted", str(OFSTED), stdout=out)
    assert "created: 3" in out.getvalue()
    assert OfstedInspection.objects.filter(school__urn=116001).count() == 3
