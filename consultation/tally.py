"""Counting answers and response rates: pure functions over plain values (no ORM).

Percentages are returned unrounded; templates round for display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class OptionCount:
    option: str
    count: int
    percent: float  # of the respondents who answered the question

    @property
    def bar(self) -> int:
        """Whole-number width (0-100) for the CSS bar chart."""
        return max(0, min(100, round(self.percent)))


@dataclass
class QuestionTally:
    answered: int
    not_answered: int
    options: list[OptionCount] = field(default_factory=list)


NONE_CHOSEN = "None of these"


def tally_options(
    options: Sequence[str],
    values: Iterable[object],
    *,
    respondents: int,
    empty_list_is_answer: bool = False,
) -> QuestionTally:
    """Count how many respondents chose each option.

    ``values`` holds one item per respondent: a string (one choice), a list (several choices)
    or None / "" (did not answer). An empty list is "did not answer" unless
    ``empty_list_is_answer`` (e.g. "interest in joining": ticking no board means "none"),
    when it is counted under "None of these". Values that are no longer among the options
    are counted under "Other (no longer offered)" so totals add up.
    """
    counts: Counter[str] = Counter()
    answered = 0
    none_chosen = 0
    for value in values:
        if value is None or value == "":
            continue
        if value == []:
            if empty_list_is_answer:
                answered += 1
                none_chosen += 1
            continue
        answered += 1
        chosen = value if isinstance(value, list) else [value]
        for item in dict.fromkeys(str(v) for v in chosen):
            counts[item if item in options else "Other (no longer offered)"] += 1
    rows = [
        OptionCount(opt, counts.get(opt, 0), percent(counts.get(opt, 0), answered))
        for opt in options
    ]
    if counts.get("Other (no longer offered)"):
        n = counts["Other (no longer offered)"]
        rows.append(OptionCount("Other (no longer offered)", n, percent(n, answered)))
    if empty_list_is_answer:
        rows.append(OptionCount(NONE_CHOSEN, none_chosen, percent(none_chosen, answered)))
    return QuestionTally(answered=answered, not_answered=respondents - answered, options=rows)


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


@dataclass
class RateRow:
    group: str
    invited: int
    submitted: int
    drafts: int

    @property
    def rate(self) -> float:
        return percent(self.submitted, self.invited)

    @property
    def bar(self) -> int:
        return max(0, min(100, round(self.rate)))


def response_rates(
    schools: Iterable[tuple[str, str]], labels: dict[str, str] | None = None
) -> list[RateRow]:
    """Response rate by group.

    ``schools`` holds (group key, status) per school in the audience, where status is
    "submitted", "draft" or "" (no response). Rows are sorted by group label; the total is
    not included (use ``total_rate``).
    """
    labels = labels or {}
    groups: dict[str, RateRow] = {}
    for key, status in schools:
        row = groups.setdefault(key, RateRow(labels.get(key, key or "Not recorded"), 0, 0, 0))
        row.invited += 1
        if status == "submitted":
            row.submitted += 1
        elif status == "draft":
            row.drafts += 1
    return sorted(groups.values(), key=lambda r: r.group)


def total_rate(rows: Iterable[RateRow]) -> RateRow:
    total = RateRow("All schools", 0, 0, 0)
    for row in rows:
        total.invited += row.invited
        total.submitted += row.submitted
        total.drafts += row.drafts
    return total
