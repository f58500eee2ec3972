"""Managing accounts from the users list: resend an invitation, change a role, deactivate and
reactivate. Officer and administrator accounts are invited, promoted and deactivated by
administrators only (the permission matrices below run through every role)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pep_portal.accounts import services
from pep_portal.accounts.models import Role, User
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"portal_admin", "officer"}
NOT_MANAGERS = ["board_member", "head", "school_colleague", "trust_user"]


@pytest.fixture
def invited_head(db, school, officer):
    user = User(email="invited@example.org", role=Role.HEADTEACHER, school=school)
    user.invited_by = officer
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def other_officer(db):
    return UserFactory(email="officer2@example.org", officer=True)


def _post_invite(client, role, **extra):
    return client.post(
        reverse("user_invite"),
        {"email": "new@example.org", "first_name": "N", "last_name": "U", "role": role, **extra},
    )


# --- Inviting staff accounts: admins only ------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS, "officer", "portal_admin"])
def test_only_admins_invite_officers(client_as, role, django_capture_on_commit_callbacks):
    client = client_as(role)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_invite(client, Role.OFFICER)
    made = User.objects.filter(email="new@example.org", role=Role.OFFICER).exists()
    assert made == (role == "portal_admin")
    if role == "portal_admin":
        assert response.status_code == 302 and len(mail.outbox) == 1
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "officer":
        # The form does not offer the role; nothing is written.
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    else:
        assert response.status_code == 403


def test_officer_invite_form_offers_no_staff_roles(client, officer):
    client.force_login(officer)
    page = client.get(reverse("user_invite")).content.decode()
    assert f'value="{Role.HEADTEACHER}"' in page
    assert f'value="{Role.OFFICER}"' not in page and f'value="{Role.ADMIN}"' not in page


def test_the_service_refuses_an_officer_inviting_an_officer_whatever_the_form(officer):
    with pytest.raises(PermissionDenied):
        services.user_invite(
            email="sneaky@example.org",
            first_name="S",
            last_name="O",
            role=Role.OFFICER,
            invited_by=officer,
        )
    assert not User.objects.filter(email="sneaky@example.org").exists()


# --- The users list ----------------------------------------------------------------------


def test_users_list_links_officers_to_the_accounts_they_may_manage(
    client, officer, head, other_officer, portal_admin
):
    client.force_login(officer)
    page = client.get(reverse("user_list")).content.decode()
    assert reverse("user_detail", args=[head.pk]) in page
    assert reverse("user_detail", args=[other_officer.pk]) not in page
    assert reverse("user_detail", args=[portal_admin.pk]) not in page
    assert "Administrators manage this account" in page


def test_admin_sees_manage_links_for_officers(client, portal_admin, other_officer):
    client.force_login(portal_admin)
    page = client.get(reverse("user_list")).content.decode()
    assert reverse("user_detail", args=[other_officer.pk]) in page


# --- Resend invitation -------------------------------------------------------------------


def test_officer_resends_an_invitation_with_a_link_on_the_site_url(
    client, officer, invited_head, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://pep.example.gov.uk/"
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("user_resend_invitation", args=[invited_head.pk]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["invited@example.org"]]
    assert "https://pep.example.gov.uk/accounts/password/reset/key/" in mail.outbox[0].body
    assert ":8000" not in mail.outbox[0].body
    invited_head.refresh_from_db()
    assert invited_head.invited_at is not None


def test_resend_is_refused_once_a_password_was_chosen(client, officer, head):
    client.force_login(officer)
    response = client.post(reverse("user_resend_invitation", args=[head.pk]), follow=True)
    assert "already chosen a password" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS, "officer", "portal_admin"])
def test_resend_invitation_permission_matrix(
    client_as, role, invited_head, django_capture_on_commit_callbacks
):
    client = client_as(role)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("user_resend_invitation", args=[invited_head.pk]))
    if role in MANAGERS:
        assert response.status_code == 302 and len(mail.outbox) == 1
    else:
        assert response.status_code in (302, 403) and mail.outbox == []
        if role != "anonymous":
            assert response.status_code == 403


# --- Change role --------------------------------------------------------------------------


def test_officer_changes_a_board_member_into_a_trust_user(client, officer, board_member, trust):
    client.force_login(officer)
    response = client.post(
        reverse("user_detail", args=[board_member.pk]),
        {"role": Role.TRUST_USER, "trust": trust.pk},
    )
    assert response.status_code == 302
    board_member.refresh_from_db()
    assert board_member.role == Role.TRUST_USER and board_member.trust == trust
    assert not board_member.is_staff


def test_a_head_can_be_given_a_school_proposed_to_close_but_not_a_closed_one(
    client, officer, board_member
):
    closing = SchoolFactory(name="Closing Junior School", status="proposed_to_close")
    closed = SchoolFactory(name="Closed Infant School", status="closed")
    client.force_login(officer)
    page = client.get(reverse("user_detail", args=[board_member.pk])).content.decode()
    assert "Closing Junior School" in page and "Closed Infant School" not in page

    response = client.post(
        reverse("user_detail", args=[board_member.pk]),
        {"role": Role.HEADTEACHER, "school": closing.pk},
    )
    assert response.status_code == 302
    board_member.refresh_from_db()
    assert board_member.role == Role.HEADTEACHER and board_member.school == closing

    response = client.post(
        reverse("user_detail", args=[board_member.pk]),
        {"role": Role.HEADTEACHER, "school": closed.pk},
    )
    assert response.status_code == 200
    board_member.refresh_from_db()
    assert board_member.school == closing


def test_change_role_needs_a_school_for_a_headteacher(client, officer, board_member):
    client.force_login(officer)
    response = client.post(
        reverse("user_detail", args=[board_member.pk]), {"role": Role.HEADTEACHER}
    )
    assert response.status_code == 200
    assert "Choose the school" in response.content.decode()
    board_member.refresh_from_db()
    assert board_member.role == Role.BOARD_MEMBER


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS, "officer", "portal_admin"])
def test_promoting_to_officer_is_for_admins_only(client_as, role, board_member):
    client = client_as(role)
    response = client.post(reverse("user_detail", args=[board_member.pk]), {"role": Role.OFFICER})
    board_member.refresh_from_db()
    assert (board_member.role == Role.OFFICER) == (role == "portal_admin")
    if role == "portal_admin":
        assert board_member.is_staff and not board_member.is_superuser
    elif role == "officer":
        assert response.status_code == 200  # the role is not offered; nothing changed
    elif role != "anonymous":
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS, "officer", "portal_admin"])
def test_demoting_an_officer_is_for_admins_only(client_as, role, other_officer):
    client = client_as(role)
    response = client.post(
        reverse("user_detail", args=[other_officer.pk]), {"role": Role.BOARD_MEMBER}
    )
    other_officer.refresh_from_db()
    assert (other_officer.role == Role.BOARD_MEMBER) == (role == "portal_admin")
    if role == "portal_admin":
        assert not other_officer.is_staff
    elif role != "anonymous":
        assert response.status_code == 403


def test_nobody_changes_their_own_role(client, portal_admin):
    client.force_login(portal_admin)
    response = client.post(
        reverse("user_detail", args=[portal_admin.pk]), {"role": Role.BOARD_MEMBER}
    )
    assert response.status_code == 403
    portal_admin.refresh_from_db()
    assert portal_admin.role == Role.ADMIN


# --- Deactivate / reactivate --------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS, "officer", "portal_admin"])
def test_deactivating_a_head_is_for_officers_and_admins(client_as, role, other_head):
    client = client_as(role)
    response = client.post(reverse("user_set_active", args=[other_head.pk]), {"active": "0"})
    other_head.refresh_from_db()
    assert (not other_head.is_active) == (role in MANAGERS)
    if role not in MANAGERS and role != "anonymous":
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["anonymous", *NOT_MANAGERS, "officer", "portal_admin"])
def test_deactivating_an_officer_is_for_admins_only(client_as, role, other_officer):
    client = client_as(role)
    response = client.post(reverse("user_set_active", args=[other_officer.pk]), {"active": "0"})
    other_officer.refresh_from_db()
    assert (not other_officer.is_active) == (role == "portal_admin")
    if role not in ("portal_admin", "anonymous"):
        assert response.status_code == 403


def test_a_deactivated_user_is_signed_out_and_can_be_reactivated(client, officer, head):
    from tests.conftest import PASSWORD

    head_client = type(client)()
    head_client.force_login(head)
    assert head_client.get(reverse("home")).status_code == 200
    client.force_login(officer)
    client.post(reverse("user_set_active", args=[head.pk]), {"active": "0"})
    response = head_client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not head_client.login(email=head.email, password=PASSWORD)

    client.post(reverse("user_set_active", args=[head.pk]), {"active": "1"})
    head.refresh_from_db()
    assert head.is_active
    assert head_client.login(email=head.email, password=PASSWORD)


def test_nobody_deactivates_themselves(client, portal_admin):
    client.force_login(portal_admin)
    response = client.post(reverse("user_set_active", args=[portal_admin.pk]), {"active": "0"})
    assert response.status_code == 403
    portal_admin.refresh_from_db()
    assert portal_admin.is_active


def test_user_page_shows_only_the_actions_allowed(client, officer, invited_head):
    client.force_login(officer)
    page = client.get(reverse("user_detail", args=[invited_head.pk])).content.decode()
    assert "Resend invitation" in page
    assert "Change role" in page
    assert "Deactivate account" in page


def test_password_reset_link_is_on_the_site_url_whatever_the_host_header(
    client, board_member, settings
):
    """Reset emails link to SITE_URL, not to the Host the request named (a forged Host
    header must not put another address in the email)."""
    settings.SITE_URL = "http://127.0.0.1:8080"
    settings.ALLOWED_HOSTS = ["*"]
    client.post(
        reverse("account_reset_password"),
        {"email": board_member.email},
        HTTP_HOST="attacker.example",
    )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "http://127.0.0.1:8080/accounts/password/reset/key/" in body
    assert "attacker.example" not in body
