"""Fixtures for the action plan: a small plan, a lead who is not an officer, private media."""

import datetime as dt

import pytest
from django.utils import timezone

from actionplan import services
from pep_portal.accounts.models import Role
from tests.factories import UserFactory

from .factories import (
    ActionFactory,
    LeadRoleFactory,
    MilestoneFactory,
    PlanFactory,
    PriorityFactory,
)

ALL_ROLES = [
    "anonymous",
    "officer",
    "portal_admin",
    "lead",
    "board_member",
    "head",
    "school_colleague",
    "trust_user",
]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded evidence goes to a temporary MEDIA_ROOT for each test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def hsi(db):
    return LeadRoleFactory(code="HSI", title="Head of School Improvement (Interim)")


@pytest.fixture
def lead(db, hsi):
    """A board member who holds the HSI lead role: leads HSI milestones, nothing else."""
    user = UserFactory(
        email="hsi@example.org", role=Role.BOARD_MEMBER, first_name="Hana", last_name="Lead"
    )
    hsi.holders.add(user)
    return user


@pytest.fixture
def plan(db):
    return PlanFactory(title="Ofsted action plan", is_current=True)


@pytest.fixture
def priority(plan):
    return PriorityFactory(plan=plan, number=2, title="Robustly challenge all providers")


@pytest.fixture
def action(priority, hsi):
    return ActionFactory(
        priority=priority,
        number="2.2",
        description="Strengthen the School Assessment Meetings",
        who="HSI",
        when="By Sept 2016",
        leads=[hsi],
    )


@pytest.fixture
def milestone(action, today):
    m = MilestoneFactory(
        action=action,
        order=1,
        title="Revised schools causing concern categorisation process",
        due_date=today + dt.timedelta(days=30),
    )
    services.milestone_rag_recompute(today=today)
    m.refresh_from_db()
    return m
