"""The demo contradicts itself nowhere (issue 15): results only for the key stages a school
teaches, a 16 to 19 page with data, every demo trust with results, upcoming meetings on
weekdays in the current and next terms with papers sent only when due, predictions asked only
of schools that teach the key stage."""

import datetime as dt

import pytest
from django.utils import timezone

from outcomes import demo as outcomes_demo
from outcomes.calculations.phases import key_stages_taught
from outcomes.models import AreaType, Result
from outcomes.predictions.demo import load_predictions_demo
from partnership import demo as partnership_demo
from partnership.calculations.terms import current_and_next_term
from partnership.governance.models import Meeting
from schools import demo as schools_demo
from schools.models import School, Trust

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, measure_catalogue):
    schools_demo.load()
    outcomes_demo.load()


def test_no_school_has_a_result_for_a_key_stage_it_does_not_teach(demo):
    checked = 0
    for school in School.objects.filter(la__code=851):
        taught = key_stages_taught(
            school.statutory_low_age, school.statutory_high_age, school.phase
        )
        stages = set(school.results.values_list("measure__key_stage", flat=True).distinct())
        assert stages <= taught, (school.name, school.age_range, stages - taught)
        checked += len(stages)
    assert checked > 50  # the demo does give results


def test_infant_and_junior_schools_have_their_own_key_stages_only(demo):
    infants = School.objects.filter(name__contains="Infant School")
    juniors = School.objects.filter(name__contains="Junior School", status="open")
    assert infants.exists() and juniors.exists()
    for school in infants:
        codes = set(school.results.values_list("measure__key_stage", flat=True))
        assert {"eyfsp", "phonics", "ks1"} <= codes and not codes & {"ks2", "ks4"}, school.name
    for school in juniors:
        codes = set(school.results.values_list("measure__key_stage", flat=True))
        assert "ks2" in codes and not codes & {"eyfsp", "phonics", "ks1"}, school.name


def test_the_16_to_19_measures_have_portsmouth_national_and_ranked_la_figures(demo):
    for code in ("p16_participation_16", "p16_l3_by19"):
        rows = Result.objects.filter(measure__code=code, academic_year=2016)
        assert rows.filter(area_type=AreaType.NATIONAL).count() == 1
        assert rows.filter(area_type=AreaType.LA, la__code=851).count() == 1
        assert rows.filter(area_type=AreaType.LA).count() == 150
        years = set(
            Result.objects.filter(measure__code=code, la__code=851).values_list(
                "academic_year", flat=True
            )
        )
        assert years == {2014, 2015, 2016}  # a trend to show


def test_every_demo_trust_has_schools_with_results(demo):
    trusts = Trust.objects.filter(schools__la__code=851).distinct()
    assert trusts.count() == 11
    for trust in trusts:
        assert Result.objects.filter(school__trust=trust, value__isnull=False).exists(), trust.name


def test_demo_trust_user_pulls_rows_through_the_api(demo, client):
    from pep_portal.accounts.demo import demo_users

    spec = next(u for u in demo_users() if u["email"] == "trust@pep.example")
    assert Result.objects.filter(school__trust=spec["trust"]).count() > 20


def test_predictions_are_asked_only_of_schools_teaching_key_stage_2(demo):
    load_predictions_demo()
    from outcomes.models import DataCollection

    collections = DataCollection.objects.all()
    assert collections.exists()
    for collection in collections:
        for school in collection.schools.all():
            assert "ks2" in key_stages_taught(
                school.statutory_low_age, school.statutory_high_age, school.phase
            ), school.name


def test_upcoming_meetings_are_weekdays_in_term_with_papers_sent_only_when_due(db):
    schools_demo.load()
    partnership_demo.load()
    now = timezone.now()
    today = timezone.localdate()
    current, following = current_and_next_term(today)
    upcoming = Meeting.objects.filter(starts_at__gt=now)
    assert upcoming.count() >= 2
    for meeting in upcoming:
        day = meeting.meeting_date
        assert day.weekday() < 5, meeting
        assert day in current or day in following, meeting
        if day > today + dt.timedelta(days=partnership_demo.PAPERS_AHEAD):
            assert meeting.papers_published_at is None, meeting
    for meeting in Meeting.objects.exclude(papers_published_at=None):
        assert meeting.papers_published_at <= now


def test_the_16_to_19_page_shows_the_demo_figures_after_the_nightly_run(
    demo, client_as, django_capture_on_commit_callbacks
):
    from tests.dashboards.data import run_nightly

    run_nightly(django_capture_on_commit_callbacks)
    page = client_as("officer").get("/partnership/dashboards/key-stages/16-19/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "93.4" in html  # participation at 16, Portsmouth 2016
    assert "51.2" in html  # level 3 by 19
