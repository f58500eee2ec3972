"""Milestone RAG rules at every boundary, and the roll-up (pure functions: no database)."""

import datetime as dt

import pytest

from actionplan.rag import (
    Rag,
    completed_late,
    effective_rag,
    is_overdue,
    milestone_rag,
    rag_counts,
    rag_definitions,
    rag_disagrees,
    roll_up,
)

TODAY = dt.date(2016, 11, 15)


def days(n):
    return TODAY + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        # Not started: red once the due date has passed, amber inside the window, else green.
        ("not_started", days(-1), Rag.RED),
        ("not_started", days(0), Rag.AMBER),  # due today is not yet overdue
        ("not_started", days(1), Rag.AMBER),  # due tomorrow
        ("not_started", days(14), Rag.AMBER),  # the last day of the 14-day window
        ("not_started", days(15), Rag.GREEN),  # just outside the window
        ("not_started", None, Rag.GREEN),  # no due date: nothing can be late
        # On track: green until it is overdue; due today or tomorrow is still green.
        ("on_track", days(-1), Rag.RED),
        ("on_track", days(0), Rag.GREEN),
        ("on_track", days(1), Rag.GREEN),
        # Reported at risk: amber, but red once overdue.
        ("at_risk", days(30), Rag.AMBER),
        ("at_risk", None, Rag.AMBER),
        ("at_risk", days(-1), Rag.RED),
        # Reported off track: red whatever the date.
        ("off_track", days(100), Rag.RED),
        ("off_track", None, Rag.RED),
        # Complete: complete, even when completed after the due date.
        ("complete", days(-30), Rag.COMPLETE),
        ("complete", days(5), Rag.COMPLETE),
    ],
)
def test_milestone_rag_rules(status, due, expected):
    assert milestone_rag(status=status, due_date=due, today=TODAY) == expected


def test_the_amber_window_is_configurable():
    assert milestone_rag(status="not_started", due_date=days(20), today=TODAY) == Rag.GREEN
    assert (
        milestone_rag(status="not_started", due_date=days(20), today=TODAY, amber_window_days=21)
        == Rag.AMBER
    )
    assert (
        milestone_rag(status="not_started", due_date=days(1), today=TODAY, amber_window_days=0)
        == Rag.GREEN
    )


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="finished"):
        milestone_rag(status="finished", due_date=None, today=TODAY)


def test_completed_late_only_when_completed_after_the_due_date():
    assert completed_late(due_date=days(0), completed_on=days(1))
    assert not completed_late(due_date=days(0), completed_on=days(0))
    assert not completed_late(due_date=None, completed_on=days(1))
    assert not completed_late(due_date=days(0), completed_on=None)


def test_overdue_means_past_due_and_not_complete():
    assert is_overdue(status="on_track", due_date=days(-1), today=TODAY)
    assert not is_overdue(status="on_track", due_date=days(0), today=TODAY)
    assert not is_overdue(status="complete", due_date=days(-10), today=TODAY)


def test_an_override_wins_over_the_computed_colour():
    assert effective_rag("red", "amber") == Rag.AMBER
    assert effective_rag("red", None) == Rag.RED
    assert effective_rag("green", "") == Rag.GREEN


def test_reported_and_computed_disagree_when_the_status_implies_another_colour():
    assert rag_disagrees("on_track", "red")  # reported on track but overdue
    assert rag_disagrees("not_started", "amber")
    assert not rag_disagrees("off_track", "red")
    assert not rag_disagrees("complete", "complete")


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        (["green", "red", "complete"], Rag.RED),
        (["green", "amber", "complete"], Rag.AMBER),
        (["green", "complete"], Rag.GREEN),
        (["complete", "complete"], Rag.COMPLETE),
        (["complete", None, ""], Rag.COMPLETE),
        ([], None),
        ([None], None),
    ],
)
def test_roll_up_is_the_worst_child(children, expected):
    assert roll_up(children) == expected


def test_rag_counts_list_every_colour_worst_first():
    counts = rag_counts(["green", "red", "green", None])
    assert list(counts) == [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE]
    assert counts == {Rag.RED: 1, Rag.AMBER: 0, Rag.GREEN: 2, Rag.COMPLETE: 0}


def test_definitions_name_each_colour_and_the_window():
    defs = rag_definitions(21)
    assert [d["label"] for d in defs] == ["Red", "Amber", "Green", "Complete"]
    assert "21 days" in defs[1]["definition"]
