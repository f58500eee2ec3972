import datetime as dt

import pytest

from partnership.calculations.terms import current_and_next_term, upcoming_meeting_days


def test_term_of_a_date_and_the_holidays():
    current, following = current_and_next_term(dt.date(2026, 11, 30))
    assert (current.name, following.name) == ("autumn", "spring")
    current, following = current_and_next_term(dt.date(2026, 12, 28))  # Christmas holiday
    assert (current.name, current.start) == ("spring", dt.date(2027, 1, 5))
    assert following.name == "summer"
    current, following = current_and_next_term(dt.date(2027, 8, 10))  # summer holiday
    assert (current.name, current.start, following.name) == (
        "autumn",
        dt.date(2027, 9, 1),
        "spring",
    )


@pytest.mark.parametrize(
    "today",
    [dt.date(2026, 11, 30), dt.date(2026, 12, 18), dt.date(2027, 3, 29), dt.date(2027, 7, 30)],
)
def test_upcoming_meetings_are_weekdays_in_the_current_or_next_term(today):
    days = upcoming_meeting_days(today, first_in_days=7, next_term_week=5)
    current, following = current_and_next_term(today)
    assert days
    for day in days:
        assert day > today
        assert day.weekday() < 5
        assert day in current or day in following


def test_the_first_meeting_is_about_a_week_ahead_when_the_term_allows():
    assert upcoming_meeting_days(dt.date(2026, 11, 30), first_in_days=7, next_term_week=5) == [
        dt.date(2026, 12, 8),
        dt.date(2027, 2, 2),
    ]
