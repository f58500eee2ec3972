import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from schools import selectors
from schools.models import School
from tests.factories import LocalAuthorityFactory, OfstedInspectionFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_latest_ofsted_is_the_newest_inspection(school, board_member):
    OfstedInspectionFactory(
        school=school, inspection_date=dt.date(2016, 1, 1), overall_effectiveness=4
    )
    OfstedInspectionFactory(
        school=school, inspection_date=dt.date(2021, 1, 1), overall_effectiveness=2
    )

    row = selectors.school_list(user=board_member).get(pk=school.pk)

    assert row.latest_ofsted_date == dt.date(2021, 1, 1)
    assert row.latest_ofsted_grade == 2


def test_good_or_better_counts_only_schools_with_an_overall_grade(school, other_school, officer):
    OfstedInspectionFactory(school=school, overall_effectiveness=1)
    OfstedInspectionFactory(
        school=other_school, framework="report_card", overall_effectiveness=None,
        inspection_date=dt.date(2025, 11, 20),
    )  # fmt: skip

    summary = selectors.ofsted_summary(selectors.school_list(user=officer))

    assert (summary.graded, summary.good_or_better, summary.no_overall_grade) == (1, 1, 1)
    assert summary.percent_good_or_better == 100.0


def test_users_without_the_permission_see_no_schools(school):
    assert list(selectors.school_list(user=AnonymousUser())) == []
    assert selectors.school_get(user=AnonymousUser(), urn=school.urn) is None


def test_the_partnerships_schools_are_the_open_ones_in_its_la(db):
    mine = {status: SchoolFactory(name=f"Mine {status}", status=status) for status in School.Status}
    elsewhere = LocalAuthorityFactory(code=850, name="Hampshire", in_partnership=False)
    SchoolFactory(name="Elsewhere", la=elsewhere)
    names = set(selectors.partnership_schools().values_list("name", flat=True))
    assert names == {
        mine[School.Status.OPEN].name,
        mine[School.Status.PROPOSED_TO_CLOSE].name,
    }  # not closed, not yet open, not another LA's


def test_the_api_lists_open_schools_unless_asked_for_history(client_as, school):
    closed = SchoolFactory(name="Fratton Park Junior School", status=School.Status.CLOSED)
    api = client_as("board_member")

    def urns(query=""):
        return {s["urn"] for s in api.get(f"/api/v1/schools/{query}").json()["results"]}

    assert urns() == {school.urn}
    assert urns("?status=closed") == {closed.urn}
    assert urns("?status=all") == {school.urn, closed.urn}
    assert api.get(f"/api/v1/schools/{closed.urn}/").json()["status"] == "closed"
