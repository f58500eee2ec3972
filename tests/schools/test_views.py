"""The register's pages: who may open them, the directory's filters, the upload."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pep_portal.imports.models import ImportJob
from schools.models import School
from tests.conftest import ROLES
from tests.factories import (
    LocalAuthorityFactory,
    OfstedInspectionFactory,
    SchoolFactory,
    TrustFactory,
)

from .conftest import FULL

pytestmark = pytest.mark.django_db

ALLOWED_TO_BROWSE = set(ROLES) - {"anonymous"}
OFFICERS = {"officer", "portal_admin"}


def page_urls(school, trust):
    return {
        "school_list": reverse("schools:school_list"),
        "school_detail": reverse("schools:school_detail", args=[school.urn]),
        "trust_detail": reverse("schools:trust_detail", args=[trust.pk]),
        "import_register": reverse("schools:import_register"),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("school_list", ALLOWED_TO_BROWSE),
        ("school_detail", ALLOWED_TO_BROWSE),
        ("trust_detail", ALLOWED_TO_BROWSE),
        ("import_register", OFFICERS),
    ],
)
def test_access_to_every_schools_page_by_role(client_as, school, trust, role, page, allowed):
    url = page_urls(school, trust)[page]

    response = client_as(role).get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_unknown_school_and_trust_are_404(client_as):
    client = client_as("board_member")
    assert client.get(reverse("schools:school_detail", args=[999999])).status_code == 404
    assert client.get(reverse("schools:trust_detail", args=[424242])).status_code == 404


# --- the directory --------------------------------------------------------------------


@pytest.fixture
def directory(school, other_school, trust):
    """Schools with different phases, types, trusts and Ofsted histories."""
    OfstedInspectionFactory(
        school=school, inspection_date=dt.date(2019, 5, 1), overall_effectiveness=2
    )
    OfstedInspectionFactory(
        school=other_school, inspection_date=dt.date(2018, 5, 1), overall_effectiveness=1
    )
    OfstedInspectionFactory(
        school=other_school, inspection_date=dt.date(2022, 5, 1), overall_effectiveness=3
    )
    secondary = SchoolFactory(
        name="Portsdown Ridge School",
        urn=116777,
        phase="secondary",
        statutory_low_age=11,
        statutory_high_age=16,
    )
    OfstedInspectionFactory(
        school=secondary, inspection_date=dt.date(2017, 1, 10), overall_effectiveness=4
    )
    OfstedInspectionFactory(
        school=secondary,
        inspection_date=dt.date(2025, 3, 3),
        framework="ungraded",
        overall_effectiveness=None,
    )
    SchoolFactory(name="Copse Nursery School", phase="nursery", urn=116888)
    SchoolFactory(name="Old Junior School", status=School.Status.CLOSED, urn=116999)
    return {"school": school, "other": other_school, "secondary": secondary}  # fmt: skip


def names(response) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Copse Nursery School", "Harbour Primary School", "Portsdown Ridge School",
              "Spinnaker Primary School"]),
        ({"phase": "secondary"}, ["Portsdown Ridge School"]),
        ({"category": "academy_sponsor_led"}, ["Spinnaker Primary School"]),
        ({"ofsted": "2"}, ["Harbour Primary School"]),
        ({"ofsted": "3"}, ["Spinnaker Primary School"]),  # the latest grade, not the first
        ({"ofsted": "4"}, []),  # superseded by an ungraded inspection
        ({"ofsted": "none"}, ["Portsdown Ridge School"]),
        ({"ofsted": "uninspected"}, ["Copse Nursery School"]),
        ({"ofsted": "good_or_better"}, ["Harbour Primary School"]),
        ({"q": "spinn"}, ["Spinnaker Primary School"]),
        ({"q": "116777"}, ["Portsdown Ridge School"]),
        ({"status": "closed"}, ["Old Junior School"]),
        ({"la": "851", "phase": "nursery"}, ["Copse Nursery School"]),
        ({"la": "852"}, []),  # no such LA: said (below), and no school listed
    ],
)  # fmt: skip
def test_directory_filters_and_search(client_as, directory, params, expected):
    response = client_as("board_member").get(reverse("schools:school_list"), params)
    assert response.status_code == 200
    assert names(response) == expected


def test_directory_says_which_filter_it_cannot_apply_and_lists_no_school(client_as, directory):
    # A bookmarked or edited link: not the whole register as if it answered the question.
    for params, problem in [
        ({"la": "852"}, "Local authority: Select a valid choice. 852 is not one of the"),
        ({"phase": "college", "q": "harb"}, "Phase: Select a valid choice. college is not"),
        ({"ofsted": "5"}, "Latest Ofsted: Select a valid choice. 5 is not one of the"),
    ]:
        response = client_as("officer").get(reverse("schools:school_list"), params)
        html = response.content.decode()
        assert response.status_code == 200
        assert "These filters could not be applied" in html
        assert problem in html
        assert names(response) == []
        assert "No schools match these filters." in html


def test_directory_filter_naming_an_la_without_schools_is_the_empty_state(client_as, directory):
    LocalAuthorityFactory(code=852, name="Southampton")
    response = client_as("officer").get(reverse("schools:school_list"), {"la": "852"})
    html = response.content.decode()
    assert names(response) == []
    assert "No schools match these filters." in html
    assert "could not be applied" not in html
    assert '<option value="852" selected>Southampton (852)</option>' in html


def test_directory_filters_by_trust(client_as, directory, trust):
    response = client_as("head").get(reverse("schools:school_list"), {"trust": trust.pk})
    assert names(response) == ["Harbour Primary School"]


def test_directory_says_good_or_better_counts_only_graded_schools(client_as, directory):
    html = client_as("board_member").get(reverse("schools:school_list")).content.decode()
    # Harbour (Good) and Spinnaker (RI) have an overall grade; Portsdown's latest has none.
    assert "50.0% good or better" in html
    assert "1 of the 2 open schools whose latest inspection gave an overall grade" in html
    assert "1 school last inspected without an overall grade" in html
    assert "No overall grade" in html


def test_directory_is_paginated_keeping_the_filters(client_as):
    for n in range(55):
        SchoolFactory(name=f"School {n:02d}", phase="primary")
    client = client_as("officer")

    first = client.get(reverse("schools:school_list"), {"phase": "primary"})
    second = client.get(reverse("schools:school_list"), {"phase": "primary", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert "phase=primary&amp;page=2" in first.content.decode()
    assert names(second) == [f"School {n:02d}" for n in range(50, 55)]


def _directory_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("schools:school_list")).status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_does_not_grow_with_the_schools(
    client_as, django_assert_max_num_queries
):
    client = client_as("officer")
    for _ in range(3):
        OfstedInspectionFactory(school=SchoolFactory(trust=TrustFactory()))
    few = _directory_queries(client)
    for _ in range(40):
        school = SchoolFactory(trust=TrustFactory())
        OfstedInspectionFactory(school=school, inspection_date=dt.date(2018, 1, 1))
        OfstedInspectionFactory(school=school, inspection_date=dt.date(2023, 1, 1))

    with django_assert_max_num_queries(few):
        client.get(reverse("schools:school_list"))


# --- school and trust pages -----------------------------------------------------------


def test_school_page_shows_history_and_says_when_good_or_better_does_not_apply(
    client_as, directory
):
    html = (
        client_as("head")
        .get(reverse("schools:school_detail", args=[directory["secondary"].urn]))
        .content.decode()
    )

    assert "Inspection history" in html
    assert "3 March 2025: no overall grade" in html
    assert 'it gave no overall grade, so "good or better" does not apply' in html
    assert "The last overall grade, on 10 January 2017, was Inadequate." in html


def test_school_page_shows_good_or_better_where_graded(client_as, directory):
    html = (
        client_as("trust_user")
        .get(reverse("schools:school_detail", args=[directory["school"].urn]))
        .content.decode()
    )
    assert "Yes (Good)" in html
    assert "Solent Academies Trust" in html


def test_trust_page_lists_its_schools_only(client_as, trust, school, other_school):
    SchoolFactory(name="Closed Academy", trust=trust, status=School.Status.CLOSED)
    response = client_as("other_trust_user").get(reverse("schools:trust_detail", args=[trust.pk]))
    assert [s.name for s in response.context["schools"]] == [
        "Closed Academy",
        "Harbour Primary School",
    ]


# --- the officers' upload -------------------------------------------------------------


def upload(client, path, **data):
    with open(path, "rb") as fh:
        return client.post(reverse("schools:import_register"), {"file": fh, **data})


def test_officer_upload_imports_through_a_job_and_shows_its_page(
    client_as, media, django_capture_on_commit_callbacks
):
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, FULL, kind="gias", la_codes="851")

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.options == {"la_codes": [851]}
    assert job.summary["created"] == 6
    assert set(School.objects.values_list("la__code", flat=True)) == {851}
    page = client.get(response["Location"]).content.decode()
    assert "Succeeded" in page or "succeeded" in page


def test_bad_upload_fails_the_job_with_row_errors_and_writes_nothing(
    client_as, media, tmp_path, django_capture_on_commit_callbacks
):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(FULL.read_bytes().replace(b'"12-03-2019"', b'"12-13-2019"'))
    client = client_as("portal_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, bad, kind="gias")

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["row"] == 2 and job.errors[0]["column"] == "OfstedLastInsp"
    assert School.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Row 2, column “OfstedLastInsp”" in page


def test_upload_form_rejects_a_bad_la_code(client_as, media):
    response = upload(client_as("officer"), FULL, kind="gias", la_codes="851, Hampshire")
    assert response.status_code == 200
    assert "&#x27;Hampshire&#x27; is not an LA code" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", ["board_member", "head", "school_colleague", "trust_user"])
def test_other_roles_cannot_upload(client_as, media, role):
    response = upload(client_as(role), FULL, kind="gias")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_school_page_shows_the_schools_own_outcomes_beside_la_and_national(
    client_as, school, publish
):
    from outcomes.models import AreaType, Measure, PupilGroup, Result

    measure = Measure.objects.get(code="ks2_rwm_exp")
    Result.objects.create(
        measure=measure,
        area_type=AreaType.SCHOOL,
        school=school,
        academic_year=2016,
        pupil_group=PupilGroup.ALL,
        value=61.0,
        cohort=30,
    )
    Result.objects.create(
        measure=measure,
        area_type=AreaType.NATIONAL,
        academic_year=2016,
        pupil_group=PupilGroup.ALL,
        value=53.0,
    )
    publish()  # the page shows the published snapshot's figures
    page = client_as("board_member").get(f"/schools/{school.urn}/").content.decode()
    assert measure.name in page
    assert "61" in page
