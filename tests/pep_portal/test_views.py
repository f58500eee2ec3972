"""Portal pages: every page needs login; the health check does not."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_check_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_health_check_is_503_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


@pytest.mark.parametrize("url", ["/", "/users/", "/users/invite/", "/imports/", "/admin/"])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "/admin/login/" in response["Location"]


def test_login_page_is_public(client):
    assert client.get(reverse("account_login")).status_code == 200


def test_home_lists_only_the_sections_the_role_may_use(client_as):
    board = client_as("board_member").get("/").content.decode()
    assert "Users" not in board and "Imports" not in board
    officer = client_as("officer").get("/").content.decode()
    assert 'href="/users/"' in officer and 'href="/imports/"' in officer


def test_officer_can_use_the_admin_but_a_board_member_cannot(client_as):
    assert client_as("officer").get("/admin/schools/school/").status_code == 200
    assert client_as("board_member").get("/admin/schools/school/").status_code == 302


def test_user_list_shows_each_users_school_or_trust(client_as, head, trust_user, board_member):
    page = client_as("officer").get("/users/").content.decode()
    assert head.school.name in page
    assert trust_user.trust.name in page
    assert board_member.email in page


def test_favicon_ico_redirects_to_the_portal_icon_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
