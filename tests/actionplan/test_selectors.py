"""Reads: success measures with their latest figure, changes since a date, role scoping."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from actionplan import selectors, services
from outcomes.models import AreaType, Measure, Result
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks2_measure(plan, priority):
    measure = Measure.objects.get(code="ks2_rwm_exp")
    services.success_measure_create(
        plan=plan,
        priority=priority,
        area="Key Stage 2",
        description="All indicators within the top 50% of authorities",
        measure=measure,
        target_text="Top 50% of LAs",
        target_date=dt.date(2018, 9, 30),
    )
    return measure


def _result(measure, year, value, *, la=None, suppression=""):
    return Result.objects.create(
        measure=measure,
        area_type=AreaType.LA if la else AreaType.NATIONAL,
        la=la,
        academic_year=year,
        value=value,
        suppression=suppression,
    )


def test_a_success_measure_shows_the_latest_figure_beside_national(board_member, plan, ks2_measure):
    portsmouth = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    other = LocalAuthorityFactory(code=852, name="Southampton", in_partnership=False)
    _result(ks2_measure, 2016, 46.04, la=portsmouth)
    _result(ks2_measure, 2017, 57.26, la=portsmouth)
    _result(ks2_measure, 2017, 61.0, la=other)
    _result(ks2_measure, 2017, 61.48)
    (row,) = selectors.success_measure_rows(user=board_member, plan=plan)
    assert (row["figure"], row["figure_year"], row["national"]) == (57.3, 2017, 61.5)
    assert row["gap"] == -4.2  # from unrounded values: 57.26 - 61.48


def test_no_figure_yet_without_results_or_when_suppressed(board_member, plan, ks2_measure):
    portsmouth = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    _result(ks2_measure, 2017, None, la=portsmouth, suppression="suppressed")
    (row,) = selectors.success_measure_rows(user=board_member, plan=plan)
    assert row["figure"] is None


def test_the_board_view_says_no_figure_yet(client_as, plan, ks2_measure):
    html = client_as("board_member").get("/action-plan/").content.decode()
    assert "No figure yet" in html
    assert "Top 50% of LAs" in html


def test_changes_since_group_updates_per_milestone_with_colour_then_and_now(
    officer, plan, milestone
):
    long_ago = timezone.now() - dt.timedelta(days=60)
    services.milestone_update_record(
        milestone=milestone,
        author=officer,
        status="at_risk",
        progress=10,
        note="Old",
        recorded_at=long_ago,
    )
    services.milestone_update_record(
        milestone=milestone, author=officer, status="off_track", progress=15, note="Worse"
    )
    services.milestone_update_record(
        milestone=milestone, author=officer, status="complete", progress=100, note="Done"
    )
    since = timezone.localdate() - dt.timedelta(days=42)
    (row,) = selectors.plan_changes_since(user=officer, plan=plan, since=since)
    assert row["rag_before"] == "amber"  # the colour when the period began
    assert row["rag_now"] == "complete"
    assert [u.note for u in row["updates"]] == ["Done", "Worse"]
    assert row["changed_colour"]


def test_the_default_since_date_is_six_weeks_ago():
    assert selectors.default_since(today=dt.date(2026, 11, 23)) == dt.date(2026, 10, 12)


def test_readers_without_the_permission_get_nothing(plan, milestone):
    anonymous = AnonymousUser()
    assert not selectors.plan_list(user=anonymous).exists()
    assert selectors.plan_feed(user=anonymous, plan=plan) is None
    assert not selectors.milestone_list(user=anonymous, plan=plan).exists()
    assert selectors.plan_changes_since(user=anonymous, plan=plan, since=dt.date(2000, 1, 1)) == []
