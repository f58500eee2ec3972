"""Who may open each dashboard page: board members, officers and admins see everything;
heads the city overview and their own school's page; trust users their trust's schools and
trust page; anyone else is refused (403), and anonymous users are sent to sign in."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES

from . import data

pytestmark = pytest.mark.django_db

WHOLE = {"board_member", "officer", "portal_admin"}
CITY_PAGES = ["headlines", "key_stage", "schools_grid", "schools_grid_export"]
ALLOWED = {
    "overview": WHOLE | {"head", "other_head", "school_colleague"},
    "headlines": WHOLE,
    "key_stage": WHOLE,
    "schools_grid": WHOLE,
    "schools_grid_export": WHOLE,
    "school_page": WHOLE | {"head", "school_colleague", "trust_user"},
    "trust_page": WHOLE | {"trust_user"},
    "trust_export": WHOLE | {"trust_user"},
}


def url_for(name, school, trust):
    args = {
        "key_stage": ["ks2"],
        "schools_grid_export": ["csv"],
        "school_page": [school.urn],
        "trust_page": [trust.pk],
        "trust_export": [trust.pk, "csv"],
    }.get(name, [])
    return reverse(f"partnership:{name}", args=args)


@pytest.mark.parametrize("page", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(page, role, client_as, school, trust):
    response = client_as(role).get(url_for(page, school, trust))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in ALLOWED[page]:
        # Without a published snapshot an export has nothing to write: 404, never 403.
        expected = 404 if page.endswith("export") else 200
        assert response.status_code == expected, (page, role)
    else:
        assert response.status_code == 403, (page, role)


def test_the_nav_shows_dashboards_to_heads_but_not_trust_users(client_as, school):
    assert 'href="/partnership/dashboards/"' in client_as("head").get("/").content.decode()
    assert (
        'href="/partnership/dashboards/"' not in client_as("trust_user").get("/").content.decode()
    )


def test_a_trust_user_sees_only_their_trusts_schools(
    client_as, school, other_school, trust, django_capture_on_commit_callbacks
):
    data.build(schools=[school, other_school])
    data.run_nightly(django_capture_on_commit_callbacks)
    client = client_as("trust_user")
    html = client.get(reverse("partnership:trust_page", args=[trust.pk])).content.decode()
    assert "Harbour Primary School" in html and "Spinnaker Primary School" not in html
    export = client.get(reverse("partnership:trust_export", args=[trust.pk, "csv"]))
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Harbour Primary School" in text and "Weak Primary" not in text
    assert (
        client.get(reverse("partnership:school_page", args=[other_school.urn])).status_code == 403
    )


def test_a_head_sees_the_overview_with_a_link_to_their_own_school_only(
    client_as, school, django_capture_on_commit_callbacks
):
    data.build(schools=[school])
    data.run_nightly(django_capture_on_commit_callbacks)
    html = client_as("head").get(reverse("partnership:overview")).content.decode()
    assert reverse("partnership:school_page", args=[school.urn]) in html
    assert f'href="{reverse("partnership:schools_grid")}?' not in html  # no links they cannot use
    assert reverse("partnership:headlines") not in html


def test_school_page_for_an_unknown_urn_is_404(client_as):
    assert client_as("officer").get("/partnership/dashboards/schools/999999/").status_code == 404
