"""One small-number rule for figures across schools (pep_portal.disclosure)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes.predictions import services
from pep_portal.platform import disclosure
from tests.predictions.conftest import row

pytestmark = pytest.mark.django_db


def _submit(collection, school, user):
    services.predictions_save(
        collection=collection,
        school=school,
        rows=[row("ks2_rwm_exp", "all", 30, 10)],  # 33% against 60% / 50% last year: a drop
        user=user,
        submit=True,
    )


def test_drop_count_from_two_returns_is_withheld_from_a_board_member(
    client,
    board_member,
    collection,
    school,
    other_school,
    head,
    other_head,
    sign,
    last_year,
):
    sign(school)
    sign(other_school)
    _submit(collection, school, head)
    _submit(collection, other_school, other_head)
    client.force_login(board_member)
    html = client.get(reverse("outcomes:predictions_overview")).content.decode()
    assert "Schools predicting a drop</dt><dd>withheld: fewer than 3 schools" in html
    assert "<dd>2</dd>" not in html


def test_the_rule_reads_its_minimum_from_settings(settings):
    assert disclosure.aggregate(2, schools=2) is None
    assert disclosure.aggregate(2, schools=3) == 2
    settings.MIN_SCHOOLS_FOR_AGGREGATE = 5
    assert disclosure.aggregate(4, schools=4) is None
    assert disclosure.withheld_note() == "withheld: fewer than 5 schools"
