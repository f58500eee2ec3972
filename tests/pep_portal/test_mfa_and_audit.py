"""MFA for officers and admins, idle expiry, and the audit log."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, require_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.REQUIRE_MFA_FOR_STAFF = True


def test_officer_without_a_second_factor_is_sent_to_set_one_up(mfa_required, client_as):
    response = client_as("officer").get("/users/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_officer_sets_up_totp_straight_after_signing_in_without_a_second_password(
    mfa_required, client, officer
):
    response = client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert 'id="authenticator_secret"' in page.content.decode()


def test_changing_a_second_factor_still_asks_for_the_password_again(mfa_required, client, officer):
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    TOTP.activate(officer, generate_totp_secret())
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_setting_up_a_first_factor_later_in_a_session_asks_for_the_password(client, board_member):
    client.force_login(board_member)
    type(board_member).objects.filter(pk=board_member.pk).update(
        last_login=timezone.now() - dt.timedelta(hours=1)
    )
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_board_member_is_not_forced_to_set_up_mfa(mfa_required, client_as):
    assert client_as("board_member").get("/").status_code == 200


def test_officer_with_totp_must_enter_a_code_at_login(mfa_required, client, officer):
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    response = client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/users/").status_code == 302  # not signed in yet

    import time

    code = format(hotp_value(secret, int(time.time()) // 30), "06d")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get("/users/").status_code == 200
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()


def test_idle_officer_sessions_expire(settings, client_as):
    settings.STAFF_IDLE_TIMEOUT = 900
    client = client_as("officer")
    client.get("/")
    assert client.session.get_expiry_age() == 900
    board = client_as("board_member")
    board.get("/")
    assert board.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_changes_are_audited_with_who_and_old_and_new_values(client_as, officer, school):
    client = client_as("officer")
    response = client.post(
        f"/admin/schools/school/{school.pk}/change/",
        {
            "urn": school.urn,
            "laestab": school.laestab,
            "la": school.la_id,
            "name": "Harbour Academy",
            "phase": school.phase,
            "category": school.category,
            "status": school.status,
            "establishment_type": school.establishment_type,
            "trust": school.trust_id or "",
            "inspections-TOTAL_FORMS": 0,
            "inspections-INITIAL_FORMS": 0,
            "inspections-MIN_NUM_FORMS": 0,
            "inspections-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = (
        LogEntry.objects.get_for_object(school)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == officer
    assert entry.changes_dict["name"] == ["Harbour Primary School", "Harbour Academy"]


def test_audit_log_page_is_for_admins_and_filters_by_actor(client_as, officer, school):
    client_as("officer").post(
        reverse("user_invite"),
        {"email": "n@example.org", "first_name": "N", "last_name": "M", "role": "board_member"},
    )
    assert client_as("officer").get("/audit/").status_code == 403
    page = client_as("portal_admin").get("/audit/", {"actor": "officer@"}).content.decode()
    assert "n@example.org" in page
    assert "officer@example.org" in page
    empty = client_as("portal_admin").get("/audit/", {"actor": "nobody@"}).content.decode()
    assert "No changes match." in empty


def test_passwords_are_never_written_to_the_audit_log(officer):
    officer.set_password("another-long-passphrase")
    officer.save()
    for entry in LogEntry.objects.get_for_object(officer):
        assert "password" not in entry.changes_dict


@pytest.fixture
def audit_entry(officer, school):
    """A real audit entry, made by changing a school as the officer."""
    from auditlog.context import set_actor

    with set_actor(officer):
        school.name = "Harbour Academy"
        school.save()
    return LogEntry.objects.get_for_object(school).latest("timestamp")


def _needs_postgresql():
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the audit log's append-only trigger exists only on PostgreSQL",
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: LogEntry.objects.filter(pk=e.pk).update(changes_text="{}"),
        lambda e: LogEntry.objects.filter(pk=e.pk).update(actor=None, changes_text="{}"),
        lambda e: LogEntry.objects.filter(pk=e.pk).delete(),
        lambda e: e.delete(),
        lambda e: connection.cursor().execute(
            "UPDATE auditlog_logentry SET timestamp = now() - interval '1 year' WHERE id = %s",
            [e.pk],
        ),
        lambda e: connection.cursor().execute("DELETE FROM auditlog_logentry"),
    ],
    ids=["edit", "edit-and-unlink", "bulk-delete", "delete", "raw-sql-update", "raw-sql-delete"],
)
def test_the_database_refuses_to_edit_or_delete_audit_entries(audit_entry, tamper):
    _needs_postgresql()
    before = LogEntry.objects.values().get(pk=audit_entry.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper(audit_entry)
    assert LogEntry.objects.values().get(pk=audit_entry.pk) == before


def test_deleting_a_user_keeps_their_audit_entries_with_their_email(audit_entry, officer):
    _needs_postgresql()
    officer.delete()
    audit_entry.refresh_from_db()
    assert audit_entry.actor_id is None
    assert audit_entry.actor_email == "officer@example.org"
    assert audit_entry.changes_dict["name"] == ["Harbour Primary School", "Harbour Academy"]


def test_audit_filter_naming_a_model_with_no_entries_shows_the_empty_state(client_as, school):
    assert not LogEntry.objects.filter(content_type__model="milestone").exists()
    response = client_as("portal_admin").get("/audit/", {"model": "actionplan.milestone"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No changes match." in page
    assert "0 changes." in page
    assert "could not be applied" not in page
    assert 'value="actionplan.milestone" selected' in page


def test_an_invalid_audit_filter_names_the_field_and_value_and_lists_nothing(client_as, school):
    assert LogEntry.objects.exists()
    for params, field, message in [
        ({"model": "nosuch.thing"}, "What", "“nosuch.thing” is not a kind of record"),
        ({"date_from": "31/02/2026"}, "From", "Enter a valid date (given: “31/02/2026”)"),
        ({"action": "explode", "actor": "officer@"}, "Action", "“explode” is not a kind of change"),
    ]:
        response = client_as("portal_admin").get("/audit/", params)
        page = response.content.decode()
        assert response.status_code == 200
        assert "These filters could not be applied" in page
        assert f"{field}: {message}" in page
        assert "No changes match." in page
        assert school.name not in page  # the school's create entry is not listed
