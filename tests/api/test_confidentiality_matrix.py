"""One confidentiality rule per kind of confidential data, checked the same way by the pages
and the API: role x data kind x data sharing agreement state.

Kinds and their permissions (one named predicate each, in the owning app's rules.py):
categorisation (partnership.view_school_categorisation), the nightly school figures
(partnership.view_school_page), soft intelligence (schools.view_school_intelligence) and
predictions (outcomes.view_school_predictions); the last two need the school's agreement for
the Operational Group and trust users, never for officers or the school itself.
"""

from __future__ import annotations

import datetime as dt

import pytest

from outcomes.models import SchoolSummary
from partnership.governance.models import Board
from pep_portal.accounts.models import Role
from schools.models import DataSharingAgreement
from tests.factories import UserFactory
from tests.partnership.factories import BoardFactory, PartnershipFactory, add_member

from .conftest import API

pytestmark = pytest.mark.django_db

KINDS = ("categorisations", "nightly", "soft_intelligence", "predictions")
SHARED = ("soft_intelligence", "predictions")  # the school's own data, under the agreement
ROLES = (
    "officer",
    "portal_admin",
    "board_member",
    "operational_member",
    "head",
    "school_colleague",
    "other_head",
    "trust_user",
    "other_trust_user",
)


def _page(kind: str, school) -> str:
    return {
        "categorisations": f"/partnership/categorisation/schools/{school.pk}/",
        "nightly": f"/partnership/dashboards/schools/{school.urn}/",
        "soft_intelligence": f"/schools/{school.urn}/own-data/",
        "predictions": f"/outcomes/predictions/schools/{school.urn}/",
    }[kind]


def expected(role: str, kind: str, *, signed: bool) -> bool:
    """The rule, written out by hand."""
    if role in ("officer", "portal_admin", "head", "school_colleague"):
        return True
    if role in ("other_head", "other_trust_user"):
        return False
    if kind in SHARED:
        return signed and role in ("operational_member", "trust_user")
    return role in ("board_member", "operational_member", "trust_user")


@pytest.fixture
def operational_member(db):
    user = UserFactory(email="opgroup@example.org", role=Role.BOARD_MEMBER)
    board = BoardFactory(
        partnership=PartnershipFactory(),
        name="Operational Group",
        slug="operational-group",
        kind=Board.Kind.OPERATIONAL,
    )
    add_member(board, user=user, start=dt.date(2016, 9, 1))
    return user


@pytest.fixture
def client_as_any(client_as, request):
    """client_as that also knows the operational_member fixture."""

    def _client(role):
        request.getfixturevalue(role)
        return client_as(role)

    return _client


@pytest.mark.parametrize("signed", [True, False], ids=["agreement", "no-agreement"])
@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_agree_on_every_kind_of_confidential_data(
    world, school, role, signed, client_as_any, api_as, request
):
    request.getfixturevalue(role)
    SchoolSummary.objects.create(
        run=world["run"], school=school, la=school.la, rag="amber", concern="moderate"
    )
    if signed:
        DataSharingAgreement.objects.create(
            school=school, version="2016.1", signed_by_name="Chair", signed_on=dt.date(2016, 9, 1)
        )
    page_client = client_as_any(role)
    response = api_as(role).get(f"{API}/schools/{school.urn}/confidential/")
    body = response.json() if response.status_code == 200 else {}
    assert response.status_code in (200, 404)
    for kind in KINDS:
        page = page_client.get(_page(kind, school)).status_code
        assert page in (200, 403, 404), (kind, page)
        on_page = page == 200
        in_api = body.get(kind) is not None
        assert on_page == in_api, f"{role}, {kind}, agreement={signed}: page {page}, API {in_api}"
        assert on_page == expected(role, kind, signed=signed), (role, kind, signed, page)
    # Nothing to see anywhere means the endpoint says nothing at all (404, like an unknown URN).
    if not any(expected(role, kind, signed=signed) for kind in KINDS):
        assert response.status_code == 404


def test_withdrawn_agreement_closes_the_shared_kinds_on_pages_and_api(
    world, school, trust_user, client_as, api_as
):
    DataSharingAgreement.objects.create(
        school=school,
        version="2016.1",
        signed_by_name="Chair",
        signed_on=dt.date(2016, 9, 1),
        withdrawn_on=dt.date(2017, 1, 1),
    )
    body = api_as("trust_user").get(f"{API}/schools/{school.urn}/confidential/").json()
    assert body["soft_intelligence"] is None and body["predictions"] is None
    assert body["categorisations"] is not None
    assert client_as("trust_user").get(_page("soft_intelligence", school)).status_code == 403
