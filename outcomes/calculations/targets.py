"""Progress towards a target: met, on track, not on track, with the numbers behind it.

Kinds (the words officers write in the plan):

- ``top_percent_of_las``: "in the top X% of LAs": met when rank / N <= X%, i.e. rank <= N x X / 100;
- ``halve_gap``: "halve the gap to national" from a baseline year's gap;
- ``better_than_national``: strictly better than national (respecting polarity);
- ``at_least_value``: at least as good as a value (at most, for lower-is-better measures).

"On track" compares the latest figure with a straight line from the baseline to the target
by the due year: a target not yet met is on track when the figure is at least as good as
that line says it should be by now. Without a baseline, a target not yet met is on track
when the figure moved the right way since last year. Past the due year, a target not met is
not on track.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypedDict

from ._values import DECIMALS, as_float, orient

TOP_PERCENT = "top_percent_of_las"  # the values of outcomes.models.Target.Kind
HALVE_GAP = "halve_gap"
BETTER_THAN_NATIONAL = "better_than_national"
AT_LEAST = "at_least_value"
KINDS = (TOP_PERCENT, HALVE_GAP, BETTER_THAN_NATIONAL, AT_LEAST)

MET = "met"
ON_TRACK = "on track"
NOT_ON_TRACK = "not on track"
NO_DATA = "no data"


@dataclass(frozen=True)
class TargetProgress:
    status: str
    current: float | None  # the figure the target is judged on (value, gap or rank)
    required: float | None  # what meeting the target needs
    expected_now: float | None  # the straight-line point for this year, where known
    text: str


def _trajectory(
    baseline: float | None,
    target: float,
    *,
    baseline_year: int | None,
    year: int,
    due_year: int,
) -> float | None:
    if baseline is None or baseline_year is None or due_year <= baseline_year:
        return None
    share = min(max((year - baseline_year) / (due_year - baseline_year), 0.0), 1.0)
    return baseline + (target - baseline) * share


class _Years(TypedDict):
    baseline_year: int | None
    year: int
    due_year: int


def _judge(
    current: float,
    required: float,
    *,
    better: int,
    baseline: float | None,
    baseline_year: int | None,
    previous: float | None,
    year: int,
    due_year: int,
    strict: bool = False,
) -> tuple[str, float | None]:
    """Status for a figure where ``better`` = +1 (higher is better) or -1 (lower is better).

    ``strict``: the target must be beaten, not equalled ("better than national").
    """
    # Stored values are decimals held as floats: 50.3 - 53.0 must equal -2.7 exactly here.
    margin = round((current - required) * better, DECIMALS)
    if margin > 0 or (margin == 0 and not strict):
        return MET, None
    if year >= due_year:
        return NOT_ON_TRACK, None
    expected = _trajectory(
        baseline, required, baseline_year=baseline_year, year=year, due_year=due_year
    )
    if expected is not None:
        ahead = round((current - expected) * better, DECIMALS)
        return (ON_TRACK if ahead >= 0 else NOT_ON_TRACK), expected
    if previous is not None and (current - previous) * better > 0:
        return ON_TRACK, None
    return NOT_ON_TRACK, None


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def target_progress(
    *,
    kind: str,
    year: int,
    due_year: int,
    higher_is_better: bool = True,
    value: float | None = None,
    national: float | None = None,
    rank: int | None = None,
    n: int | None = None,
    threshold: float | None = None,
    baseline: float | None = None,
    baseline_year: int | None = None,
    previous: float | None = None,
) -> TargetProgress:
    """Judge one target in ``year``.

    - ``top_percent_of_las``: ``threshold`` is X; ``rank``/``n`` the LA's rank; ``baseline`` and
      ``previous`` are earlier ranks.
    - ``halve_gap``: ``baseline`` is the baseline year's gap (value - national); ``value`` and
      ``national`` give this year's gap; ``previous`` last year's gap.
    - ``better_than_national``: ``value``/``national``; ``baseline``/``previous`` earlier gaps.
    - ``at_least_value``: ``threshold`` is the value to reach; ``baseline``/``previous`` earlier
      values.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown target kind {kind!r}; expected one of {', '.join(KINDS)}.")
    better = 1 if higher_is_better else -1
    judge = _Years(baseline_year=baseline_year, year=year, due_year=due_year)

    if kind == TOP_PERCENT:
        if threshold is None:
            raise ValueError("A top-X% target needs its percentage (threshold).")
        if rank is None or not n:
            return TargetProgress(NO_DATA, None, None, None, "No rank this year.")
        worst_rank_allowed = math.floor(n * float(threshold) / 100)
        status, expected = _judge(
            float(rank),
            float(worst_rank_allowed),
            better=-1,
            baseline=as_float(baseline),
            previous=as_float(previous),
            **judge,
        )
        text = (
            f"Ranked {rank} of {n}; the top {_num(float(threshold))}% needs "
            f"{worst_rank_allowed} or better"
        )
        if status != MET:
            text += f" ({rank - worst_rank_allowed} places to climb)"
        return TargetProgress(status, float(rank), float(worst_rank_allowed), expected, text + ".")

    if kind in (HALVE_GAP, BETTER_THAN_NATIONAL):
        value, national = as_float(value), as_float(national)
        if value is None or national is None:
            return TargetProgress(NO_DATA, None, None, None, "No value or no national figure.")
        current_gap = orient(value - national, higher_is_better)
        if kind == HALVE_GAP:
            base_gap = orient(as_float(baseline), higher_is_better)
            if base_gap is None:
                raise ValueError("A halve-the-gap target needs the baseline gap.")
            required = base_gap / 2 if base_gap < 0 else base_gap
            label = f"halving the baseline gap of {_num(round(abs(base_gap), 1))} needs"
        else:
            base_gap = orient(as_float(baseline), higher_is_better)
            required = 0.0
            label = "better than national needs"
        status, expected = _judge(
            current_gap,
            required,
            better=1,
            baseline=base_gap,
            previous=orient(as_float(previous), higher_is_better),
            strict=kind == BETTER_THAN_NATIONAL,  # level with national is not better
            **judge,
        )
        shown_gap = value - national
        if kind == HALVE_GAP:
            text = (
                f"Gap to national {_num(round(shown_gap, 1))}; {label} a gap of "
                f"{_num(round(abs(required), 1))} or less"
            )
        else:
            text = f"Gap to national {_num(round(shown_gap, 1))}; {label} a positive gap"
        return TargetProgress(
            status,
            shown_gap,
            required * better,
            None if expected is None else expected * better,
            text + ".",
        )

    # AT_LEAST
    if threshold is None:
        raise ValueError("An at-least target needs the value to reach (threshold).")
    value = as_float(value)
    if value is None:
        return TargetProgress(NO_DATA, None, float(threshold), None, "No value this year.")
    status, expected = _judge(
        value,
        float(threshold),
        better=better,
        baseline=as_float(baseline),
        previous=as_float(previous),
        **judge,
    )
    word = "at least" if higher_is_better else "at most"
    text = f"{_num(round(value, 1))} against a target of {word} {_num(float(threshold))}"
    return TargetProgress(status, value, float(threshold), expected, text + ".")
