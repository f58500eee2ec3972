"""The demo register: Portsmouth and about 60 schools, loaded twice without change."""

import pytest

from schools import demo
from schools.models import Category, LocalAuthority, OfstedInspection, Phase, School, Trust

from .conftest import register_counts

pytestmark = pytest.mark.django_db


def test_demo_register_is_portsmouth_shaped_and_idempotent():
    demo.load()
    first = register_counts()
    demo.load()
    assert register_counts() == first

    la = LocalAuthority.objects.get(code=851)
    assert (la.name, la.in_partnership, la.gss_code, la.region) == (
        "Portsmouth", True, "E06000044", "South East"
    )  # fmt: skip
    open_schools = School.objects.filter(la=la, status=School.Status.OPEN)
    assert 55 <= open_schools.count() <= 65
    academies = open_schools.filter(trust__isnull=False).count()
    assert 0.28 <= academies / open_schools.count() <= 0.42
    assert Trust.objects.filter(schools__la=la).distinct().count() == 11
    phases = set(open_schools.values_list("phase", flat=True))
    assert {
        Phase.NURSERY,
        Phase.PRIMARY,
        Phase.SECONDARY,
        Phase.ALL_THROUGH,
        Phase.POST16,
    } <= phases
    categories = set(open_schools.values_list("category", flat=True))
    assert {Category.SPECIAL, Category.PRU, Category.POST16, Category.LA_MAINTAINED} <= categories
    assert open_schools.exclude(diocese="").count() >= 4
    assert School.objects.filter(status=School.Status.CLOSED).exists()
    assert all(s.postcode[:3] in {"PO1", "PO2", "PO3", "PO4", "PO5", "PO6"} for s in open_schools)
    assert not open_schools.filter(percent_fsm__isnull=True).exists()
    assert not open_schools.filter(percent_eal__isnull=True).exists()
    assert not open_schools.filter(percent_sen__isnull=True).exists()


def test_demo_ofsted_history_is_mostly_graded_with_some_later_inspections_without_a_grade():
    demo.load()

    graded = OfstedInspection.objects.filter(overall_effectiveness__isnull=False)
    ungraded = OfstedInspection.objects.filter(overall_effectiveness__isnull=True)
    assert graded.count() > 3 * ungraded.count() > 0
    assert not graded.filter(inspection_date__gte="2024-09-01").exists()
    assert not ungraded.filter(inspection_date__lt="2024-09-01").exists()
    assert ungraded.filter(framework="report_card").exclude(area_grades={}).exists()


def test_demo_has_an_la_maintained_primary_for_the_demo_head():
    demo.load()
    head_school = (
        School.objects.filter(la__code=851, phase="primary", trust__isnull=True)
        .order_by("urn")
        .first()
    )
    assert head_school is not None and head_school.category == Category.LA_MAINTAINED
