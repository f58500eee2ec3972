"""The register every fuzzed import runs against: the sample GIAS schools and LAs, so that
mutated files reach the code that matches and writes rows, not only the header checks."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from outcomes.models import Measure
from outcomes.predictions.services import collection_create
from pep_portal.imports.services import import_file
from schools.models import LocalAuthority, School
from tests.factories import SchoolFactory, UserFactory

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


@pytest.fixture
def fuzz_import_options(fuzz_register, measure_catalogue):
    """Options an importer needs besides the file: a predictions return belongs to one
    school in one collection (a KS2 collection for a primary school of the register)."""
    school = School.objects.get(urn=116111)
    school.phase, school.statutory_low_age, school.statutory_high_age = "primary", 4, 11
    school.save(update_fields=["phase", "statutory_low_age", "statutory_high_age"])
    collection = collection_create(
        title="KS2 predictions, spring term 2017",
        key_stage="ks2",
        academic_year=2017,
        term="spring",
        measures=Measure.objects.filter(code__in=["ks2_rwm_exp", "ks2_read_prog"]),
        groups=["all", "disadvantaged"],
        schools=[school],
        deadline=timezone.now() + dt.timedelta(days=7),
        user=UserFactory(officer=True),
    )
    return {"predictions": {"collection_id": collection.pk, "school_id": school.pk}}


@pytest.fixture(scope="session")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")
