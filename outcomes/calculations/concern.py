"""The 3Ms suggestion for a school: minimum, moderate or maximum concern, and why.

The rules are data an officer can read (``RULES``, shown on the portal as a table): each has
a name, the level it suggests, a description in plain words and a condition on the school's
facts. ``suggest_concern`` evaluates them all; the suggestion is the highest level any rule
reaches, and every rule that applied is given as a reason. A school no rule picks out is of
minimum concern. This is only a suggestion: the Operational Group's decision is what counts.

Ofsted: only graded inspections (to 2024) have an overall grade. A school whose latest
inspection has no overall grade (since September 2024) is judged on its data alone; the
portal never invents a grade.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pep_portal.platform.rag import Rag

from . import significance, trends

MINIMUM, MODERATE, MAXIMUM = "minimum", "moderate", "maximum"
LEVELS = (MINIMUM, MODERATE, MAXIMUM)  # lowest to highest

INADEQUATE, REQUIRES_IMPROVEMENT = 4, 3

# Thresholds the rules use, named once so the descriptions print the same numbers.
ABSENCE_ABOVE_NATIONAL = 1.0  # percentage points of overall absence above national


@dataclass(frozen=True)
class SchoolFacts:
    """What the rules look at, for one school and year (None = not known / not published)."""

    ofsted_grade: int | None = None  # latest overall grade 1-4 (graded inspections only)
    ofsted_ungraded: bool = False  # latest inspection has no overall grade (since 2024)
    attainment_rag: str | None = None  # indicator RAG of the headline attainment measure
    attainment_trend: str | None = None  # three-year direction of headline attainment
    progress_significance: str | None = None  # worst headline progress against national
    progress_band: str | None = None  # worst headline progress band (DfE's five bands)
    below_floor: bool | None = None  # below the floor standard that year
    absence_gap: float | None = None  # overall absence minus national (positive = worse)


@dataclass(frozen=True)
class Rule:
    name: str
    level: str
    description: str
    condition: Callable[[SchoolFacts], bool]

    def applies(self, facts: SchoolFacts) -> bool:
        return bool(self.condition(facts))


def _not_improving(facts: SchoolFacts) -> bool:
    return facts.attainment_trend in (trends.DECLINING, trends.NO_CHANGE)


def progress_well_below(facts: SchoolFacts) -> bool:
    """Headline progress well below average (DfE band 5); the school RAG reads it too."""
    return facts.progress_band == significance.WELL_BELOW


def progress_significantly_below(facts: SchoolFacts) -> bool:
    """Headline progress significantly below national (the confidence interval is wholly
    below 0); the school RAG reads it too."""
    return facts.progress_significance == significance.SIGNIFICANTLY_BELOW


# Rules at "minimum" name what the Operational Group should see without raising the level:
# one weak indicator on its own is a question for the school, not a concern.
RULES: tuple[Rule, ...] = (
    Rule(
        "Inadequate",
        MAXIMUM,
        "The latest graded Ofsted inspection judged the school Inadequate.",
        lambda f: f.ofsted_grade == INADEQUATE,
    ),
    Rule(
        "Below floor, not improving",
        MAXIMUM,
        "Below the floor standard and headline attainment is not improving over three years.",
        lambda f: f.below_floor is True and _not_improving(f),
    ),
    Rule(
        "Weak and not improving",
        MAXIMUM,
        "Headline attainment is red against national, progress is well below average "
        "(DfE band) and attainment is not improving over three years.",
        lambda f: f.attainment_rag == Rag.RED and progress_well_below(f) and _not_improving(f),
    ),
    Rule(
        "Requires improvement",
        MODERATE,
        "The latest graded Ofsted inspection judged the school Requires improvement.",
        lambda f: f.ofsted_grade == REQUIRES_IMPROVEMENT,
    ),
    Rule(
        "Below floor",
        MODERATE,
        "Below the floor standard.",
        lambda f: f.below_floor is True,
    ),
    Rule(
        "Progress well below average",
        MODERATE,
        "Headline progress is well below average (DfE band 5: significantly below 0 and "
        "beyond DfE's threshold).",
        progress_well_below,
    ),
    Rule(
        "Weak attainment and progress",
        MODERATE,
        "Headline attainment is red against national and progress is significantly below "
        "national (the confidence interval is wholly below 0).",
        lambda f: f.attainment_rag == Rag.RED and progress_significantly_below(f),
    ),
    Rule(
        "High absence",
        MODERATE,
        f"Overall absence is more than {ABSENCE_ABOVE_NATIONAL:g} percentage point above national.",
        lambda f: f.absence_gap is not None and f.absence_gap > ABSENCE_ABOVE_NATIONAL,
    ),
    Rule(
        "Progress below average",
        MINIMUM,
        "Progress is significantly below national (the confidence interval is wholly below 0) "
        "but not well below average: noted, not a concern on its own.",
        lambda f: (
            progress_significantly_below(f)
            and not progress_well_below(f)
            and f.attainment_rag != Rag.RED
        ),
    ),
    Rule(
        "Attainment red",
        MINIMUM,
        "Headline attainment is red against national while progress is not significantly "
        "below: noted, not a concern on its own.",
        lambda f: (
            f.attainment_rag == Rag.RED
            and not progress_significantly_below(f)
            and not progress_well_below(f)
        ),
    ),
)

NO_RULE_REASON = "No rule for moderate or maximum concern applies."
UNGRADED_NOTE = (
    "The latest Ofsted inspection has no overall grade (inspections since September 2024 "
    "are not graded): the suggestion rests on the data alone."
)
NO_DATA_NOTE = "No attainment, progress or absence figures: the suggestion may be incomplete."


@dataclass(frozen=True)
class ConcernSuggestion:
    level: str
    reasons: tuple[str, ...]
    rules: tuple[Rule, ...]  # the rules that applied, highest level first
    notes: tuple[str, ...]


def suggest_concern(facts: SchoolFacts, rules: Sequence[Rule] = RULES) -> ConcernSuggestion:
    """Evaluate every rule; the highest level reached is the suggestion."""
    applied = [rule for rule in rules if rule.applies(facts)]
    applied.sort(key=lambda rule: -LEVELS.index(rule.level))  # stable: table order kept
    level = applied[0].level if applied else MINIMUM
    reasons = tuple(rule.description for rule in applied)
    if level == MINIMUM:
        reasons = (NO_RULE_REASON, *reasons)
    notes = []
    if facts.ofsted_ungraded and facts.ofsted_grade is None:
        notes.append(UNGRADED_NOTE)
    if (
        facts.attainment_rag in (None, "none")
        and facts.progress_significance is None
        and facts.absence_gap is None
    ):
        notes.append(NO_DATA_NOTE)
    return ConcernSuggestion(level, reasons, tuple(applied), tuple(notes))


def rules_table(rules: Sequence[Rule] = RULES) -> list[dict[str, str]]:
    """The rules as rows an officer can read: level, name, description (highest first)."""
    ordered = sorted(rules, key=lambda rule: -LEVELS.index(rule.level))
    return [{"level": r.level, "name": r.name, "description": r.description} for r in ordered]
