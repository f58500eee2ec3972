"""Gaps between pupil groups, the comparisons the boards watch (DOMAIN.md 2).

- disadvantaged: the area's disadvantaged pupils against NON-disadvantaged pupils
  nationally (DfE's comparison: the gap to be closed is to other pupils nationally);
- boys vs girls: the area's boys minus the area's girls;
- SEN: the area's SEN support pupils minus all the area's pupils.

A group gap is "group minus comparator group"; negative means the group does worse on a
higher-is-better measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .gaps import gap

ALL = "all"
DISADVANTAGED = "disadvantaged"
NON_DISADVANTAGED = "non_disadvantaged"
BOYS = "boys"
GIRLS = "girls"
SEN_SUPPORT = "sen_support"
EHCP = "ehcp"
EAL = "eal"


@dataclass(frozen=True)
class GroupComparison:
    name: str  # what the boards call it
    group: str
    comparator_group: str
    comparator_national: bool  # True: the comparator group's national value


COMPARISONS: tuple[GroupComparison, ...] = (
    GroupComparison(
        "Disadvantaged vs other pupils nationally", DISADVANTAGED, NON_DISADVANTAGED, True
    ),
    GroupComparison("Boys vs girls", BOYS, GIRLS, False),
    GroupComparison("SEN support vs all pupils", SEN_SUPPORT, ALL, False),
)


@dataclass(frozen=True)
class GroupGap:
    comparison: GroupComparison
    value: float | None
    comparator: float | None
    gap: float | None


def group_gaps(
    values: Mapping[str, float | None],
    national: Mapping[str, float | None],
    comparisons: tuple[GroupComparison, ...] = COMPARISONS,
) -> list[GroupGap]:
    """Each comparison for one area, measure and year.

    ``values``: the area's value by group code; ``national``: national values by group code.
    A missing value on either side gives a None gap, never a gap against 0.
    """
    out = []
    for comparison in comparisons:
        own = values.get(comparison.group)
        source = national if comparison.comparator_national else values
        other = source.get(comparison.comparator_group)
        out.append(GroupGap(comparison, own, other, gap(own, other)))
    return out


def add_group_gaps(
    frame: pd.DataFrame,
    national: pd.DataFrame,
    *,
    keys: Sequence[str] = ("measure", "year"),
    area: str = "area",
    group: str = "group",
    value: str = "value",
    comparisons: tuple[GroupComparison, ...] = COMPARISONS,
) -> pd.DataFrame:
    """Vectorised group gaps for many areas: one row per area x keys x comparison.

    ``frame``: long rows (area, keys..., group, value); ``national``: long rows (keys...,
    group, value). Returns area, keys, ``comparison`` (its name), ``value``, ``comparator``
    and ``gap``.
    """
    keys = list(keys)
    wide = frame.pivot_table(index=[area, *keys], columns=group, values=value, aggfunc="first")
    nat = national.pivot_table(index=keys, columns=group, values=value, aggfunc="first")
    parts = []
    for comparison in comparisons:
        own = wide.get(comparison.group)
        if own is None:
            continue
        if comparison.comparator_national:
            other_by_key = nat.get(comparison.comparator_group)
            if other_by_key is None:
                other = pd.Series(float("nan"), index=wide.index)
            else:
                other = wide.reset_index()[keys].merge(
                    other_by_key.rename("c").reset_index(), on=keys, how="left"
                )["c"]
                other.index = wide.index
        else:
            other = wide.get(comparison.comparator_group)
            if other is None:
                other = pd.Series(float("nan"), index=wide.index)
        part = pd.DataFrame({"value": own, "comparator": other}, index=wide.index)
        part["gap"] = part["value"] - part["comparator"]
        part["comparison"] = comparison.name
        parts.append(part.reset_index())
    if not parts:
        return pd.DataFrame(columns=[area, *keys, "comparison", "value", "comparator", "gap"])
    return pd.concat(parts, ignore_index=True)[
        [area, *keys, "comparison", "value", "comparator", "gap"]
    ]
