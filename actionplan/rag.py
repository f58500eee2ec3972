"""Milestone RAG and its roll-up to actions and priorities (pure functions, no ORM).

The rules (DOMAIN.md section 5, issue 6), in the order they are applied:

1. **Complete** when the milestone is reported complete (even when it was completed late).
2. **Red** when it is reported off track, or its due date has passed (due *before* today)
   and it is not complete.
3. **Amber** when it is reported at risk, or it is not started and falls due within the
   plan's amber window (today up to and including today + window days).
4. **Green** otherwise.

A reported status and the computed RAG are both kept. An officer may override the RAG shown
(with a reason); the override wins over the computed colour in roll-ups. An action's RAG is
the worst of its milestones' RAG, and a priority's the worst of its actions' (red worst, then
amber, green, complete): a parent is complete only when every child is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum

from pep_portal.platform.rag import PROGRESS_RAGS, Rag

DEFAULT_AMBER_WINDOW_DAYS = 14


class Status(StrEnum):
    """What the officer or lead reports about a milestone."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"


STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.COMPLETE: "Complete",
}

# Worst first: the order used in roll-ups and in every list of colours on the pages.
SEVERITY = {Rag.RED: 3, Rag.AMBER: 2, Rag.GREEN: 1, Rag.COMPLETE: 0}
RAG_ORDER = list(PROGRESS_RAGS)

# The colour a reported status implies on its own (before dates are considered). Used to
# say when the reported status and the computed RAG disagree.
STATUS_IMPLIES = {
    Status.NOT_STARTED: Rag.GREEN,
    Status.ON_TRACK: Rag.GREEN,
    Status.AT_RISK: Rag.AMBER,
    Status.OFF_TRACK: Rag.RED,
    Status.COMPLETE: Rag.COMPLETE,
}


def rag_definitions(amber_window_days: int = DEFAULT_AMBER_WINDOW_DAYS) -> list[dict[str, str]]:
    """The published definition of each colour, in words, for the page and the exports."""
    return [
        {
            "rag": Rag.RED,
            "label": Rag.RED.label,
            "definition": "Past its due date and not complete, or reported off track.",
        },
        {
            "rag": Rag.AMBER,
            "label": Rag.AMBER.label,
            "definition": (
                f"Due within the next {amber_window_days} days and not started, "
                "or reported at risk."
            ),
        },
        {
            "rag": Rag.GREEN,
            "label": Rag.GREEN.label,
            "definition": "On track: not overdue, not at risk, and not due soon without a start.",
        },
        {
            "rag": Rag.COMPLETE,
            "label": Rag.COMPLETE.label,
            "definition": "Reported complete (a milestone completed after its due date is "
            "marked as completed late).",
        },
    ]


def milestone_rag(
    *,
    status: str,
    due_date: dt.date | None,
    today: dt.date,
    amber_window_days: int = DEFAULT_AMBER_WINDOW_DAYS,
) -> Rag:
    """The computed RAG of one milestone (see the module docstring for the rules)."""
    status = Status(status)
    if status == Status.COMPLETE:
        return Rag.COMPLETE
    if status == Status.OFF_TRACK:
        return Rag.RED
    if due_date is not None and due_date < today:
        return Rag.RED
    if status == Status.AT_RISK:
        return Rag.AMBER
    if (
        status == Status.NOT_STARTED
        and due_date is not None
        and (due_date - today).days <= amber_window_days
    ):
        return Rag.AMBER
    return Rag.GREEN


def effective_rag(computed: str, override: str | None) -> Rag:
    """The colour shown and rolled up: an override (made with a reason) wins."""
    return Rag(override) if override else Rag(computed)


def rag_disagrees(status: str, rag: str) -> bool:
    """True when the reported status on its own implies a different colour from the RAG."""
    return STATUS_IMPLIES[Status(status)] != Rag(rag)


def is_overdue(*, status: str, due_date: dt.date | None, today: dt.date) -> bool:
    return due_date is not None and due_date < today and Status(status) != Status.COMPLETE


def completed_late(*, due_date: dt.date | None, completed_on: dt.date | None) -> bool:
    return due_date is not None and completed_on is not None and completed_on > due_date


def roll_up(children: Iterable[str | Rag | None]) -> Rag | None:
    """The worst colour of the children; None when there are no (coloured) children."""
    worst: Rag | None = None
    for child in children:
        if child is None or child == "":
            continue
        child = Rag(child)
        if worst is None or SEVERITY[child] > SEVERITY[worst]:
            worst = child
    return worst


def rag_counts(children: Iterable[str | Rag | None]) -> dict[Rag, int]:
    """Counts per colour, every colour present (0 when none), worst first."""
    counts = Counter(Rag(c) for c in children if c)
    return {rag: counts.get(rag, 0) for rag in RAG_ORDER}
