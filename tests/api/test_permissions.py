"""Who may call what: every endpoint for every role, tokens revoked and expired, and a trust
user probing another trust's schools (404, never 403)."""

import pytest

from pep_portal.api_tokens.models import ApiToken
from pep_portal.api_tokens.services import api_token_revoke
from tests.conftest import ROLES

from .conftest import API, token_for

pytestmark = pytest.mark.django_db

SIGNED_IN = [r for r in ROLES if r != "anonymous"]

# Endpoints every signed-in role may read (published data and the action plan).
OPEN_LISTS = [
    "/",
    "/local-authorities/",
    "/trusts/",
    "/schools/",
    "/measures/",
    "/results/",
    "/plans/",
    "/plans/current/",
    "/priorities/",
    "/actions/",
    "/milestones/",
    "/schema/",
]
SCOPED_LISTS = ["/categorisations/", "/deployments/"]


@pytest.mark.parametrize("path", OPEN_LISTS + SCOPED_LISTS)
def test_anonymous_gets_401_json_on_every_endpoint(world, api_as, path):
    response = api_as("anonymous").get(API + path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert response.json()["status"] == 401


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("path", OPEN_LISTS)
def test_every_role_reads_published_data_and_the_plan(world, api_as, role, path):
    response = api_as(role).get(API + path)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_role_reads_a_school_la_and_measure(world, api_as, role, school):
    client = api_as(role)
    assert client.get(f"{API}/schools/{school.urn}/").json()["name"] == school.name
    assert client.get(f"{API}/local-authorities/851/").json()["name"] == "Portsmouth"
    assert client.get(f"{API}/measures/ks2_rwm_exp/").json()["unit"] == "percent"
    assert client.get(f"{API}/plans/{world['plan'].pk}/").json()["title"] == world["plan"].title


# Which schools' confidential rows each role sees ("both" = whole partnership).
CONFIDENTIAL_SCOPE = {
    "board_member": {"school", "other_school"},
    "officer": {"school", "other_school"},
    "portal_admin": {"school", "other_school"},
    "head": {"school"},
    "school_colleague": {"school"},
    "other_head": {"other_school"},
    "trust_user": {"school"},
    "other_trust_user": {"other_school"},
}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_categorisations_are_scoped_like_the_pages(world, api_as, role, request):
    urns = {request.getfixturevalue(s).urn for s in CONFIDENTIAL_SCOPE[role]}
    rows = api_as(role).get(f"{API}/categorisations/").json()["results"]
    assert {r["urn"] for r in rows} == urns


@pytest.mark.parametrize("role", SIGNED_IN)
def test_deployments_are_scoped_like_the_pages(world, api_as, role, request):
    urns = {request.getfixturevalue(s).urn for s in CONFIDENTIAL_SCOPE[role]}
    rows = api_as(role).get(f"{API}/deployments/").json()["results"]
    assert {r["supported_school_urn"] for r in rows} == urns


@pytest.mark.parametrize("role", SIGNED_IN)
def test_confidential_items_are_404_outside_the_scope(world, api_as, role, request):
    client = api_as(role)
    for school_name, decision, deployment in (
        ("school", world["decision"], world["deployment"]),
        ("other_school", world["other_decision"], world["other_deployment"]),
    ):
        school = request.getfixturevalue(school_name)
        allowed = school_name in CONFIDENTIAL_SCOPE[role]
        expected = 200 if allowed else 404
        assert client.get(f"{API}/categorisations/{decision.pk}/").status_code == expected
        assert client.get(f"{API}/deployments/{deployment.pk}/").status_code == expected
        confidential = client.get(f"{API}/schools/{school.urn}/confidential/")
        assert confidential.status_code == expected
        if allowed:
            assert confidential.json()["categorisations"][0]["rationale"] == decision.rationale


def test_trust_user_probing_other_trusts_urns_learns_nothing(world, api_as, other_school):
    client = api_as("trust_user")
    other = client.get(f"{API}/schools/{other_school.urn}/confidential/")
    missing = client.get(f"{API}/schools/999999/confidential/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    # Filters by URN: nothing of theirs comes back either.
    for path in ("categorisations", "deployments"):
        rows = client.get(f"{API}/{path}/?urn={other_school.urn}").json()["results"]
        assert rows == []
    body = client.get(f"{API}/categorisations/").content.decode()
    assert world["other_decision"].rationale not in body


def test_revoked_token_is_refused(world, trust_user, api):
    text = token_for(trust_user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert api.get(f"{API}/schools/").status_code == 200
    token = ApiToken.objects.get(user=trust_user)
    api_token_revoke(user=trust_user, token_digest=token.digest)
    response = api.get(f"{API}/schools/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_expired_token_is_refused_and_kept_for_its_owner_to_see(world, trust_user, api):
    text = token_for(trust_user, expired=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    response = api.get(f"{API}/results/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."
    assert ApiToken.objects.filter(user=trust_user).exists()


def test_unknown_or_malformed_tokens_are_refused(world, api):
    for header in ("Token pep_nonsense", "Token", "Token a b", "Bearer pep_0000"):
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get(f"{API}/schools/")
        assert response.status_code == 401, header
        assert response.json()["status"] == 401


def test_bearer_keyword_works_too(world, trust_user, api):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(trust_user)}")
    assert api.get(f"{API}/schools/").status_code == 200


def test_disabled_account_token_is_refused(world, trust_user, api):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(trust_user)}")
    trust_user.is_active = False
    trust_user.save()
    assert api.get(f"{API}/schools/").status_code == 401


def test_session_signed_in_user_can_browse_the_api(world, client, trust_user):
    client.force_login(trust_user)
    response = client.get(f"{API}/schools/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Harbour Primary School" in response.content


def test_api_is_read_only(world, api_as):
    client = api_as("officer")
    assert client.post(f"{API}/schools/", {"name": "x"}).status_code == 405
    assert client.delete(f"{API}/deployments/{world['deployment'].pk}/").status_code == 405
