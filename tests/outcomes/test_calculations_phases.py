import pytest

from outcomes.calculations.phases import key_stages_taught, teaches


@pytest.mark.parametrize(
    ("low", "high", "phase", "expected"),
    [
        (4, 7, "primary", {"eyfsp", "phonics", "ks1", "attendance"}),  # infant
        (7, 11, "primary", {"ks2", "attendance"}),  # junior
        (4, 11, "primary", {"eyfsp", "phonics", "ks1", "ks2", "attendance"}),
        (11, 16, "secondary", {"ks4", "attendance"}),
        (11, 18, "secondary", {"ks4", "post16", "attendance"}),
        (16, 19, "post16", {"post16"}),
        (4, 16, "all_through", {"eyfsp", "phonics", "ks1", "ks2", "ks4", "attendance"}),
        (2, 5, "nursery", set()),
        (None, 11, "primary", set()),
    ],
)
def test_key_stages_follow_the_age_range(low, high, phase, expected):
    assert key_stages_taught(low, high, phase) == expected


def test_an_infant_school_has_no_key_stage_2_and_a_junior_school_no_eyfsp():
    assert not teaches("ks2", 4, 7)
    assert not teaches("eyfsp", 7, 11)
    assert not teaches("phonics", 7, 11)
    assert teaches("ofsted", 7, 11)  # not tied to a year group
