"""An address added to an account signs in and receives resets only once verified; when it
replaces the old one, the old address is told."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from pep_portal.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

INTRUDER = "intruder@evil.example"


def _sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def _signed_in_as(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


@pytest.fixture
def head_with_address(head):
    EmailAddress.objects.create(user=head, email=head.email, primary=True, verified=True)
    return head


def test_an_added_address_signs_in_and_gets_resets_only_after_it_is_verified(
    client, head_with_address
):
    head = head_with_address
    client.force_login(head)
    # Someone in the head's session adds their own address.
    client.post(reverse("account_email"), {"action_add": "", "email": INTRUDER})
    added = EmailAddress.objects.get(email=INTRUDER)
    assert added.user == head and not added.verified
    confirmation = [m for m in mail.outbox if INTRUDER in m.to]
    assert confirmation, "a verification link is sent to the new address"
    client.logout()

    # Not verified: it does not sign in, and no reset link is sent to it.
    _sign_in(client, INTRUDER)
    assert _signed_in_as(client) is None
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": INTRUDER})
    assert not any("password/reset/key" in m.body for m in mail.outbox if INTRUDER in m.to)
    # The account's own address still works.
    _sign_in(client, head.email)
    assert _signed_in_as(client) == head.email
    client.logout()

    # Verified (the link in the email opened): it replaces the old address, which is told.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation[0].body).group(0)
    mail.outbox.clear()
    client.force_login(head)
    client.post(urlsplit(link).path)
    head.refresh_from_db()
    assert head.email == INTRUDER
    assert EmailAddress.objects.filter(user=head).count() == 1  # one address per account
    told = [m for m in mail.outbox if "head@example.org" in m.to]
    assert told and INTRUDER in told[0].body
    client.logout()
    _sign_in(client, INTRUDER)
    assert _signed_in_as(client) == INTRUDER


def test_a_reset_for_an_unverified_added_address_sends_no_link(client, head_with_address):
    EmailAddress.objects.create(user=head_with_address, email=INTRUDER, verified=False)
    client.post(reverse("account_reset_password"), {"email": INTRUDER})
    assert not any("password/reset/key" in m.body for m in mail.outbox)
    client.post(reverse("account_reset_password"), {"email": head_with_address.email})
    assert any(
        "password/reset/key" in m.body and head_with_address.email in m.to for m in mail.outbox
    )
