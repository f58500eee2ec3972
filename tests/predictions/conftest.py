"""Fixtures for schools' own data: a KS2 collection, last year's results, agreements, and
an Operational Group member (a board member with a current membership of that group)."""

import datetime as dt

import pytest
from django.utils import timezone

from outcomes.models import AreaType, Measure, Result
from outcomes.predictions import services
from partnership.governance.models import Board
from pep_portal.accounts.models import Role
from schools.intelligence.services import agreement_record
from tests.factories import SchoolFactory, UserFactory
from tests.partnership.factories import BoardFactory, add_member


@pytest.fixture
def og_member(db):
    user = UserFactory(email="og@example.org", role=Role.BOARD_MEMBER)
    board = BoardFactory(
        name="Operational Group", slug="operational-group", kind=Board.Kind.OPERATIONAL
    )
    add_member(board, user=user, start=dt.date(2016, 9, 1))
    return user


@pytest.fixture
def sign(db):
    def _sign(school, version="2016.1"):
        return agreement_record(
            school=school,
            version=version,
            signed_by_name="Chair of governors",
            signed_on=dt.date(2016, 9, 1),
            user=None,
        )

    return _sign


@pytest.fixture
def measures(db, measure_catalogue):
    return {m.code: m for m in Measure.objects.filter(code__in=["ks2_rwm_exp", "ks2_read_prog"])}


@pytest.fixture
def collection(db, measures, school, other_school, officer):
    return services.collection_create(
        title="KS2 predictions, spring term 2017",
        key_stage="ks2",
        academic_year=2017,
        term="spring",
        measures=measures.values(),
        groups=["all", "disadvantaged"],
        schools=[school, other_school],
        deadline=timezone.now() + dt.timedelta(days=7),
        user=officer,
    )


@pytest.fixture
def last_year(db, measures, school, other_school):
    """2016 results: school 60% RWM, national 53.5; reading progress school 0.5, national 0."""
    rwm, read = measures["ks2_rwm_exp"], measures["ks2_read_prog"]
    for s, value in ((school, 60.0), (other_school, 50.0)):
        Result.objects.create(
            measure=rwm,
            area_type=AreaType.SCHOOL,
            school=s,
            academic_year=2016,
            value=value,
            cohort=30,
        )
        Result.objects.create(
            measure=read,
            area_type=AreaType.SCHOOL,
            school=s,
            academic_year=2016,
            value=0.5,
            cohort=30,
        )
    Result.objects.create(measure=rwm, area_type=AreaType.NATIONAL, academic_year=2016, value=53.5)
    Result.objects.create(measure=read, area_type=AreaType.NATIONAL, academic_year=2016, value=0.0)
    Result.objects.create(
        measure=rwm, area_type=AreaType.LA, la=school.la, academic_year=2016, value=52.0
    )


def row(code, group, cohort="", pupils="", value=""):
    return (
        None,
        {
            "measure_code": code,
            "pupil_group": group,
            "cohort": cohort,
            "predicted_pupils": pupils,
            "predicted_value": value,
        },
    )


@pytest.fixture
def submitted(db, collection, school, head, last_year):
    """The school predicts 15 of 30 (50%) for RWM (a drop of 10 points) and +0.2 reading."""
    return services.predictions_save(
        collection=collection,
        school=school,
        rows=[row("ks2_rwm_exp", "all", 30, 15), row("ks2_read_prog", "all", 30, "", "0.2")],
        user=head,
        submit=True,
    )


@pytest.fixture
def more_schools(db, collection, sign, last_year):
    """Three more primary schools with agreements and submitted predictions (for aggregates)."""
    made = []
    for i in range(3):
        s = SchoolFactory(name=f"Aggregate Primary {i}")
        collection.schools.add(s)
        sign(s)
        services.predictions_save(
            collection=collection,
            school=s,
            rows=[row("ks2_rwm_exp", "all", 20, 10 + i)],
            user=None,
            submit=True,
        )
        made.append(s)
    return made
