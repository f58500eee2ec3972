"""A school's overall RAG: from Ofsted, its headline progress (significance and DfE band)
and its headline attainment, as a readable table of rules (the grid and the school page
print ``rules_table()``).

Not the worst of its indicators: one red indicator among four made 46 of 53 demo schools
red, which told the board nothing. The rule follows the source papers' 3Ms logic (progress
first, Ofsted, then attainment), and "not significantly different" progress is never red:

- **red**: Ofsted Inadequate; or headline progress well below average (DfE band 5);
- **amber**: Ofsted Requires improvement; or headline progress significantly below
  national (band 4); or headline attainment red (for a school: beyond the tolerance and at
  least 3 pupils short of national); or overall absence more than 1 point above national;
- **green**: none of these, with at least an Ofsted grade or a rated headline figure;
- **none**: nothing to judge (no grade, no rated figure).

The first rule that applies, from the top, decides; every rule that applies is a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pep_portal.platform.rag import FIGURE_RAGS

from .concern import (
    ABSENCE_ABOVE_NATIONAL,
    INADEQUATE,
    REQUIRES_IMPROVEMENT,
    SchoolFacts,
    progress_significantly_below,
    progress_well_below,
)

RED, AMBER, GREEN, NONE = (member.value for member in FIGURE_RAGS)


@dataclass(frozen=True)
class Rule:
    name: str
    colour: str
    description: str
    condition: Callable[[SchoolFacts], bool]


RULES: tuple[Rule, ...] = (
    Rule(
        "Inadequate",
        RED,
        "Latest graded Ofsted inspection: Inadequate.",
        lambda f: f.ofsted_grade == INADEQUATE,
    ),
    Rule(
        "Progress well below average",
        RED,
        "Headline progress well below average (DfE band 5).",
        progress_well_below,
    ),
    Rule(
        "Requires improvement",
        AMBER,
        "Latest graded Ofsted inspection: Requires improvement.",
        lambda f: f.ofsted_grade == REQUIRES_IMPROVEMENT,
    ),
    Rule(
        "Progress below average",
        AMBER,
        "Headline progress significantly below national (confidence interval wholly below 0).",
        progress_significantly_below,
    ),
    Rule(
        "Attainment red",
        AMBER,
        "Headline attainment red against national.",
        lambda f: f.attainment_rag == RED,
    ),
    Rule(
        "High absence",
        AMBER,
        f"Overall absence more than {ABSENCE_ABOVE_NATIONAL:g} point above national.",
        lambda f: f.absence_gap is not None and f.absence_gap > ABSENCE_ABOVE_NATIONAL,
    ),
)

GREEN_REASON = "No rule for red or amber applies."
NONE_REASON = "No Ofsted grade and no rated headline figure: nothing to judge."


@dataclass(frozen=True)
class SchoolRag:
    colour: str
    reasons: tuple[str, ...]


def _has_facts(f: SchoolFacts) -> bool:
    return (
        f.ofsted_grade is not None
        or f.attainment_rag in (RED, AMBER, GREEN)
        or f.progress_significance is not None
        or f.absence_gap is not None
    )


def school_rag(facts: SchoolFacts) -> SchoolRag:
    """The school's colour and every rule that applied (first rule's colour decides)."""
    applied = [rule for rule in RULES if rule.condition(facts)]
    if applied:
        return SchoolRag(applied[0].colour, tuple(r.description for r in applied))
    if _has_facts(facts):
        return SchoolRag(GREEN, (GREEN_REASON,))
    return SchoolRag(NONE, (NONE_REASON,))


def rules_table() -> list[dict[str, str]]:
    return [{"colour": r.colour, "name": r.name, "description": r.description} for r in RULES]
