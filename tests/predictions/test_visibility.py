"""Who sees a school's confidential data: every role, with and without a signed agreement.

Officers and admins see all; the Operational Group all schools with an agreement; a head or
colleague their own school; a trust user their trust's schools with an agreement; board
members aggregates only. Without an agreement: officers (and the school itself) only.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "board_member",
    "og_member",
    "officer",
    "portal_admin",
    "head",
    "other_head",
    "school_colleague",
    "trust_user",
    "other_trust_user",
]
WITH_AGREEMENT = {"og_member", "officer", "portal_admin", "head", "school_colleague", "trust_user"}
WITHOUT_AGREEMENT = {"officer", "portal_admin", "head", "school_colleague"}
PAGES = ["outcomes:school_predictions", "schools:school_own_data", "schools:workforce_comparison"]


def _client(client, request, role):
    if role == "anonymous":
        return client
    client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("signed", [True, False], ids=["agreement", "no-agreement"])
@pytest.mark.parametrize("role", ROLES)
def test_confidential_pages_by_role_and_agreement(
    client, request, submitted, school, sign, og_member, role, signed, page
):
    if signed:
        sign(school)
    response = _client(client, request, role).get(reverse(page, args=[school.urn]))
    if role == "anonymous":
        assert response.status_code == 302
        return
    allowed = role in (WITH_AGREEMENT if signed else WITHOUT_AGREEMENT)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", ROLES[1:])
def test_overview_rows_follow_the_same_rule_and_board_members_get_aggregates_only(
    client, request, submitted, school, sign, og_member, more_schools, role
):
    sign(school)
    response = _client(client, request, role).get(reverse("outcomes:predictions_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    named = school.name in html
    assert named is (role in WITH_AGREEMENT)
    # Everyone sees the aggregate across the schools with agreements (4 schools here).
    assert "Average prediction across schools with a data sharing agreement" in html
    if role in ("board_member", "other_head", "other_trust_user"):
        for other in more_schools:
            assert other.name not in html
        assert str(school.urn) not in html


def test_aggregates_are_withheld_below_three_schools(client, board_member, submitted, school, sign):
    sign(school)
    client.force_login(board_member)
    html = client.get(reverse("outcomes:predictions_overview")).content.decode()
    assert "Average prediction across schools" not in html
    assert "at least 3 schools" in html
    assert school.name not in html


def test_a_school_without_an_agreement_is_left_out_of_the_og_view_and_aggregates(
    client, og_member, officer, submitted, school, more_schools
):
    client.force_login(og_member)
    html = client.get(reverse("outcomes:predictions_overview")).content.decode()
    assert school.name not in html
    assert more_schools[0].name in html
    client.force_login(officer)
    assert school.name in client.get(reverse("outcomes:predictions_overview")).content.decode()


def test_a_withdrawn_agreement_stops_sharing(client, og_member, submitted, school, sign):
    import datetime as dt

    from schools.intelligence.services import agreement_withdraw

    agreement = sign(school)
    client.force_login(og_member)
    url = reverse("outcomes:school_predictions", args=[school.urn])
    assert client.get(url).status_code == 200
    agreement_withdraw(agreement=agreement, withdrawn_on=dt.date(2016, 12, 1))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("head", True),
        ("school_colleague", True),
        ("officer", True),
        ("other_head", False),
        ("trust_user", False),
        ("board_member", False),
        ("og_member", False),
    ],
)
def test_who_may_enter_a_schools_predictions(
    client, request, collection, school, og_member, role, allowed
):
    response = _client(client, request, role).get(
        reverse("outcomes:submission_edit", args=[collection.pk, school.urn])
    )
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("officer", True), ("head", False), ("og_member", False), ("board_member", False)],
)
def test_only_officers_manage_collections_and_chase(
    client, request, collection, school, og_member, role, allowed
):
    c = _client(client, request, role)
    assert c.get(reverse("outcomes:collection_detail", args=[collection.pk])).status_code == (
        200 if allowed else 403
    )
    assert c.post(
        reverse("outcomes:collection_chase", args=[collection.pk]), {"urn": school.urn}
    ).status_code == (302 if allowed else 403)
