"""Similar schools on the school page: the selector on a small hand-made register and the
page stating the method with its inputs (figures worked in tests/partnership/
test_similar_schools.py: from Cedar, Beech 1.26, then Alder and Damson 2.00)."""

import pytest
from django.urls import reverse

from outcomes.models import AreaType, Measure, Result
from partnership.dashboards import selectors
from tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    la = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    elsewhere = LocalAuthorityFactory(code=852, name="Southampton", in_partnership=False)
    made = {
        name: SchoolFactory(la=la, name=name, percent_fsm=fsm, pupils_on_roll=size)
        for name, fsm, size in (
            ("Alder", 10, 200),
            ("Beech", 20, 400),
            ("Cedar", 30, 300),
            ("Damson", 40, 100),
        )
    }
    # Never compared: another phase, a closed school, a school outside the partnership.
    SchoolFactory(la=la, name="Elm Secondary", phase="secondary", percent_fsm=30)
    SchoolFactory(la=la, name="Fir (closed)", status="closed", percent_fsm=30, pupils_on_roll=300)
    SchoolFactory(la=elsewhere, name="Gorse", percent_fsm=30, pupils_on_roll=300)
    return made


def test_nearest_schools_by_fsm_and_size_worked_by_hand(register):
    block = selectors.similar_schools(info=selectors.snapshot_info(), school=register["Cedar"])
    assert block.pool_size == 3
    assert [(r.school.name, r.distance_text) for r in block.rows] == [
        ("Cedar", ""),
        ("Beech", "1.26"),
        ("Alder", "2.00"),
        ("Damson", "2.00"),
    ]
    assert [s.name for s in block.result.used] == ["fsm", "size"]
    assert [(r.fsm_text, r.size_text, r.prior_text) for r in block.rows[:2]] == [
        ("30.0", "300", "not recorded"),
        ("20.0", "400", "not recorded"),
    ]


def test_prior_attainment_is_read_from_the_published_cohort_average(register):
    prior = Measure.objects.get(code="ks2_prior_ks1_aps")
    for name, value in (("Alder", 15.0), ("Beech", 25.0), ("Cedar", 15.0)):
        for year, v in ((2015, 99.0), (2016, value)):  # the latest year counts
            Result.objects.create(
                measure=prior,
                area_type=AreaType.SCHOOL,
                school=register[name],
                academic_year=year,
                value=v,
            )
    block = selectors.similar_schools(info=selectors.snapshot_info(), school=register["Cedar"])
    assert [s.name for s in block.result.used] == ["fsm", "prior", "size"]
    # Hand-worked in tests/partnership: Alder sqrt(1.7889^2 + 0.8944^2) = 2.00,
    # Beech sqrt(0.8944^2 + 2.1213^2 + 0.8944^2) = 2.47; Damson has no prior attainment.
    assert [(r.school.name, r.distance_text) for r in block.rows[1:]] == [
        ("Alder", "2.00"),
        ("Beech", "2.47"),
    ]
    assert [c.name for c in block.result.left_out] == ["Damson"]


def test_school_page_states_the_method_and_lists_the_similar_schools(register, client_as):
    html = (
        client_as("board_member")
        .get(reverse("partnership:school_page", args=[register["Cedar"].urn]))
        .content.decode()
    )
    assert "The 3 primary schools in the partnership most like this one" in html
    assert "free school meals (%) (mean 25.0, SD 11.2, 4 schools)" in html
    assert "pupils on roll (mean 250.0, SD 111.8, 4 schools)" in html
    assert "Not used: prior attainment (cohort average points) (not recorded" in html
    assert html.index(">Beech</a>") < html.index(">Alder</a>") < html.index(">Damson</a>")
