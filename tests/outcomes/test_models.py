"""The database itself refuses results that would break the rules the pages rely on."""

import pytest
from django.db import IntegrityError, transaction

from outcomes.models import AreaType, Measure, PupilGroup, Result
from tests.factories import LocalAuthorityFactory, SchoolFactory

from .factories import ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_catalogue_ships_every_domain_measure_with_its_settings():
    codes = set(Measure.objects.values_list("code", flat=True))
    assert {
        "eyfsp_gld",
        "phonics_y1_exp",
        "ks1_rwm_exp",
        "ks2_rwm_exp",
        "ks2_rwm_high",
        "ks2_read_prog",
        "ks4_att8",
        "ks4_p8",
        "ks4_ebacc_entry",
        "ks4_ebacc_aps",
        "ks4_basics_94",
        "ks4_basics_95",
        "ks4_basics_ac",
        "ks4_5ac_em",
        "abs_overall_pct",
        "abs_persistent_pct",
        "ofsted_schools_gob_pct",
        "ofsted_pupils_gob_pct",
        "p16_participation_16",
        "p16_participation_17",
        "p16_l2_by19",
        "p16_l3_by19",
        "p16_em_by19",
    } <= codes
    absence = Measure.objects.get(code="abs_persistent_pct")
    assert not absence.higher_is_better
    p8 = Measure.objects.get(code="ks4_p8")
    assert p8.has_confidence_interval and p8.unit == "progress"
    assert PupilGroup.DISADVANTAGED in Measure.objects.get(code="ks2_rwm_exp").groups
    assert set(
        Measure.objects.get(code="ks2_rwm_exp").mappings.values_list("source", flat=True)
    ) == {"lait", "ees"}
    assert Measure.objects.get(code="abs_overall_pct").mappings.filter(source="ees").exists()


@pytest.mark.parametrize("area_type", ["school", "la", "region", "national"])
def test_one_result_per_measure_area_year_and_group(area_type):
    la = LocalAuthorityFactory(code=851, name="Portsmouth")
    area = {
        "school": {"school": SchoolFactory(la=la), "la": None},
        "la": {"la": la},
        "region": {"la": None, "region": "South East"},
        "national": {"la": None},
    }[area_type]
    ResultFactory(area_type=area_type, **area)
    ResultFactory(area_type=area_type, pupil_group="boys", **area)  # another group is fine
    ResultFactory(area_type=area_type, academic_year=2015, **area)  # another year is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(area_type=area_type, value=50.0, **area)


def test_a_value_or_a_suppression_never_both_never_neither():
    ResultFactory(value=None, suppression="suppressed")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(value=None, suppression="", pupil_group="boys")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(value=0.0, suppression="suppressed", pupil_group="girls")


def test_area_must_match_area_type():
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(area_type=AreaType.NATIONAL)  # names an LA
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(area_type=AreaType.SCHOOL)  # names no school


def test_confidence_interval_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(value=-1.6, ci_lower=-0.1, ci_upper=-3.1)


def test_target_of_top_half_needs_a_percentage():
    from django.core.exceptions import ValidationError

    target = TargetFactory.build(la=LocalAuthorityFactory(code=851), value=None)
    with pytest.raises(ValidationError) as exc:
        target.full_clean()
    assert "value" in exc.value.message_dict
    assert Result.objects.count() == 0
