"""Similar schools on a hand-made set, every figure worked by hand.

Pool (FSM %, pupils on roll): A (10, 200), B (20, 400), C (30, 300), D (40, 100).
FSM: mean 25, population SD sqrt(((-15)^2 + (-5)^2 + 5^2 + 15^2) / 4) = sqrt(125) = 11.1803.
Size: mean 250, SD sqrt((50^2 + 150^2 + 50^2 + 150^2) / 4) = sqrt(12500) = 111.803.
z(FSM): A -1.3416, B -0.4472, C 0.4472, D 1.3416.
z(size): A -0.4472, B 1.3416, C 0.4472, D -1.3416.
From C: B sqrt(0.8944^2 + 0.8944^2) = sqrt(1.6) = 1.2649;
        A sqrt(1.7889^2 + 0.8944^2) = sqrt(4) = 2.0; D sqrt(0.8944^2 + 1.7889^2) = 2.0.
"""

import math

import pytest

from partnership.calculations.similar_schools import Candidate, similar_schools

A = Candidate(1, "Alder", fsm=10, prior=None, size=200)
B = Candidate(2, "Beech", fsm=20, prior=None, size=400)
C = Candidate(3, "Cedar", fsm=30, prior=None, size=300)
D = Candidate(4, "Damson", fsm=40, prior=None, size=100)


def test_nearest_schools_by_standardised_distance_worked_by_hand():
    result = similar_schools(C, [A, B, C, D])
    assert [n.candidate.name for n in result.nearest] == ["Beech", "Alder", "Damson"]
    assert [round(n.distance, 4) for n in result.nearest] == [1.2649, 2.0, 2.0]
    fsm, size = result.used
    assert (fsm.mean, round(fsm.sd, 4), fsm.n) == (25, 11.1803, 4)
    assert (size.mean, round(size.sd, 3), size.n) == (250, 111.803, 4)
    assert round(result.school_z["fsm"], 4) == 0.4472
    assert round(result.nearest[0].z["size"], 4) == 1.3416
    # Prior attainment is not recorded for Cedar: said, not guessed.
    assert result.unused == [
        ("Prior attainment (cohort average points)", "not recorded for this school")
    ]


def test_count_limits_the_list_and_the_school_is_never_its_own_neighbour():
    result = similar_schools(C, [A, B, C, D], count=1)
    assert [n.candidate.name for n in result.nearest] == ["Beech"]


def test_prior_attainment_counts_when_recorded_and_a_candidate_without_it_is_left_out():
    # Prior attainment: C 15, A 15, B 25 -> mean 18.333, SD sqrt((11.11+11.11+44.44)/3)=4.714.
    a = Candidate(1, "Alder", fsm=10, prior=15, size=200)
    b = Candidate(2, "Beech", fsm=20, prior=25, size=400)
    c = Candidate(3, "Cedar", fsm=30, prior=15, size=300)
    result = similar_schools(c, [a, b, c, D])
    assert [s.name for s in result.used] == ["fsm", "prior", "size"]
    prior = result.used[1]
    assert round(prior.mean, 3) == 18.333 and round(prior.sd, 3) == 4.714
    assert result.left_out == [D]
    # FSM over A, B, C, D still (all have it): z as above. Prior: A and C equal (0 apart),
    # B is 10/4.714 = 2.1213 away. Size z over A, B, C, D as above.
    by_name = {n.candidate.name: n.distance for n in result.nearest}
    assert by_name["Alder"] == pytest.approx(math.sqrt(1.7889**2 + 0 + 0.8944**2), abs=1e-3)
    assert by_name["Beech"] == pytest.approx(math.sqrt(0.8944**2 + 2.1213**2 + 0.8944**2), abs=1e-3)
    assert [n.candidate.name for n in result.nearest] == ["Alder", "Beech"]


def test_an_input_that_does_not_vary_is_not_used():
    same = [Candidate(i, f"S{i}", fsm=20, prior=None, size=100 * i) for i in range(1, 4)]
    result = similar_schools(same[0], same)
    assert [s.name for s in result.used] == ["size"]
    assert ("Free school meals (%)", "the same for every school compared") in result.unused
    assert [n.candidate.name for n in result.nearest] == ["S2", "S3"]
