"""Each list costs the same number of queries for one row as for many (no N+1)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplan.models import MilestoneUpdate
from outcomes.models import AreaType, IndicatorFigure, Result, SchoolFigure
from partnership.categorisation.models import CategorisationDecision, CategorisationReview
from partnership.support.models import Deployment
from schools.models import StatisticalNeighbour
from tests.actionplan.factories import ActionFactory, MilestoneFactory, PriorityFactory
from tests.factories import (
    LocalAuthorityFactory,
    OfstedInspectionFactory,
    SchoolFactory,
    TrustFactory,
    UserFactory,
)

from .conftest import API

pytestmark = pytest.mark.django_db

LISTS = [
    "/local-authorities/",
    "/trusts/",
    "/schools/",
    "/measures/",
    "/results/",
    "/plans/",
    "/priorities/",
    "/actions/",
    "/milestones/",
    "/categorisations/",
    "/deployments/",
]


def queries_for(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(API + path + "?page_size=1000")
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def add_many(world, trust, school):
    """Twenty more of everything each list shows."""
    author = UserFactory(email="author2@example.org", officer=True)
    review = CategorisationReview.objects.create(
        name="Spring 2017", review_date=dt.date(2017, 3, 1)
    )
    leader = world["deployment"].leader
    priority = PriorityFactory(plan=world["plan"], number=2)
    for i in range(20):
        la = LocalAuthorityFactory(code=300 + i, name=f"LA {i}")
        StatisticalNeighbour.objects.create(la=la, neighbour=world["la"], position=1)
        StatisticalNeighbour.objects.create(la=la, neighbour=world["neighbour"], position=2)
        new_trust = TrustFactory()
        new_school = SchoolFactory(trust=trust if i % 2 else new_trust)
        OfstedInspectionFactory(school=new_school)
        Result.objects.create(
            measure=world["measure"], area_type=AreaType.LA, la=la, academic_year=2016, value=40 + i
        )
        IndicatorFigure.objects.create(
            run=world["run"], measure=world["measure"], la=la, year=2016, group="all", rank=i + 1
        )
        Result.objects.create(
            measure=world["measure"],
            area_type=AreaType.SCHOOL,
            school=new_school,
            academic_year=2016,
            value=50 + i,
        )
        SchoolFigure.objects.create(
            run=world["run"], school=new_school, measure=world["measure"], year=2016, group="all"
        )
        CategorisationDecision.objects.create(
            review=review,
            school=new_school,
            category="minimum",
            rationale="ok",
            decided_on=dt.date(2017, 3, 2),
        )
        Deployment.objects.create(
            leader=leader,
            designation="sle",
            supported_school=new_school,
            focus="phonics",
            commissioned_by="la",
            days=Decimal("1"),
            start_date=dt.date(2017, 1, 1),
            home_school=school,
        )
        action = ActionFactory(priority=priority, number=f"2.{i + 1}")
        milestone = MilestoneFactory(action=action)
        MilestoneUpdate(
            milestone=milestone, author=author, status="on_track", progress=10, note="Begun"
        ).save()


@pytest.mark.parametrize("role", ["officer", "trust_user"])
def test_every_list_runs_a_fixed_number_of_queries(world, api_as, role, trust, school):
    client = api_as(role)
    client.get(f"{API}/")  # records the token's last use (once a minute): not counted below
    before = {path: queries_for(client, path) for path in LISTS}
    add_many(world, trust, school)
    for path in LISTS:
        queries, rows = queries_for(client, path)
        small_queries, small_rows = before[path]
        assert rows > small_rows or path in ("/measures/", "/plans/"), path
        assert queries == small_queries, (
            f"{path}: {small_queries} queries for {small_rows} rows, {queries} for {rows}"
        )


def test_a_page_of_results_is_at_most_eight_queries(world, api_as, django_assert_max_num_queries):
    client = api_as("trust_user")
    client.get(f"{API}/results/")  # token's last use recorded once a minute: not in the count
    # token lookup, permission rules need none, snapshot, results page, LA figures, school
    # figures, measure validation (none here) ...
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/results/?page_size=500").status_code == 200
