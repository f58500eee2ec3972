"""The nightly steps write their own labelled signals; the officer's page shows late returns."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import PredictionSignal, SchoolSummary
from outcomes.predictions.nightly import predictions_signal
from partnership.governance.models import Board
from pep_portal.accounts.models import Role
from pep_portal.nightly.models import NightlyRun
from schools.intelligence.nightly import soft_intelligence_rag
from schools.intelligence.services import soft_intelligence_record
from schools.models import SoftIntelligenceRag
from tests.html_pages import parse

pytestmark = pytest.mark.django_db


def test_nightly_prediction_signal_is_its_own_row(submitted, school):
    run = NightlyRun.objects.create()
    assert predictions_signal(run_id=run.pk) == 1
    signal = PredictionSignal.objects.get(run=run, school=school)
    assert signal.level == "moderate"  # 50% predicted against 60% last year: a drop
    assert signal.drops == 1 and signal.marginal  # 50 vs national 53.5
    assert not SchoolSummary.objects.exists()  # the data-based suggestion is left alone


def test_nightly_soft_intelligence_rag(school):
    soft_intelligence_record(
        school=school, academic_year=2017, term="autumn", values={"complaints": 0}, user=None
    )
    soft_intelligence_record(
        school=school, academic_year=2017, term="spring", values={"complaints": 4}, user=None
    )
    run = NightlyRun.objects.create()
    assert soft_intelligence_rag(run_id=run.pk) == 1
    row = SoftIntelligenceRag.objects.get(run=run)
    assert (row.term, row.rag) == ("spring", "red")


def test_officer_sees_late_returns_and_chases_with_one_click(
    client, officer, collection, school, other_school, head, submitted
):
    collection.deadline = timezone.now() - dt.timedelta(hours=1)
    collection.save()
    client.force_login(officer)
    url = reverse("outcomes:collection_detail", args=[collection.pk])
    html = client.get(url).content.decode()
    assert "Nothing yet (late)" in html
    assert "1 of 2 schools not yet submitted" in html


def test_the_form_refuses_a_submission_after_the_deadline(client, head, collection, school):
    collection.deadline = timezone.now() - dt.timedelta(minutes=1)
    collection.save()
    client.force_login(head)
    url = reverse("outcomes:submission_edit", args=[collection.pk, school.urn])
    response = client.post(
        url,
        {"action": "submit", "ks2_rwm_exp__all__cohort": "30", "ks2_rwm_exp__all__pupils": "12"},
    )
    assert response.status_code == 400
    assert "has passed" in response.content.decode()
    assert not school.prediction_submissions.exists()


def test_the_school_page_shows_predictions_beside_last_year_la_and_national(
    client, head, submitted, school
):
    client.force_login(head)
    html = client.get(reverse("outcomes:school_predictions", args=[school.urn])).content.decode()
    assert "15 of 30" in html  # 50.0% predicted
    assert "50.0" in html and "60.0" in html and "52.0" in html  # predicted, last year, LA
    assert "Predicted drop" in html
    assert (
        parse(html).find(".//div[@class='table-wrap']/table") is not None
    )  # reflows (WCAG 1.4.10)


def test_a_head_on_the_operational_group_is_offered_returns_only_where_their_school_is_asked(
    client, collection
):
    """A head who sits on the Operational Group sees every collection, but a collection that
    does not ask their school says so instead of linking to a return that would be a 404."""
    from tests.factories import SchoolFactory, UserFactory
    from tests.partnership.factories import BoardFactory, add_member

    elsewhere = SchoolFactory(name="Anchorage Infant School")
    head = UserFactory(email="og-head@example.org", role=Role.HEADTEACHER, school=elsewhere)
    board = BoardFactory(name="Operational Group", slug="og", kind=Board.Kind.OPERATIONAL)
    add_member(board, user=head, start=dt.date(2016, 9, 1))
    client.force_login(head)
    page = client.get(reverse("outcomes:collection_list")).content.decode()
    assert "KS2 predictions, spring term 2017" in page
    assert "Not asked" in page
    assert parse(page).find(".//div[@class='table-wrap']/table") is not None  # scrolls in itself
    not_asked = reverse("outcomes:submission_edit", args=[collection.pk, elsewhere.urn])
    assert not_asked not in page
    home = client.get(reverse("home")).content.decode()
    assert not_asked not in home


# --- ?collection= that a page cannot show (issue 17) --------------------------------------


@pytest.fixture
def other_collection(db, measures, other_school, officer):
    """An autumn collection that asks only the other school."""
    from outcomes.predictions import services

    return services.collection_create(
        title="KS2 predictions, autumn term 2016",
        key_stage="ks2",
        academic_year=2017,
        term="autumn",
        measures=measures.values(),
        groups=["all"],
        schools=[other_school],
        deadline=timezone.now() + dt.timedelta(days=3),
        user=officer,
    )


@pytest.mark.parametrize("page", ["outcomes:predictions_overview", "outcomes:predictions_accuracy"])
def test_a_collection_page_shows_the_collection_asked_for(
    client, officer, submitted, collection, other_collection, page
):
    client.force_login(officer)
    html = client.get(reverse(page), {"collection": other_collection.pk}).content.decode()
    assert f"<h2>{other_collection.title}</h2>" in html
    assert f'<option value="{other_collection.pk}" selected>' in html
    default = client.get(reverse(page)).content.decode()  # the one with a submitted return
    assert f"<h2>{collection.title}</h2>" in default
    assert f'<option value="{collection.pk}" selected>' in default


@pytest.mark.parametrize("page", ["outcomes:predictions_overview", "outcomes:predictions_accuracy"])
def test_a_collection_page_names_a_collection_it_cannot_show_and_shows_none(
    client, head, submitted, collection, other_collection, page
):
    # It used to show the default collection's figures as if they had been asked for.
    client.force_login(head)
    for value in ("abc", "99999", str(other_collection.pk)):  # the last asks another school
        response = client.get(reverse(page), {"collection": value})
        assert response.status_code == 200
        html = response.content.decode()
        assert "These filters could not be applied" in html
        assert f"Collection: “{value}” is not a collection this page can show you" in html
        assert "<h2>" + collection.title not in html
        assert other_collection.title not in html
        assert "No data collections yet" not in html
        assert f'<option value="{collection.pk}">' in html  # to choose from


def test_the_school_page_names_a_collection_it_cannot_show_and_shows_no_predictions(
    client, head, submitted, school, collection, other_collection
):
    client.force_login(head)
    url = reverse("outcomes:school_predictions", args=[school.urn])
    assert "15 of 30" in client.get(url, {"collection": collection.pk}).content.decode()
    for value in ("abc", "²", str(other_collection.pk)):  # not a collection the school answered
        html = client.get(url, {"collection": value}).content.decode()
        assert f"Collection: “{value}” is not a collection this page can show you" in html
        assert "15 of 30" not in html and "Predicted drop" not in html
        assert "No predictions submitted yet" not in html
