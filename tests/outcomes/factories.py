"""Factories for outcomes: measures come from the catalogue migration; results are made here."""

import factory

from outcomes.models import AreaType, Measure, PupilGroup, Result, ResultStatus, Target
from tests.factories import LocalAuthorityFactory


def measure(code: str) -> Measure:
    """A measure from the shipped catalogue (migration 0002), by code."""
    return Measure.objects.get(code=code)


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    measure = factory.LazyFunction(lambda: measure("ks2_rwm_exp"))
    area_type = AreaType.LA
    la = factory.SubFactory(LocalAuthorityFactory, code=851, name="Portsmouth")
    academic_year = 2016
    pupil_group = PupilGroup.ALL
    value = 47.6
    status = ResultStatus.PROVISIONAL


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    measure = factory.LazyFunction(lambda: measure("ks2_rwm_exp"))
    la = factory.SubFactory(LocalAuthorityFactory, code=851, name="Portsmouth")
    area_type = AreaType.LA
    kind = Target.Kind.TOP_PERCENT_OF_LAS
    value = 50
    due_date = factory.Faker("date_between", start_date="+1y", end_date="+2y")
