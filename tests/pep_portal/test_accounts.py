"""Accounts: invitation-only sign-up, login by email, password reset, rate limits."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from pep_portal.accounts.models import Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_officer_invites_a_headteacher_who_sets_a_password_with_the_one_time_link(
    client, officer, school, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("user_invite"),
            {
                "email": "New.Head@Example.org",
                "first_name": "Nia",
                "last_name": "Head",
                "role": Role.HEADTEACHER,
                "school": school.pk,
            },
        )
    assert response.status_code == 302
    invited = User.objects.get(email="new.head@example.org")
    assert invited.school == school and invited.role == Role.HEADTEACHER
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "new.head@example.org" in body and school.name in body
    link = re.search(r"http://\S+", body).group(0)
    path = link.split("8000", 1)[1]

    client.logout()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_path, {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"}
    )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password("a-long-new-passphrase")

    # The link worked once: using it again is refused.
    response = client.get(path, follow=True)
    assert b"a-long-new-passphrase" not in response.content
    assert (
        "invalid" in response.content.decode().lower() or "bad" in response.content.decode().lower()
    )

    assert client.login(email="new.head@example.org", password="a-long-new-passphrase")


def test_invite_form_requires_a_school_for_headteachers(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("user_invite"),
        {"email": "x@example.org", "first_name": "X", "last_name": "Y", "role": Role.HEADTEACHER},
    )
    assert response.status_code == 200
    assert "Choose the school this person acts for." in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()
    assert mail.outbox == []


def test_invite_refuses_an_email_that_already_has_an_account(client, officer, board_member):
    client.force_login(officer)
    response = client.post(
        reverse("user_invite"),
        {
            "email": "BOARD@example.org",
            "first_name": "B",
            "last_name": "M",
            "role": Role.BOARD_MEMBER,
        },
    )
    assert "already an account" in response.content.decode()


def test_officers_cannot_invite_administrators(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("user_invite"),
        {"email": "boss@example.org", "first_name": "B", "last_name": "M", "role": Role.ADMIN},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="boss@example.org").exists()


@pytest.mark.parametrize("role", ["board_member", "head", "trust_user", "school_colleague"])
def test_only_officers_and_admins_may_invite(client_as, role):
    client = client_as(role)
    assert client.get(reverse("user_invite")).status_code == 403
    assert client.get(reverse("user_list")).status_code == 403


def test_admin_may_invite(client_as):
    assert client_as("portal_admin").get(reverse("user_invite")).status_code == 200


def test_there_is_no_public_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "me@example.org",
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
        },
    )
    assert not User.objects.filter(email="me@example.org").exists()
    assert response.status_code in (200, 302, 403)


def test_user_logs_in_with_email_and_password(client, board_member):
    response = client.post(
        reverse("account_login"), {"login": "board@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_does_not_log_in(client, board_member):
    response = client.post(
        reverse("account_login"), {"login": "board@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failed_logins_lock_the_account_out_for_a_while(client, board_member):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "board@example.org", "password": "wrong"}
        )
        assert "not correct" in response.content.decode()
    # allauth's login_failed rate limit (5 per 5 minutes per account) now refuses even the
    # right password, with a message saying why.
    response = client.post(
        reverse("account_login"), {"login": "board@example.org", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_link_for_a_known_account(client, board_member):
    response = client.post(reverse("account_reset_password"), {"email": "board@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
