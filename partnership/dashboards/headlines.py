"""Strengths and challenges in plain sentences, from snapshot figures (pure: no ORM).

Each indicator is tested on three counts, as the commercial LA tools do:

1. the gap to national ("6.3 points below national"),
2. how that gap changed on last year ("gap widened by 1.2"),
3. how the LA's rank changed ("rank fell 12 places").

so a board member reads "KS2 maths: 6.3 points below national, gap widened by 1.2, rank
fell 12 places" without reading a chart. Polarity is respected: for overall absence (lower
is better) being above national is the weakness, and a falling rank number is a rise.
"""

from __future__ import annotations

from dataclasses import dataclass

from outcomes.calculations import formatting, rank_pool

STRENGTH = "strength"
CHALLENGE = "challenge"

UNIT_WORDS = {"percent": "points", "score": "points", "progress": "", "count": ""}


@dataclass(frozen=True)
class IndicatorFacts:
    """What one sentence needs about one indicator (latest year, and last year's)."""

    code: str
    name: str
    unit: str
    precision: int
    higher_is_better: bool
    year: int
    value: float | None
    national: float | None
    gap: float | None
    previous_gap: float | None = None
    rank: int | None = None
    previous_rank: int | None = None
    rank_n: int | None = None
    previous_value: float | None = None
    previous_rank_n: int | None = None
    rag: str = "none"
    suppression: str = ""


@dataclass(frozen=True)
class Headline:
    code: str
    name: str
    kind: str  # STRENGTH or CHALLENGE
    sentence: str
    weight: float  # how far from national, oriented (negative = behind); for ordering


def _amount(value: float, precision: int, unit: str) -> str:
    text = formatting.format_number(abs(value), precision)
    word = UNIT_WORDS.get(unit, "")
    return f"{text} {word}" if word else text


def _is_zero(value: float, precision: int) -> bool:
    return formatting.format_number(abs(value), precision).strip("0.") == ""


def gap_phrase(f: IndicatorFacts) -> str:
    """Count 1: where the LA stands against national."""
    if f.gap is None:
        return "no national comparison"
    if _is_zero(f.gap, f.precision):
        return "in line with national"
    side = "above" if f.gap > 0 else "below"
    return f"{_amount(f.gap, f.precision, f.unit)} {side} national"


def gap_change_phrase(f: IndicatorFacts) -> str:
    """Count 2: the change on last year, told as the gap to national widening or narrowing;
    where last year has a figure but no gap (no national then), the change in the figure."""
    if f.gap is None or f.previous_gap is None:
        return value_change_phrase(f)
    sign = 1.0 if f.higher_is_better else -1.0
    now, before = f.gap * sign, f.previous_gap * sign  # oriented: negative = behind
    change = now - before
    if _is_zero(change, f.precision):
        return "gap unchanged on last year"
    amount = formatting.format_number(abs(change), f.precision)
    side = "above" if f.previous_gap > 0 else "below"
    was = f"{formatting.format_number(abs(f.previous_gap), f.precision)} {side} last year"
    if before < 0 and now < 0:
        return f"gap {'narrowed' if change > 0 else 'widened'} by {amount}"
    if before >= 0 and now >= 0:
        return f"lead {'grew' if change > 0 else 'shrank'} by {amount}"
    if now >= 0:
        return f"closed the gap (was {was})"
    return f"fell behind national (was {was})"


def value_change_phrase(f: IndicatorFacts) -> str:
    """The change in the figure itself on last year ("up 2.1 on last year (44.1)")."""
    if f.value is None or f.previous_value is None:
        return "no figure for last year"
    change = f.value - f.previous_value
    was = formatting.format_number(f.previous_value, f.precision)
    if _is_zero(change, f.precision):
        return f"unchanged on last year ({was})"
    amount = formatting.format_number(abs(change), f.precision)
    return f"{'up' if change > 0 else 'down'} {amount} on last year ({was})"


def rank_phrase(f: IndicatorFacts) -> str:
    """Count 3: the change in rank (1 is best, so a smaller number is a rise), stated only
    between two years whose rank pools compare (rank_pool.py: the README's rule)."""
    if f.rank is None:
        if f.rank_n and not rank_pool.has_rank(f.rank_n):
            return f"not ranked: fewer than {rank_pool.MIN_LAS} LAs have a figure"
        return "not ranked"
    if f.previous_rank is None:
        return "no rank last year"
    if not rank_pool.pools_comparable(f.rank_n, f.previous_rank_n):
        return "rank not compared with last year (a different number of LAs)"
    moved = f.previous_rank - f.rank
    if moved == 0:
        return "rank unchanged"
    places = "place" if abs(moved) == 1 else "places"
    return f"rank {'rose' if moved > 0 else 'fell'} {abs(moved)} {places}"


def sentence(f: IndicatorFacts) -> str:
    if f.value is None:
        return f"{f.name}: {formatting.missing_text(f.suppression)}, so not compared"
    return f"{f.name}: {gap_phrase(f)}, {gap_change_phrase(f)}, {rank_phrase(f)}"


def classify(f: IndicatorFacts) -> str | None:
    """A strength when at or better than national (or rated green); a challenge when
    behind national (or rated red / amber). None when there is nothing to compare."""
    if f.value is None or f.gap is None:
        if f.rag == "green":
            return STRENGTH
        if f.rag in ("red", "amber"):
            return CHALLENGE
        return None
    oriented = f.gap if f.higher_is_better else -f.gap
    if f.rag in ("red", "amber"):
        return CHALLENGE
    if f.rag == "green" or oriented >= 0:
        return STRENGTH
    return CHALLENGE


def headlines(facts: list[IndicatorFacts]) -> tuple[list[Headline], list[Headline], list[str]]:
    """(strengths best first, challenges worst first, names of indicators left out and why)."""
    strengths: list[Headline] = []
    challenges: list[Headline] = []
    left_out: list[str] = []
    for f in facts:
        kind = classify(f)
        if kind is None:
            why = formatting.missing_text(f.suppression) if f.value is None else "no national"
            left_out.append(f"{f.name} ({why})")
            continue
        weight = 0.0
        if f.gap is not None:
            weight = f.gap if f.higher_is_better else -f.gap
            if f.unit == "progress":
                weight *= 5  # a progress point is worth about five percentage points
        item = Headline(f.code, f.name, kind, sentence(f), weight)
        (strengths if kind == STRENGTH else challenges).append(item)
    strengths.sort(key=lambda h: -h.weight)
    challenges.sort(key=lambda h: h.weight)
    return strengths, challenges, left_out


def copy_text(
    *, la_name: str, year_label: str, strengths: list[Headline], challenges: list[Headline]
) -> str:
    """The plain text a board member pastes into a paper."""
    lines = [f"{la_name}: headlines for {year_label}", "", "Strengths"]
    lines += [f"- {h.sentence}." for h in strengths] or ["- None this year."]
    lines += ["", "Challenges"]
    lines += [f"- {h.sentence}." for h in challenges] or ["- None this year."]
    return "\n".join(lines)
