"""The pages people use: their API tokens, the API guide, and the documentation under the CSP."""

import re

import pytest
from django.urls import reverse
from knox.crypto import hash_token

from pep_portal.api_tokens.models import ApiToken
from tests.conftest import ROLES

from .conftest import API, token_for

pytestmark = pytest.mark.django_db

SIGNED_IN = [r for r in ROLES if r != "anonymous"]


@pytest.mark.parametrize("url_name", ["api_tokens", "api_guide", "api_docs", "api_redoc"])
def test_anonymous_is_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_role_has_a_token_page_and_the_guide(client_as, role):
    client = client_as(role)
    assert client.get(reverse("api_tokens")).status_code == 200
    guide = client.get(reverse("api_guide"))
    assert guide.status_code == 200
    assert b"import requests" in guide.content
    assert b"120/min and 2000/hour requests" in guide.content


def test_making_a_token_shows_it_once_and_stores_only_its_hash(client_as, trust_user):
    client = client_as("trust_user")
    response = client.post(reverse("api_tokens"), {"name": "Nightly sync", "expires_on": ""})
    assert response.status_code == 200
    text = re.search(rb'value="(pep_[0-9a-f]+)"', response.content).group(1).decode()
    token = ApiToken.objects.get(user=trust_user)
    assert token.name == "Nightly sync"
    assert token.expiry is None
    assert token.digest == hash_token(text)
    assert text not in (token.digest, token.token_key)
    # It works, and the page never shows it again.
    page = client.get(reverse("api_tokens"))
    assert text.encode() not in page.content
    assert b"Nightly sync" in page.content
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert api.get(f"{API}/schools/").status_code == 200


def test_a_token_can_expire_on_a_chosen_day(client_as, trust_user):
    client_as("trust_user").post(
        reverse("api_tokens"), {"name": "Short", "expires_on": "2099-01-31"}
    )
    token = ApiToken.objects.get(user=trust_user)
    from django.utils import timezone

    assert timezone.localtime(token.expiry).date().isoformat() == "2099-02-01"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "expires_on": ""}, b"This field is required"),
        ({"name": "Old", "expires_on": "2001-01-01"}, b"The expiry date is in the past"),
        ({"name": "Bad date", "expires_on": "31/31/2020"}, b"Enter a valid date"),
    ],
)
def test_bad_token_forms_say_what_is_wrong_and_make_nothing(client_as, trust_user, data, message):
    response = client_as("trust_user").post(reverse("api_tokens"), data)
    assert response.status_code == 200
    assert message in response.content
    assert not ApiToken.objects.filter(user=trust_user).exists()


def test_revoking_a_token_stops_it(client_as, trust_user):
    text = token_for(trust_user)
    token = ApiToken.objects.get(user=trust_user)
    client = client_as("trust_user")
    response = client.post(reverse("api_token_revoke", args=[token.digest]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert api.get(f"{API}/schools/").status_code == 401


def test_nobody_revokes_or_sees_someone_elses_token(client_as, trust_user, other_trust_user):
    token_for(other_trust_user)
    theirs = ApiToken.objects.get(user=other_trust_user)
    client = client_as("trust_user")
    assert b"Test token" not in client.get(reverse("api_tokens")).content
    client.post(reverse("api_token_revoke", args=[theirs.digest]))
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_revoke_needs_post(client_as, trust_user):
    token_for(trust_user)
    token = ApiToken.objects.get(user=trust_user)
    assert (
        client_as("trust_user").get(reverse("api_token_revoke", args=[token.digest])).status_code
        == 405
    )


def test_tokens_are_not_in_the_audit_log(client_as, trust_user):
    from auditlog.models import LogEntry

    client_as("trust_user").post(reverse("api_tokens"), {"name": "Audited", "expires_on": ""})
    entries = LogEntry.objects.filter(content_type__model="apitoken")
    assert entries.exists()
    for entry in entries:
        assert "digest" not in entry.changes_dict
        assert "token_key" not in entry.changes_dict


# --- Documentation under the CSP (script-src 'self': no inline script, nothing from elsewhere)


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)


@pytest.mark.parametrize("url_name", ["api_docs", "api_redoc"])
def test_docs_pages_need_no_inline_script_and_no_other_site(client_as, url_name):
    response = client_as("trust_user").get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    for attrs, body in _scripts(html):
        assert "src=" in attrs and not body.strip(), "inline script would be blocked by the CSP"
    assert "https://" not in html and "http://" not in html.replace("http://testserver", "")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    from django.contrib.staticfiles import finders

    for src in re.findall(r'src="([^"]+)"', html):
        if src.startswith("/static/"):  # the portal's own static files (no CDN)
            assert finders.find(src.removeprefix("/static/")), src
        else:
            assert client_as("trust_user").get(src.replace("&amp;", "&")).status_code == 200, src


def test_swagger_init_script_is_served_as_a_file(client_as):
    client = client_as("trust_user")
    html = client.get(reverse("api_docs")).content.decode()
    [init] = [s for s in re.findall(r'src="([^"]+)"', html) if "script" in s]
    script = client.get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_schema_is_openapi_3_with_every_endpoint(world, api_as):
    response = api_as("trust_user").get(f"{API}/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/results/",
        "/schools/",
        "/schools/{urn}/confidential/",
        "/plans/current/",
        "/milestones/",
        "/categorisations/",
        "/deployments/",
        "/local-authorities/",
    ):
        assert f"/api/v1{path}" in schema["paths"], path
    results = schema["paths"]["/api/v1/results/"]["get"]
    assert {"measure", "area_type", "urn", "la", "trust", "year", "group", "status"} <= {
        p["name"] for p in results["parameters"]
    }
    assert "429" in results["responses"] and "400" in results["responses"]
    assert "text/csv" in results["responses"]["200"]["content"]
