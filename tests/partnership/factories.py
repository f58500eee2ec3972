"""Factories for partnership tests (built through the services where there is one)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from partnership.governance import services as governance_services
from partnership.governance.models import Board, Membership, Partnership, Person
from partnership.support import services as support_services
from partnership.support.models import SystemLeader
from tests.factories import SchoolFactory


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)

    name = "Portsmouth Education Partnership"
    vision = "Every Portsmouth learner in a good or better school."


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")
    kind = Board.Kind.STRATEGIC
    meeting_frequency = Board.Frequency.TERMLY
    quorum_percent = 50
    quorum_basis = Board.QuorumBasis.VOTING_MEMBERS


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.org")


def add_member(
    board,
    *,
    person=None,
    voting=True,
    position=Membership.Position.MEMBER,
    start=dt.date(2016, 9, 1),
    represents="primary_head",
    user=None,
):
    person = person or PersonFactory(user=user)
    return governance_services.membership_create(
        board=board,
        person=person,
        represents=represents,
        start_date=start,
        position=position,
        voting=voting,
    )


def at(year, month, day, hour=16, minute=0):
    london = timezone.get_default_timezone()
    return dt.datetime(year, month, day, hour, minute, tzinfo=london)


class SystemLeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemLeader

    name = factory.Sequence(lambda n: f"Leader {n}")
    designation = "sle"
    home_school = factory.SubFactory(
        SchoolFactory, name=factory.Sequence(lambda n: f"Leader Home School {n}")
    )


def deploy(*, leader, school, focus="ks2_maths", days="3", start=dt.date(2016, 10, 1), **kw):
    return support_services.deployment_create(
        leader=leader,
        supported_school=school,
        focus=focus,
        commissioned_by=kw.pop("commissioned_by", "partnership"),
        days=Decimal(days),
        start_date=start,
        **kw,
    )
