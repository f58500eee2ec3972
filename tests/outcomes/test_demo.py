"""The demo outcomes: the 2016 tables as printed, 150 LAs giving the published ranks."""

import pytest

from outcomes import demo
from outcomes.calculations import ranking
from outcomes.models import AreaType, Result
from schools.models import LocalAuthority, StatisticalNeighbour
from tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_schools(db):
    portsmouth = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    primary = SchoolFactory(la=portsmouth, urn=116500, phase="primary", pupils_on_roll=420)
    tiny = SchoolFactory(la=portsmouth, urn=116501, phase="primary", pupils_on_roll=49)
    secondary = SchoolFactory(
        la=portsmouth,
        urn=116600,
        phase="secondary",
        statutory_low_age=11,
        statutory_high_age=16,
        pupils_on_roll=1000,
    )
    return primary, tiny, secondary


def _la_values(code, year=2016, group="all"):
    return {
        la: value
        for la, value in Result.objects.filter(
            measure__code=code, academic_year=year, pupil_group=group, area_type=AreaType.LA
        ).values_list("la__code", "value")
    }


@pytest.mark.parametrize(
    ("code", "value", "rank", "joint"),
    [
        ("ks2_rwm_exp", 47.6, 140, True),
        ("ks2_read_exp", 61.3, 119, False),
        ("ks2_writ_exp", 72.6, 114, False),
        ("ks2_mat_exp", 63.8, 135, False),
    ],
)
def test_demo_las_give_the_published_ranks(demo_schools, code, value, rank, joint):
    demo.load()
    values = _la_values(code)
    assert len(values) == 150
    assert values[851] == value
    result = ranking.rank_within(value, values.values(), higher_is_better=True)
    assert (result.rank, result.n, result.joint) == (rank, 150, joint)


def test_demo_national_figures_give_the_printed_gaps(demo_schools):
    demo.load()
    national = dict(
        Result.objects.filter(
            area_type=AreaType.NATIONAL, academic_year=2016, pupil_group="all"
        ).values_list("measure__code", "value")
    )
    printed_gaps = {
        "ks2_rwm_exp": -5.4,
        "ks2_read_exp": -4.7,
        "ks2_writ_exp": -1.7,
        "ks2_mat_exp": -6.3,
        "eyfsp_gld": 0.4,
        "phonics_y1_exp": 0.8,
        "ks1_rwm_exp": -1.8,
        "ks1_read_exp": -1.4,
        "ks1_writ_exp": -2.9,
        "ks1_mat_exp": -1.9,
    }
    own = _la_values
    for code, gap in printed_gaps.items():
        assert round(own(code)[851] - national[code], 1) == gap, code
    assert national["ks2_writ_exp"] == 74.3


def test_demo_is_idempotent_and_deterministic(demo_schools):
    first = demo.load()
    snapshot = sorted(
        Result.objects.values_list(
            "measure__code",
            "area_type",
            "la__code",
            "school__urn",
            "academic_year",
            "pupil_group",
            "value",
            "ci_lower",
            "ci_upper",
            "suppression",
        ),
        key=str,
    )
    second = demo.load()
    assert first["created"] > 0
    assert second == {"created": 0, "updated": 0}
    assert (
        sorted(
            Result.objects.values_list(
                "measure__code",
                "area_type",
                "la__code",
                "school__urn",
                "academic_year",
                "pupil_group",
                "value",
                "ci_lower",
                "ci_upper",
                "suppression",
            ),
            key=str,
        )
        == snapshot
    )


def test_demo_gives_schools_results_by_phase_and_history(demo_schools):
    primary, tiny, secondary = demo_schools
    demo.load()
    primary_codes = set(primary.results.values_list("measure__code", flat=True))
    assert {"ks2_rwm_exp", "ks2_read_prog", "phonics_y1_exp"} <= primary_codes
    assert "ks4_att8" not in primary_codes
    assert set(
        primary.results.filter(measure__code="phonics_y1_exp").values_list(
            "academic_year", flat=True
        )
    ) == {2014, 2015, 2016}
    assert set(
        secondary.results.filter(measure__code="ks4_att8").values_list("academic_year", flat=True)
    ) == {2015, 2016}
    # a cohort of 7 is suppressed: stored without a number, never as 0
    small = tiny.results.get(measure__code="ks2_rwm_exp", academic_year=2016)
    assert (small.value, small.suppression) == (None, "suppressed")


def test_demo_neighbours_and_las(demo_schools):
    demo.load()
    assert LocalAuthority.objects.count() == 150
    portsmouth = LocalAuthority.objects.get(code=851)
    neighbours = list(
        StatisticalNeighbour.objects.filter(la=portsmouth).values_list("neighbour__code", flat=True)
    )
    assert neighbours[0] == 852 and len(neighbours) == 10
