import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnership.calculations.support import DeploymentRow, support_figures
from partnership.categorisation import selectors as categorisation_selectors
from partnership.categorisation import services as categorisation_services
from partnership.support import selectors as support_selectors
from partnership.support import services as support_services
from partnership.support.models import Deployment, SystemLeader
from schools.models import Trust
from tests.factories import SchoolFactory, TrustFactory

from .factories import SystemLeaderFactory, deploy

pytestmark = pytest.mark.django_db


def test_support_figures_on_hand_worked_rows():
    rows = [
        DeploymentRow(1, "ks2_maths", Decimal("3"), from_mat=True),
        DeploymentRow(1, "governance", Decimal("2.5"), from_mat=False),
        DeploymentRow(2, "ks2_maths", Decimal("4"), from_mat=True),
        DeploymentRow(3, "pupil_premium", Decimal("1"), from_mat=True),
        DeploymentRow(4, "ks2_maths", Decimal("10"), from_mat=True, cancelled=True),
    ]
    latest = {1: "maximum", 2: "moderate", 5: "moderate", 6: "minimum", 3: "minimum"}
    f = support_figures(rows, latest)
    assert f.deployments == 4  # the cancelled one is not counted
    assert f.from_mats == 3
    assert f.mat_share_percent == Decimal(75)
    assert f.total_days == Decimal("10.5")
    assert f.days_by_focus == {
        "ks2_maths": Decimal("7"),
        "governance": Decimal("2.5"),
        "pupil_premium": Decimal("1"),
    }
    assert f.schools_supported == 3
    by = {c.category: (c.schools, c.supported, c.unsupported) for c in f.by_category}
    assert by == {"minimum": (2, 1, 1), "moderate": (2, 1, 1), "maximum": (1, 1, 0)}
    assert f.concern_without_support == [5]


def test_no_deployments_gives_no_share_rather_than_zero():
    assert support_figures([], {}).mat_share_percent is None


@pytest.fixture
def register():
    mat = TrustFactory(
        name="University of Chichester Academy Trust", trust_type=Trust.TrustType.MAT
    )
    sat = TrustFactory(name="Single Academy", trust_type=Trust.TrustType.SAT)
    return {
        "mat_school": SchoolFactory(name="Mat Home", trust=mat),
        "sat_school": SchoolFactory(name="Sat Home", trust=sat),
        "la_school": SchoolFactory(name="LA Home"),
        "a": SchoolFactory(name="Alpha Primary"),
        "b": SchoolFactory(name="Beta Primary"),
        "c": SchoolFactory(name="Gamma Primary"),
    }


def test_year_figures_from_the_database(register, officer):
    nle = SystemLeaderFactory(designation="nle", home_school=register["mat_school"])
    sle = SystemLeaderFactory(designation="sle", home_school=register["sat_school"])
    lle = SystemLeaderFactory(designation="lle", home_school=register["la_school"])
    deploy(leader=nle, school=register["a"], days="5", start=dt.date(2016, 9, 20))
    deploy(
        leader=nle, school=register["b"], focus="governance", days="2", start=dt.date(2017, 3, 1)
    )
    deploy(leader=sle, school=register["a"], days="1.5", start=dt.date(2017, 8, 31))
    deploy(leader=lle, school=register["b"], days="4", start=dt.date(2017, 9, 1))  # next year
    deploy(leader=nle, school=register["c"], days="9", start=dt.date(2016, 8, 31))  # last year

    review = categorisation_services.categorisation_review_create(
        name="Autumn 2016", review_date=dt.date(2016, 10, 11)
    )
    categorisation_services.categorisation_record(
        review=review, school=register["a"], category="maximum", rationale="KS2 progress low"
    )
    categorisation_services.categorisation_record(
        review=review, school=register["c"], category="moderate", rationale="Writing"
    )
    f = support_selectors.support_figures_for_year(year=2016)
    assert (f.deployments, f.from_mats, f.total_days) == (3, 2, Decimal("8.5"))
    assert f.days_by_focus == {"ks2_maths": Decimal("6.5"), "governance": Decimal("2")}
    assert f.concern_without_support == [register["c"].pk]
    by = {c.category: (c.schools, c.supported) for c in f.by_category}
    assert by["maximum"] == (1, 1) and by["moderate"] == (1, 0)


def test_home_trust_is_kept_as_it_was_when_deployed(register):
    leader = SystemLeaderFactory(home_school=register["mat_school"])
    d = deploy(leader=leader, school=register["a"])
    register["mat_school"].trust = None
    register["mat_school"].save()
    d.refresh_from_db()
    assert d.from_mat is True


def test_a_deployment_closes_only_with_an_impact_note(register):
    d = deploy(leader=SystemLeaderFactory(), school=register["a"])
    with pytest.raises(ValidationError):
        support_services.deployment_close(
            deployment=d, impact_note="  ", end_date=dt.date(2017, 1, 1)
        )
    support_services.deployment_close(
        deployment=d, impact_note="Maths leadership secure", end_date=dt.date(2017, 1, 1)
    )
    d.refresh_from_db()
    assert d.status == "closed" and d.impact_note == "Maths leadership secure"


def test_categorisation_history_is_kept_and_latest_wins(school):
    autumn = categorisation_services.categorisation_review_create(
        name="Autumn 2016", review_date=dt.date(2016, 10, 11)
    )
    spring = categorisation_services.categorisation_review_create(
        name="Spring 2017", review_date=dt.date(2017, 2, 7)
    )
    categorisation_services.categorisation_record(
        review=autumn, school=school, category="maximum", rationale="RI, KS2 low"
    )
    categorisation_services.categorisation_record(
        review=spring, school=school, category="moderate", rationale="Improving"
    )
    history = list(categorisation_selectors.categorisation_history(school=school))
    assert [(d.review.name, d.category) for d in history] == [
        ("Spring 2017", "moderate"),
        ("Autumn 2016", "maximum"),
    ]
    assert categorisation_selectors.latest_categorisation(school=school).category == "moderate"
    assert (
        categorisation_selectors.latest_categorisation(
            school=school, as_of=dt.date(2016, 12, 1)
        ).category
        == "maximum"
    )
    assert categorisation_selectors.latest_categorisations()[school.pk].category == "moderate"
    with pytest.raises(ValidationError, match="already has a decision"):
        categorisation_services.categorisation_record(
            review=spring, school=school, category="minimum", rationale="x"
        )


def test_letter_of_concern_to_a_school_is_filled_from_its_data(school, head, officer):
    head.first_name, head.last_name = "Hannah", "Head"
    head.save()
    review = categorisation_services.categorisation_review_create(
        name="Autumn 2016", review_date=dt.date(2016, 10, 11)
    )
    categorisation_services.categorisation_record(
        review=review, school=school, category="maximum", rationale="KS2 progress"
    )
    template = categorisation_services.letter_template_create(
        name="Primary concern",
        recipient="school",
        subject="Letter of concern: $school_name ($urn)",
        body="Dear $head_name,\nThe group categorised $school_name as $concern_category. "
        "Please respond by $response_due.",
        response_days=20,
    )
    letter = categorisation_services.letter_generate(
        school=school, template=template, created_by=officer, today=dt.date(2019, 2, 1)
    )
    assert (
        letter.addressed_to == "The Headteacher and the Chair of Governors, Harbour Primary School"
    )
    assert letter.subject == f"Letter of concern: Harbour Primary School ({school.urn})"
    assert "Dear Hannah Head" in letter.body
    assert "as Maximum concern" in letter.body
    assert letter.status_on(dt.date(2019, 2, 2)) == "Draft, not sent"

    categorisation_services.letter_mark_sent(letter=letter, sent_on=dt.date(2019, 2, 4))
    assert letter.response_due == dt.date(2019, 2, 24)
    assert letter.status_on(dt.date(2019, 2, 24)) == "Awaiting response"
    assert letter.status_on(dt.date(2019, 2, 25)) == "Response overdue"
    with pytest.raises(ValidationError):
        categorisation_services.letter_record_response(
            letter=letter, received_on=dt.date(2019, 2, 1)
        )
    categorisation_services.letter_record_response(
        letter=letter, received_on=dt.date(2019, 2, 20), note="Plan"
    )
    assert letter.status_on(dt.date(2019, 3, 1)) == "Response received"


def test_trust_letter_goes_to_the_ceo_and_needs_a_trust(school, other_trust, officer):
    template = categorisation_services.letter_template_create(
        name="Trust concern",
        recipient="trust",
        subject="Outcomes at $school_name",
        body="To the CEO of $trust_name",
    )
    letter = categorisation_services.letter_generate(school=school, template=template)
    assert letter.addressed_to == "The Chief Executive, Solent Academies Trust"
    assert letter.trust == school.trust
    maintained = SchoolFactory(name="Maintained Primary")
    with pytest.raises(ValidationError, match="not in a trust"):
        categorisation_services.letter_generate(school=maintained, template=template)


def test_letter_template_rejects_unknown_placeholders():
    with pytest.raises(ValidationError, match=r"\$headteacher"):
        categorisation_services.letter_template_create(
            name="Bad", recipient="school", subject="Hi", body="Dear $headteacher"
        )


def test_officer_records_a_deployment_of_a_new_leader_on_the_page(client_as, school, other_school):
    response = client_as("officer").post(
        "/partnership/support/new/",
        {
            "new_leader_name": "Ada Byron",
            "new_leader_designation": "nle",
            "new_leader_home_school": other_school.pk,
            "supported_school": school.pk,
            "focus": "ks2_maths",
            "focus_detail": "Reasoning papers",
            "commissioned_by": "partnership",
            "days": "3.5",
            "start_date": "2016-10-03",
            "status": "active",
        },
    )
    deployment = Deployment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/partnership/support/{deployment.pk}/"
    leader = deployment.leader
    assert (leader.name, leader.designation, leader.home_school) == (
        "Ada Byron",
        "nle",
        other_school,
    )
    assert deployment.supported_school == school
    assert (deployment.focus, deployment.focus_detail, deployment.commissioned_by) == (
        "ks2_maths",
        "Reasoning papers",
        "partnership",
    )
    assert (deployment.days, deployment.start_date, deployment.end_date, deployment.status) == (
        Decimal("3.5"),
        dt.date(2016, 10, 3),
        None,
        "active",
    )


def test_officer_deploys_an_existing_leader_on_the_page(client_as, school):
    leader = SystemLeaderFactory()
    response = client_as("officer").post(
        "/partnership/support/new/",
        {
            "leader": leader.pk,
            "supported_school": school.pk,
            "focus": "phonics",
            "commissioned_by": "la",
            "days": "2",
            "start_date": "2016-10-03",
            "end_date": "2016-12-16",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    deployment = Deployment.objects.get()
    assert deployment.leader == leader and SystemLeader.objects.count() == 1
    assert (deployment.focus, deployment.focus_detail, deployment.end_date) == (
        "phonics",
        "",
        dt.date(2016, 12, 16),
    )


def test_deployment_list_filter_says_a_status_it_does_not_know_and_lists_none(client_as, register):
    deployment = deploy(leader=SystemLeaderFactory(), school=register["a"])
    client = client_as("officer")
    page = client.get("/partnership/support/", {"status": deployment.status}).content.decode()
    assert "Alpha Primary" in page
    response = client.get("/partnership/support/", {"status": "finished"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Status: Select a valid choice. finished is not one of the available choices." in html
    assert "Alpha Primary" not in html  # not every deployment, as if all were "finished"
    assert "No deployments." in html


def test_categorisation_list_filter_says_a_category_it_does_not_know_and_lists_none(
    client_as, register
):
    review = categorisation_services.categorisation_review_create(
        name="Autumn 2016", review_date=dt.date(2016, 10, 11)
    )
    categorisation_services.categorisation_record(
        review=review, school=register["a"], category="maximum", rationale="KS2 progress low"
    )
    client = client_as("officer")
    page = client.get("/partnership/categorisation/", {"category": "maximum"}).content.decode()
    assert "Alpha Primary" in page and "Beta Primary" not in page
    response = client.get("/partnership/categorisation/", {"category": "severe"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Latest decision: Select a valid choice. severe is not one of the" in html
    assert "Alpha Primary" not in html and "Beta Primary" not in html
    assert "No schools." in html
