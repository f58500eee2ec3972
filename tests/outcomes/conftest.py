from pathlib import Path

import pytest

from tests.factories import LocalAuthorityFactory, SchoolFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "outcomes"


@pytest.fixture
def fixture_path():
    def _path(name: str) -> str:
        return str(FIXTURES / name)

    return _path


@pytest.fixture
def portsmouth(db):
    return LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)


@pytest.fixture
def register(db, portsmouth):
    """The schools the sample performance tables name (URN 999999 is deliberately absent)."""
    return {
        urn: SchoolFactory(urn=urn, la=portsmouth, name=name)
        for urn, name in [
            (116111, "Harbour Primary School"),
            (116222, "Spinnaker Primary School"),
            (116333, "Cliffdale Special School"),
            (116444, "Mary Rose Academy"),
            (116555, "Redwood Park School"),
        ]
    }
