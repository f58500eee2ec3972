"""The demo: the whole seed plan, idempotent, with a live mix of colours."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from actionplan import demo, selectors
from actionplan.models import Action, LeadRole, Milestone, MilestoneUpdate, Plan, SuccessMeasure

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
SEED_ACTIONS = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "1.6",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "2.5",
    "2.6",
    "3.1",
    "3.2",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "5.1",
    "5.2",
    "5.3",
    "6.1",
    "6.2",
    "6.3",
    "6.4",
    "6.5",
    "7.1",
    "7.2",
    "7.3",
    "7.4",
    "7.5",
    "8.1",
    "8.2",
    "8.3",
]


@pytest.fixture
def loaded():
    return demo.load(today=TODAY)


def test_the_whole_seed_plan_is_loaded(loaded):
    assert loaded.is_current
    assert list(loaded.priorities.values_list("number", flat=True)) == list(range(1, 9))
    numbers = list(
        Action.objects.filter(priority__plan=loaded)
        .order_by("priority__number", "sort_key")
        .values_list("number", flat=True)
    )
    assert numbers == SEED_ACTIONS
    # Every milestone row of the committed workbook, imported through the plan importer.
    sheet = load_workbook(demo.WORKBOOK, read_only=True)["Actions and milestones"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    column = header.index("Milestone")
    seed_milestones = sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[column])
    assert seed_milestones == 74  # as transcribed from the published plan
    assert Milestone.objects.filter(action__priority__plan=loaded).count() == seed_milestones
    a11 = Action.objects.get(priority__plan=loaded, number="1.1")
    assert a11.who == "DCS / DDCS"
    assert sorted(lr.code for lr in a11.leads.all()) == ["DCS", "DDCS"]
    # "HIS" in the paper is the Head of School Improvement.
    assert [lr.code for lr in Action.objects.get(number="1.4").leads.all()] == ["HSI"]
    assert set(LeadRole.objects.values_list("code", flat=True)) >= {
        "DCS",
        "DDCS",
        "HSI",
        "HI",
        "HSPR",
        "SIO",
        "PCM",
        "SIM",
        "EGM",
        "CM",
        "PTSA",
    }
    assert loaded.priorities.get(number=3).success_statements == [
        "No schools in financial deficit",
        "All schools with strong leadership and governance in place",
        "No inadequate schools",
    ]
    assert SuccessMeasure.objects.filter(plan=loaded).count() == 8
    assert SuccessMeasure.objects.filter(plan=loaded, measure__isnull=False).count() == 8


def test_dates_are_moved_so_that_the_rag_is_live(loaded):
    a22 = Action.objects.get(number="2.2")
    assert a22.when == "By Sept 2026. Half termly SAM meetings"
    assert a22.due_date == dt.date(2026, 9, 30)
    assert Action.objects.get(number="6.1").when == "2026/27. Termly messages to parents"
    colours = set(Milestone.objects.values_list("computed_rag", flat=True))
    assert colours == {"red", "amber", "green", "complete"}
    assert Milestone.objects.exclude(rag_override="").count() == 1


def test_recent_updates_fill_changes_since_the_last_meeting(loaded, officer):
    since = selectors.default_since(today=TODAY)
    changes = selectors.plan_changes_since(user=officer, plan=loaded, since=since)
    assert len(changes) >= 5


def test_loading_twice_changes_nothing(loaded):
    counts = (
        Plan.objects.count(),
        Action.objects.count(),
        Milestone.objects.count(),
        MilestoneUpdate.objects.count(),
        SuccessMeasure.objects.count(),
    )
    demo.load(today=TODAY)
    assert counts == (
        Plan.objects.count(),
        Action.objects.count(),
        Milestone.objects.count(),
        MilestoneUpdate.objects.count(),
        SuccessMeasure.objects.count(),
    )


def test_shift_years_moves_years_and_academic_years():
    assert demo.shift_years("By Sept 2016", 10) == "By Sept 2026"
    assert demo.shift_years("2016/17 and 2015/16", 10) == "2026/27 and 2025/26"
    assert demo.shift_years("2099/00", 1) == "2100/01"
    assert demo.year_offset(dt.date(2026, 5, 31)) == 9
    assert demo.year_offset(dt.date(2026, 6, 1)) == 10
