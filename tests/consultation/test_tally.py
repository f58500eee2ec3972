"""The pure counting functions (no database)."""

from consultation.tally import response_rates, tally_options, total_rate


def test_single_choice_counts_and_percent_of_those_answering():
    t = tally_options(
        ["Agree", "Disagree"], ["Agree", "Agree", "Disagree", "", None], respondents=5
    )
    assert (t.answered, t.not_answered) == (3, 2)
    assert [(o.option, o.count, round(o.percent, 1)) for o in t.options] == [
        ("Agree", 2, 66.7),
        ("Disagree", 1, 33.3),
    ]
    assert [o.bar for o in t.options] == [67, 33]


def test_multiple_choice_counts_each_choice_and_nothing_ticked_is_no_answer():
    t = tally_options(["A", "B"], [["A", "B"], ["A"], [], ["A", "A"]], respondents=4)
    assert (t.answered, t.not_answered) == (3, 1)
    assert [(o.option, o.count) for o in t.options] == [("A", 3), ("B", 1)]


def test_interest_counts_no_board_ticked_as_none_of_these():
    t = tally_options(
        ["Strategic Board", "Operational Group"],
        [["Operational Group"], [], [], None],
        respondents=4,
        empty_list_is_answer=True,
    )
    assert (t.answered, t.not_answered) == (3, 1)
    assert [(o.option, o.count) for o in t.options] == [
        ("Strategic Board", 0),
        ("Operational Group", 1),
        ("None of these", 2),
    ]


def test_answers_no_longer_offered_are_counted_separately():
    t = tally_options(["Yes", "No"], ["Yes", "Maybe"], respondents=2)
    assert t.options[-1].option == "Other (no longer offered)" and t.options[-1].count == 1


def test_response_rates_by_group_and_total():
    rows = response_rates(
        [("primary", "submitted"), ("primary", ""), ("secondary", "draft"), ("primary", "draft")],
        {"primary": "Primary", "secondary": "Secondary"},
    )
    assert [(r.group, r.invited, r.submitted, r.drafts) for r in rows] == [
        ("Primary", 3, 1, 1),
        ("Secondary", 1, 0, 1),
    ]
    assert round(rows[0].rate, 1) == 33.3
    total = total_rate(rows)
    assert (total.invited, total.submitted, total.rate) == (4, 1, 25.0)


def test_no_respondents_gives_zero_not_an_error():
    assert tally_options(["Yes"], [], respondents=0).options[0].percent == 0.0
