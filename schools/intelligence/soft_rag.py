"""RAG rules for a school's soft intelligence (Peterborough 2013: "soft information that can
be converted to intelligence which allows for early intervention").

Pure functions over plain values (no ORM). Each indicator has an amber and a red threshold;
rates are per 100 pupils on roll where the indicator grows with the school's size. The
school's soft-intelligence RAG is red when any indicator is red or three or more are amber,
amber when any is amber, green when at least one indicator is known and none is amber or
red, and "none" when nothing is known. Every amber or red indicator is given as a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pep_portal.platform.rag import FIGURE_RAGS

RED, AMBER, GREEN, NONE = (member.value for member in FIGURE_RAGS)
AMBERS_MAKE_RED = 3


@dataclass(frozen=True)
class Facts:
    pupils: int | None = None
    fixed_term_exclusions: int | None = None
    permanent_exclusions: int | None = None
    pupils_seeking_move: int | None = None
    first_preferences: int | None = None
    places_offered: int | None = None
    complaints: int | None = None
    governor_vacancies: int | None = None
    staff_turnover_percent: float | None = None
    staff_vacancies: int | None = None
    sickness_days_per_teacher: float | None = None


def _per_100(count: int | None, pupils: int | None) -> float | None:
    if count is None or not pupils:
        return None
    return 100.0 * count / pupils


def _preference_rate(f: Facts) -> float | None:
    if f.first_preferences is None or not f.places_offered:
        return None
    return 100.0 * f.first_preferences / f.places_offered


@dataclass(frozen=True)
class Indicator:
    name: str
    value: Callable[[Facts], float | None]
    amber: float
    red: float
    unit: str
    higher_is_worse: bool = True

    def colour(self, facts: Facts) -> str:
        v = self.value(facts)
        if v is None:
            return NONE
        if self.higher_is_worse:
            return RED if v >= self.red else AMBER if v >= self.amber else GREEN
        return RED if v < self.red else AMBER if v < self.amber else GREEN

    def describe(self, facts: Facts) -> str:
        v = self.value(facts)
        word = "at least" if self.higher_is_worse else "below"
        limit = self.red if self.colour(facts) == RED else self.amber
        return f"{self.name}: {v:.1f}{self.unit} ({word} {limit:g}{self.unit})."


INDICATORS: tuple[Indicator, ...] = (
    Indicator("Permanent exclusions", lambda f: f.permanent_exclusions, 1, 2, ""),
    Indicator(
        "Fixed-term exclusions per 100 pupils",
        lambda f: _per_100(f.fixed_term_exclusions, f.pupils),
        4,
        8,
        "",
    ),
    Indicator(
        "Pupils seeking to move school per 100 pupils",
        lambda f: _per_100(f.pupils_seeking_move, f.pupils),
        2,
        4,
        "",
    ),
    Indicator(
        "First preferences as a % of admission places",
        _preference_rate,
        100,
        75,
        "%",
        higher_is_worse=False,
    ),
    Indicator("Complaints", lambda f: f.complaints, 2, 4, ""),
    Indicator("Governor vacancies", lambda f: f.governor_vacancies, 2, 4, ""),
    Indicator("Staff turnover", lambda f: f.staff_turnover_percent, 15, 25, "%"),
    Indicator("Staff vacancies", lambda f: f.staff_vacancies, 2, 4, ""),
    Indicator("Sickness days per teacher", lambda f: f.sickness_days_per_teacher, 5, 8, ""),
)


@dataclass(frozen=True)
class SoftRag:
    rag: str
    reasons: tuple[str, ...]
    colours: dict[str, str]


def soft_rag(facts: Facts, indicators: tuple[Indicator, ...] = INDICATORS) -> SoftRag:
    colours = {i.name: i.colour(facts) for i in indicators}
    reds = [i for i in indicators if colours[i.name] == RED]
    ambers = [i for i in indicators if colours[i.name] == AMBER]
    known = [c for c in colours.values() if c != NONE]
    if reds or len(ambers) >= AMBERS_MAKE_RED:
        rag = RED
    elif ambers:
        rag = AMBER
    elif known:
        rag = GREEN
    else:
        rag = NONE
    reasons = tuple(f"{colours[i.name].capitalize()}: {i.describe(facts)}" for i in reds + ambers)
    if rag == RED and not reds:
        reasons = (f"{len(ambers)} indicators are amber.", *reasons)
    if rag == GREEN:
        reasons = ("No indicator is amber or red.",)
    if rag == NONE:
        reasons = ("Nothing recorded.",)
    return SoftRag(rag, reasons, colours)


def rules_table(indicators: tuple[Indicator, ...] = INDICATORS) -> list[dict[str, str]]:
    return [
        {
            "name": i.name,
            "amber": f"{'at least' if i.higher_is_worse else 'below'} {i.amber:g}{i.unit}",
            "red": f"{'at least' if i.higher_is_worse else 'below'} {i.red:g}{i.unit}",
        }
        for i in indicators
    ]
