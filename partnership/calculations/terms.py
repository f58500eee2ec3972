"""School terms and meeting days (pure): where the demo, and anyone planning meetings, puts
upcoming meetings so that they fall on a weekday within the current or next term.

Term dates are the usual English pattern (local authorities publish their own; these are
close enough for planning): autumn 1 September to 19 December, spring 5 January to
31 March, summer 14 April to 21 July.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TUESDAY = 1


@dataclass(frozen=True)
class Term:
    name: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def terms_of_year(year: int) -> list[Term]:
    """The three terms of the academic year starting in September of ``year``."""
    return [
        Term("autumn", dt.date(year, 9, 1), dt.date(year, 12, 19)),
        Term("spring", dt.date(year + 1, 1, 5), dt.date(year + 1, 3, 31)),
        Term("summer", dt.date(year + 1, 4, 14), dt.date(year + 1, 7, 21)),
    ]


def current_and_next_term(today: dt.date) -> tuple[Term, Term]:
    """The term containing ``today`` (or, in a holiday, the next one) and the one after it."""
    year = today.year if today.month >= 9 else today.year - 1
    terms = terms_of_year(year - 1) + terms_of_year(year) + terms_of_year(year + 1)
    i = next(i for i, t in enumerate(terms) if today <= t.end)
    return terms[i], terms[i + 1]


def weekday_on_or_after(day: dt.date, weekday: int = TUESDAY) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def meeting_day(term: Term, *, not_before: dt.date, weekday: int = TUESDAY) -> dt.date | None:
    """The first ``weekday`` in ``term`` on or after ``not_before`` (None if the term has
    none left)."""
    day = weekday_on_or_after(max(term.start, not_before), weekday)
    return day if day in term else None


def upcoming_meeting_days(
    today: dt.date, *, first_in_days: int, next_term_week: int, weekday: int = TUESDAY
) -> list[dt.date]:
    """A board's next meetings: one about ``first_in_days`` ahead in the current term (when
    the term has a meeting day left), and one in week ``next_term_week`` of the next term.
    Always weekdays, always in term, always after today."""
    current, following = current_and_next_term(today)
    days = []
    soon = meeting_day(
        current, not_before=today + dt.timedelta(days=first_in_days), weekday=weekday
    )
    if soon is not None:
        days.append(soon)
    later = meeting_day(
        following,
        not_before=following.start + dt.timedelta(weeks=next_term_week - 1),
        weekday=weekday,
    )
    if later is not None:
        days.append(later)
    return days
