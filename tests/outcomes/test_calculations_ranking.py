"""LA ranks as LAIT computes them: 1 = best, ties share the lowest rank, no value no rank."""

import numpy as np
import pandas as pd
import pytest

from outcomes.calculations import ranking


@pytest.mark.parametrize(
    ("value", "others", "higher_is_better", "expected"),
    [
        (60.0, [50.0, 55.0, 70.0], True, (2, 4, False)),
        (70.0, [50.0, 55.0, 60.0], True, (1, 4, False)),
        (50.0, [55.0, 60.0, 70.0], True, (4, 4, False)),
        # ties take the lowest rank and are "joint"
        (55.0, [55.0, 60.0, 70.0], True, (3, 4, True)),
        (70.0, [70.0, 50.0], True, (1, 3, True)),
        # lower is better (absence): the smallest value ranks 1st
        (4.0, [3.5, 5.0, 6.0], False, (2, 4, False)),
        (3.5, [3.5, 5.0, 6.0], False, (1, 4, True)),
        # LAs without a value are not counted in N
        (60.0, [None, float("nan"), 70.0], True, (2, 2, False)),
    ],
)
def test_rank_within(value, others, higher_is_better, expected):
    result = ranking.rank_within(value, [value, *others], higher_is_better=higher_is_better)
    assert (result.rank, result.n, result.joint) == expected


def test_no_value_no_rank():
    assert ranking.rank_within(None, [None, 50.0, 60.0], higher_is_better=True) is None


def _frame():
    rows = []
    # measure A (higher is better): 5 LAs with a value, two tied, one missing
    for la, value in [(1, 60.0), (2, 55.0), (3, 55.0), (4, 40.0), (5, None), (6, 70.0)]:
        rows.append(("A", 2016, "all", la, value, True))
    # measure B (lower is better, e.g. absence)
    for la, value in [(1, 4.0), (2, 5.5), (3, 3.9), (4, 3.9), (5, 6.1), (6, None)]:
        rows.append(("B", 2016, "all", la, value, False))
    # the same measure another year: ranked separately
    for la, value in [(1, 10.0), (2, 20.0)]:
        rows.append(("A", 2015, "all", la, value, True))
    return pd.DataFrame(
        rows, columns=["measure", "year", "group", "la", "value", "higher_is_better"]
    )


@pytest.mark.parametrize(
    ("measure", "year", "la", "rank", "n", "joint"),
    [
        ("A", 2016, 6, 1, 5, False),
        ("A", 2016, 1, 2, 5, False),
        ("A", 2016, 2, 3, 5, True),
        ("A", 2016, 3, 3, 5, True),
        ("A", 2016, 4, 5, 5, False),  # after a tie at 3rd the next is 5th
        ("B", 2016, 3, 1, 5, True),
        ("B", 2016, 4, 1, 5, True),
        ("B", 2016, 1, 3, 5, False),
        ("B", 2016, 5, 5, 5, False),
        ("A", 2015, 2, 1, 2, False),
        ("A", 2015, 1, 2, 2, False),
    ],
)
def test_add_ranks_vectorised_over_measures_years_and_polarity(measure, year, la, rank, n, joint):
    out = ranking.add_ranks(_frame())
    row = out[(out.measure == measure) & (out.year == year) & (out.la == la)].iloc[0]
    assert (row["rank"], row["n"], bool(row["joint"])) == (rank, n, joint)


def test_add_ranks_leaves_missing_values_without_rank_or_n():
    out = ranking.add_ranks(_frame())
    missing = out[out.value.isna()]
    assert len(missing) == 2
    assert missing["rank"].isna().all()
    assert missing["n"].isna().all()
    assert not missing["joint"].any()


def test_add_ranks_agrees_with_the_scalar_rank_on_random_data():
    rng = np.random.default_rng(7)
    values = np.round(rng.normal(50, 8, 150), 0)  # whole numbers: plenty of ties
    values[[3, 40]] = np.nan
    frame = pd.DataFrame(
        {
            "measure": "A",
            "year": 2016,
            "group": "all",
            "la": range(150),
            "value": values,
            "higher_is_better": True,
        }
    )
    out = ranking.add_ranks(frame)
    for _, row in out.iterrows():
        expected = ranking.rank_within(row["value"], values, higher_is_better=True)
        if expected is None:
            assert pd.isna(row["rank"])
        else:
            assert (row["rank"], row["n"], bool(row["joint"])) == (
                expected.rank,
                expected.n,
                expected.joint,
            )
