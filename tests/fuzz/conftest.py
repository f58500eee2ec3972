"""The register every fuzzed import runs against: the sample GIAS schools and LAs, so that
mutated files reach the code that matches and writes rows, not only the header checks."""

from pathlib import Path

import pytest

from pep_portal.imports.services import import_file
from schools.models import LocalAuthority, School
from tests.factories import SchoolFactory

from .strategies import FIXTURES


@pytest.fixture
def fuzz_register(db):
    import_file(kind="gias", path=str(FIXTURES / "gias" / "edubasealldata_newer_lf.csv"))
    portsmouth = LocalAuthority.objects.get(code=851)
    portsmouth.in_partnership = True
    portsmouth.save(update_fields=["in_partnership"])
    for urn in (116111, 116222, 116333, 116444, 116555):
        if not School.objects.filter(urn=urn).exists():
            SchoolFactory(urn=urn, la=portsmouth)
    return portsmouth


@pytest.fixture(scope="session")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")
