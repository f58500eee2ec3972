"""Fixtures for the REST API: token clients per role, and a small world of data.

``world``: Portsmouth (851, in the partnership) and a neighbour LA; ``school`` (in ``trust``)
and ``other_school`` (in ``other_trust``) with KS2 results; LA and national results; a
PUBLISHED nightly snapshot with figures for the LA and for ``school``; the action plan with
a milestone and its update; a 3Ms decision and a deployment for each school.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actionplan.models import MilestoneUpdate
from outcomes.models import AreaType, IndicatorFigure, Measure, Result, SchoolFigure
from partnership.categorisation.models import CategorisationDecision, CategorisationReview
from partnership.support.models import Deployment, SystemLeader
from pep_portal.api_tokens.models import ApiToken
from pep_portal.api_tokens.services import api_token_create
from pep_portal.nightly.models import NightlyRun
from pep_portal.nightly.services import nightly_run_publish
from schools.models import LocalAuthority, StatisticalNeighbour
from tests.actionplan.factories import ActionFactory, MilestoneFactory, PlanFactory, PriorityFactory
from tests.factories import LocalAuthorityFactory

API = "/api/v1"


def token_for(user, *, expires_on=None, expired=False) -> str:
    token, text = api_token_create(user=user, name="Test token", expires_on=expires_on)
    if expired:
        ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(minutes=1))
    return text


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(request):
    """api_as("trust_user") -> an APIClient sending that user's token ("anonymous": none)."""

    def _api_as(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            user = request.getfixturevalue(role)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return _api_as


def publish_run() -> NightlyRun:
    run = NightlyRun.objects.create(
        status=NightlyRun.Status.RUNNING, started_at=timezone.now(), trigger="command"
    )
    assert nightly_run_publish(run_id=run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def world(db, school, other_school, trust, other_trust):
    portsmouth = school.la
    southampton = LocalAuthorityFactory(code=852, name="Southampton")
    StatisticalNeighbour.objects.create(la=portsmouth, neighbour=southampton, position=1)
    rwm = Measure.objects.get(code="ks2_rwm_exp")
    national = Result.objects.create(
        measure=rwm, area_type=AreaType.NATIONAL, academic_year=2016, value=53.5
    )
    la_result = Result.objects.create(
        measure=rwm, area_type=AreaType.LA, la=portsmouth, academic_year=2016, value=47.6
    )
    la_2015 = Result.objects.create(
        measure=rwm, area_type=AreaType.LA, la=portsmouth, academic_year=2015, value=45.0
    )
    neighbour_result = Result.objects.create(
        measure=rwm, area_type=AreaType.LA, la=southampton, academic_year=2016, value=50.1
    )
    school_result = Result.objects.create(
        measure=rwm,
        area_type=AreaType.SCHOOL,
        school=school,
        academic_year=2016,
        value=61.0,
        cohort=60,
    )
    other_school_result = Result.objects.create(
        measure=rwm,
        area_type=AreaType.SCHOOL,
        school=other_school,
        academic_year=2016,
        value=None,
        suppression="suppressed",
    )
    run = publish_run()
    IndicatorFigure.objects.create(
        run=run,
        measure=rwm,
        la=portsmouth,
        year=2016,
        group="all",
        value=47.6,
        national=53.5,
        gap=47.6 - 53.5,
        rank=140,
        rank_n=150,
        rank_joint=True,
        quartile="D",
        rag="red",
        rag_reason="Bottom quartile",
    )
    SchoolFigure.objects.create(
        run=run,
        school=school,
        measure=rwm,
        year=2016,
        group="all",
        value=61.0,
        la_value=47.6,
        national=53.5,
        gap=61.0 - 53.5,
        gap_la=61.0 - 47.6,
        rag="green",
        rag_reason="At or above national",
    )
    plan = PlanFactory(title="Portsmouth school improvement plan")
    priority = PriorityFactory(plan=plan, number=1)
    action = ActionFactory(priority=priority, number="1.1")
    milestone = MilestoneFactory(action=action, order=1, title="All heads trained")
    update = MilestoneUpdate(
        milestone=milestone,
        author=_officer(),
        status="at_risk",
        progress=40,
        note="Two sessions postponed",
    )
    update.save()
    review = CategorisationReview.objects.create(
        name="Autumn 2016", review_date=dt.date(2016, 11, 1)
    )
    decision = CategorisationDecision.objects.create(
        review=review,
        school=school,
        category="moderate",
        rationale="KS2 below floor",
        decided_on=dt.date(2016, 11, 2),
    )
    other_decision = CategorisationDecision.objects.create(
        review=review,
        school=other_school,
        category="maximum",
        rationale="Inadequate",
        decided_on=dt.date(2016, 11, 2),
    )
    leader = SystemLeader.objects.create(name="Pat Leader", designation="nle")
    deployment = Deployment.objects.create(
        leader=leader,
        designation="nle",
        supported_school=school,
        focus="ks2_maths",
        commissioned_by="partnership",
        days=Decimal("3"),
        start_date=dt.date(2016, 10, 1),
    )
    other_deployment = Deployment.objects.create(
        leader=leader,
        designation="nle",
        supported_school=other_school,
        focus="leadership",
        commissioned_by="partnership",
        days=Decimal("5"),
        start_date=dt.date(2016, 10, 3),
    )
    return {
        "la": portsmouth,
        "neighbour": southampton,
        "measure": rwm,
        "national": national,
        "la_result": la_result,
        "la_2015": la_2015,
        "neighbour_result": neighbour_result,
        "school_result": school_result,
        "other_school_result": other_school_result,
        "run": run,
        "plan": plan,
        "milestone": milestone,
        "decision": decision,
        "other_decision": other_decision,
        "deployment": deployment,
        "other_deployment": other_deployment,
    }


def _officer():
    from tests.factories import UserFactory

    return UserFactory(email="plan-author@example.org", officer=True)


__all__ = ["API", "LocalAuthority", "publish_run", "token_for"]
