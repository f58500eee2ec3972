"""The one red / amber / green vocabulary every app speaks.

The values are what the database holds ("red", "amber", "green"), so every page, export and
API answer names a colour the same way, and the words shown with it ("Red", never colour
alone) come from one place. Two families add a fourth value:

- figures (outcomes, soft intelligence, dashboards) add ``none``: no rating (too few pupils,
  no comparator);
- progress (the action plan's milestones, actions and priorities) adds ``complete``.

Each family's members and model choices are named below; the rules that pick a colour stay
with the concept they judge (``outcomes.calculations.rag``, ``actionplan.rag``,
``schools.intelligence.soft_rag``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NONE = "none", "No rating"
    COMPLETE = "complete", "Complete"


COLOURS = (Rag.RED, Rag.AMBER, Rag.GREEN)
FIGURE_RAGS = (*COLOURS, Rag.NONE)
PROGRESS_RAGS = (*COLOURS, Rag.COMPLETE)


def rag_choices(members: Iterable[Rag]) -> list[tuple[str, str]]:
    """Model / form choices for these members: (value, word)."""
    return [(member.value, member.label) for member in members]


FIGURE_RAG_CHOICES = rag_choices(FIGURE_RAGS)
PROGRESS_RAG_CHOICES = rag_choices(PROGRESS_RAGS)

# The word shown with each colour, and the order lists of schools or figures take (worst
# first; no rating last).
RAG_WORDS = {member.value: member.label for member in Rag}
RAG_SORT = {**{member.value: i for i, member in enumerate(FIGURE_RAGS)}, "": len(COLOURS)}
