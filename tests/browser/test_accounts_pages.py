"""Signing in, signing out, password reset and invitations, as a person does them in Chromium.

Every page is checked with axe-core (WCAG 2.2 AA), screenshotted and must log no console error.
"""

import re

import pytest
from django.core import mail

from pep_portal.accounts.models import Role, User
from tests.browser.conftest import PASSWORD_LABEL
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "harbour-lighthouse-kettle"
NEW_PASSWORD_LABEL = re.compile(r"^New password:?$", re.IGNORECASE)
AGAIN_LABEL = re.compile(r"^New password \(again\):?$", re.IGNORECASE)


def _emailed_path(message) -> str:
    link = re.search(r"https?://\S+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", link)


def test_login_page_is_accessible_and_explains_invitations(page, check_a11y, screenshot):
    response = page.goto("/accounts/login/")
    assert response.status == 200
    assert page.title() == "Sign in · PEP Portal"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to PEP Portal"
    assert page.get_by_text("Accounts are by invitation only").is_visible()
    assert page.get_by_role("link", name="sign up").count() == 0
    check_a11y(page, "login")
    screenshot(page, "login")


def test_skip_link_is_the_first_tab_stop_and_moves_to_the_content(page):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_login_page_reflows_on_a_phone_without_sideways_scrolling(page, screenshot):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/accounts/login/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "login-phone")


def test_user_signs_in_with_the_form_and_signs_out(page, board_member, login_as, screenshot):
    login_as(page, board_member)
    assert page.url.endswith("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Sam"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_role("button", name="Sign out").count() == 0
    screenshot(page, "signed-out")


def test_wrong_password_shows_an_accessible_error(page, board_member, check_a11y, screenshot):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(board_member.email)
    page.get_by_label(PASSWORD_LABEL).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    assert "not correct" in alert.inner_text()
    assert alert.get_by_role("heading", name="There is a problem").is_visible()
    # The email typed is kept; the password is not.
    assert page.get_by_label("Email").input_value() == board_member.email
    assert page.get_by_label(PASSWORD_LABEL).input_value() == ""
    check_a11y(page, "login-wrong-password")
    screenshot(page, "login-wrong-password")


def test_signing_in_returns_to_the_page_asked_for(page, officer):
    page.goto("/imports/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/imports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Imports"


def test_password_reset_from_request_to_signing_in(page, board_member, check_a11y, screenshot):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reset your password"
    check_a11y(page, "password-reset")
    screenshot(page, "password-reset")

    page.get_by_label("Email").fill(board_member.email)
    page.get_by_role("button", name="Send the reset link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    check_a11y(page, "password-reset-sent")
    screenshot(page, "password-reset-sent")
    assert len(mail.outbox) == 1
    reset_path = _emailed_path(mail.outbox[0])

    page.goto(reset_path)
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your password"
    check_a11y(page, "choose-password")
    screenshot(page, "choose-password")

    page.get_by_label(NEW_PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label(AGAIN_LABEL).fill("something-else-entirely")
    page.get_by_role("button", name="Save password").click()
    assert "same password" in page.locator(".field--error").first.inner_text()
    check_a11y(page, "choose-password-mismatch")
    screenshot(page, "choose-password-mismatch")

    page.get_by_label(NEW_PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label(AGAIN_LABEL).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your password is saved"
    check_a11y(page, "password-saved")
    board_member.refresh_from_db()
    assert board_member.check_password(NEW_PASSWORD)

    # The link worked once.
    page.goto(reset_path)
    assert page.get_by_role("heading", level=1).inner_text() == "This link is invalid"
    check_a11y(page, "reset-link-used")
    screenshot(page, "reset-link-used")


def test_invited_headteacher_chooses_a_password_and_signs_in(
    page, officer, school, login_as, check_a11y, screenshot
):
    login_as(page, officer)
    page.goto("/users/invite/")
    page.get_by_label("Email").fill("nia.head@example.org")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Head")
    page.get_by_label("Role").select_option(Role.HEADTEACHER)
    page.get_by_label("School").select_option(str(school.pk))
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to nia.head@example.org" in page.get_by_role("status").inner_text()
    assert len(mail.outbox) == 1
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")

    page.goto(_emailed_path(mail.outbox[0]))
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your password"
    page.get_by_label(NEW_PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label(AGAIN_LABEL).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    page.get_by_role("link", name="Sign in").click()

    invited = User.objects.get(email="nia.head@example.org")
    login_as(page, invited, NEW_PASSWORD)
    assert f"for {school.name}" in page.locator("main").inner_text()
    check_a11y(page, "home-invited-head")
    screenshot(page, "home-invited-head")


def test_sign_up_page_says_accounts_are_by_invitation(page, check_a11y):
    page.goto("/accounts/signup/")
    assert page.get_by_role("heading", level=1).inner_text() == "Accounts are by invitation"
    assert page.locator("input[type=password]").count() == 0
    check_a11y(page, "signup-closed")


def test_signed_in_user_changes_their_password(page, head, login_as, check_a11y, screenshot):
    login_as(page, head)
    page.goto("/accounts/password/change/")
    assert page.get_by_role("heading", level=1).inner_text() == "Change your password"
    check_a11y(page, "password-change")
    screenshot(page, "password-change")
    page.get_by_label(re.compile("^Current password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_label(NEW_PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label(AGAIN_LABEL).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state()
    head.refresh_from_db()
    assert head.check_password(NEW_PASSWORD)


def test_officer_sets_up_a_second_factor_before_anything_else(
    page, officer, login_as, settings, check_a11y, screenshot
):
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    settings.REQUIRE_MFA_FOR_STAFF = True
    page.goto("/accounts/login/?next=/users/")
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Straight to setting up the authenticator: they signed in with their password just now.
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate"))
    check_a11y(page, "mfa-activate")
    screenshot(page, "mfa-activate")

    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    page.get_by_label(re.compile("^Authenticator code", re.IGNORECASE)).fill(code)
    page.get_by_role("button", name=re.compile("Activate", re.IGNORECASE)).click()
    page.wait_for_load_state()
    check_a11y(page, "mfa-activated")
    screenshot(page, "mfa-activated")
    assert officer.authenticator_set.filter(type="totp").exists()

    # Removing it later asks for the password again (allauth's reauthentication).
    page.goto("/accounts/2fa/totp/deactivate/")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    check_a11y(page, "reauthenticate")
    screenshot(page, "reauthenticate")
