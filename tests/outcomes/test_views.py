"""The LA outcomes page and a school's outcomes: the figures a board member checks."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes import demo, selectors
from outcomes.models import AreaType, Measure, Result
from tests.conftest import ROLES
from tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

URL = "/outcomes/"


class _Rows(HTMLParser):
    """Collects every table row that names a measure: {code: {column: text}}."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self._row = None
        self._col = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-measure" in attrs:
            self._row = self.rows.setdefault(attrs["data-measure"], {})
        elif tag == "td" and self._row is not None and "data-col" in attrs:
            self._col = attrs["data-col"]
            self._row[self._col] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self._col = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row is not None and self._col:
            self._row[self._col] += data


def rows_of(response) -> dict[str, dict[str, str]]:
    parser = _Rows()
    parser.feed(response.content.decode())
    return {
        code: {col: " ".join(text.split()) for col, text in cols.items()}
        for code, cols in parser.rows.items()
    }


@pytest.fixture
def demo_data(db, publish):
    portsmouth = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    SchoolFactory(la=portsmouth, urn=116500, phase="primary")
    SchoolFactory(la=portsmouth, urn=116600, phase="secondary", pupils_on_roll=1000)
    demo.load()
    publish()
    return portsmouth


def test_url_name():
    assert reverse("outcomes:la_outcomes") == URL


def test_demo_page_shows_the_2016_tables_as_printed(client_as, demo_data):
    response = client_as("board_member").get(URL, {"year": 2016})
    assert response.status_code == 200
    rows = rows_of(response)

    def shown(code, *cols):
        return tuple(rows[code][c] for c in cols)

    attainment = ("value", "national", "gap")
    assert shown("ks2_rwm_exp", *attainment, "rank", "quartile") == (
        "47.6",
        "53",
        "-5.4",
        "joint 140th of 150",
        "D",
    )
    assert shown("ks2_read_exp", *attainment, "rank") == ("61.3", "66", "-4.7", "119th of 150")
    assert shown("ks2_writ_exp", *attainment, "rank") == ("72.6", "74", "-1.7", "114th of 150")
    assert shown("ks2_mat_exp", *attainment, "rank") == ("63.8", "70", "-6.3", "135th of 150")
    for code, score in [
        ("ks2_read_prog", "-1.6"),
        ("ks2_writ_prog", "-1.4"),
        ("ks2_mat_prog", "-1.8"),
    ]:
        assert rows[code]["value"] == score
        assert rows[code]["significance"].startswith("Significantly below national")
    assert shown("eyfsp_gld", *attainment) == ("69.7", "69.3", "+0.4")
    assert shown("phonics_y1_exp", *attainment) == ("81.4", "80.6", "+0.8")
    assert shown("ks1_rwm_exp", *attainment) == ("58.5", "60.3", "-1.8")
    assert shown("ks4_att8", "value", "previous_value") == ("46.2", "44.1")
    # KS4 national figures were not yet published: words, never a number or a gap
    assert shown("ks4_att8", "national", "gap") == ("not available", "not available")
    # 2015 gaps where the measure existed in 2015
    assert rows["eyfsp_gld"]["previous_gap"] == "+3.0"
    assert rows["phonics_y1_exp"]["previous_gap"] == "-3.0"
    assert rows["ks2_rwm_exp"]["previous_gap"] == "not available"  # a new measure in 2016


def test_page_defaults_to_the_partnership_la_and_latest_year(client_as, demo_data):
    response = client_as("officer").get(URL)
    assert response.context["outcomes"].la.code == 851
    assert response.context["outcomes"].year == 2016
    assert rows_of(response)["ks2_rwm_exp"]["value"] == "47.6"


def test_another_la_can_be_chosen(client_as, demo_data):
    response = client_as("officer").get(URL, {"la": 852, "year": 2016})
    outcomes = response.context["outcomes"]
    assert outcomes.la.code == 852
    southampton = Result.objects.get(
        la__code=852, measure__code="ks2_rwm_exp", academic_year=2016, pupil_group="all"
    )
    assert rows_of(response)["ks2_rwm_exp"]["value"] == f"{southampton.value:.1f}"


def test_pupil_group_selector_shows_the_group_and_its_comparison(client_as, demo_data):
    response = client_as("officer").get(URL, {"year": 2016, "group": "disadvantaged"})
    rows = rows_of(response)
    assert rows["ks2_rwm_exp"]["value"] == "35.9"
    assert rows["ks2_rwm_exp"]["national"] == "39"  # national disadvantaged, shown as published
    # disadvantaged against other pupils nationally: 35.9 - 60.2
    assert rows["ks2_rwm_exp"]["comparison_gap"] == "-24.3"
    assert "Disadvantaged vs other pupils nationally" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        (
            {"la": "999", "year": "2016"},
            "Local authority: “999” is not a local authority with results",
        ),
        ({"year": "1999"}, "Year: “1999” is not a year with results for this local authority"),
        ({"year": "abc", "group": "nonsense"}, "Year: “abc” is not a year with results"),
        (
            {"year": "2016", "group": "nonsense"},
            "Pupil group: “nonsense” is not a pupil group with results",
        ),
    ],
)
def test_a_filter_it_cannot_apply_is_named_and_no_figures_are_shown(
    client_as, demo_data, query, problem
):
    # It used to show Portsmouth's latest all-pupils figures beside the error, as if asked.
    response = client_as("officer").get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "These filters could not be applied" in page
    assert problem in page
    assert rows_of(response) == {}
    assert "Outcomes: Portsmouth" not in page
    assert "There are no results" not in page


def test_a_refused_la_is_the_only_problem_named(client_as, demo_data):
    # Its years are not known, so the year given is not judged against another LA's.
    response = client_as("officer").get(URL, {"la": "999", "year": "1999", "group": "x"})
    assert response.context["form"].problems() == [
        "Local authority: “999” is not a local authority with results (choose one from the list)."
    ]


def test_blank_filters_are_the_defaults(client_as, demo_data):
    response = client_as("officer").get(URL, {"la": "", "year": "", "group": ""})
    assert "These filters could not be applied" not in response.content.decode()
    assert rows_of(response)["ks2_rwm_exp"]["value"] == "47.6"


def test_suppressed_la_value_is_words_and_has_no_rank(client_as, demo_data, publish):
    Result.objects.filter(
        la__code=851, measure__code="ks2_read_exp", academic_year=2016, pupil_group="all"
    ).update(value=None, suppression="suppressed")
    publish()
    rows = rows_of(client_as("officer").get(URL, {"year": 2016}))
    assert rows["ks2_read_exp"]["value"] == "suppressed"
    assert rows["ks2_read_exp"]["gap"] == "not available"
    assert rows["ks2_read_exp"]["rank"] == "no rank"
    # Portsmouth no longer counts in N for reading
    southampton = rows_of(client_as("officer").get(URL, {"year": 2016, "la": 852}))
    assert southampton["ks2_read_exp"]["rank"].endswith("of 149")


@pytest.fixture
def one_result(db):
    portsmouth = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    return Result.objects.create(
        measure=Measure.objects.get(code="ks2_rwm_exp"),
        area_type=AreaType.LA,
        la=portsmouth,
        academic_year=2016,
        value=47.6,
    )


@pytest.mark.parametrize("role", ROLES)
def test_la_outcomes_permission_for_every_role(client_as, one_result, role):
    response = client_as(role).get(URL)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        # LA-level results are published statistics: every signed-in role may read them.
        assert response.status_code == 200


def test_query_count_does_not_grow_with_data(client_as, demo_data, publish):
    client = client_as("officer")
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"year": 2016})
    # Many more LAs with a value for every measure the page reads.
    from schools.models import LocalAuthority

    new_las = LocalAuthority.objects.bulk_create(
        LocalAuthority(code=600 + i, name=f"Extra Authority {i}") for i in range(60)
    )
    template = list(Result.objects.filter(area_type=AreaType.LA, la__code=851))
    Result.objects.bulk_create(
        Result(
            measure_id=r.measure_id,
            area_type=AreaType.LA,
            la=la,
            academic_year=r.academic_year,
            pupil_group=r.pupil_group,
            value=r.value,
            suppression=r.suppression,
        )
        for la in new_las
        for r in template
    )
    publish()
    with CaptureQueriesContext(connection) as large:
        client.get(URL, {"year": 2016})
    assert len(large) == len(small)
    # session, user, permissions, and the page's own handful (one of them its part-year
    # figures, which are few: in-year data)
    assert len(small) <= 15


# --- A school's outcomes -----------------------------------------------------------------


def test_school_outcomes_three_years_with_la_and_national(demo_data, officer):
    school = demo_data.schools.get(urn=116500)
    outcomes = selectors.school_outcomes(school=school, user=officer)
    assert outcomes.years == [2014, 2015, 2016]
    phonics = next(r for r in outcomes.rows if r.measure.code == "phonics_y1_exp")
    values = list(
        school.results.filter(measure__code="phonics_y1_exp")
        .order_by("academic_year")
        .values_list("value", flat=True)
    )
    assert phonics.values_text == [f"{v:.1f}" for v in values]
    assert phonics.la_text == "81.4"
    assert phonics.national_text == "80.6"
    ks2 = next(r for r in outcomes.rows if r.measure.code == "ks2_rwm_exp")
    assert ks2.values_text[:2] == ["not available", "not available"]  # KS2 measure began 2016
    assert ks2.national_text == "53"

    html = render_to_string("outcomes/_school_outcomes.html", {"outcomes": outcomes})
    assert "Phonics: % meeting the expected standard in Year 1" in html
    assert '<th scope="col" class="num">2014</th>' in html


def test_school_gap_in_pupils(officer, publish):
    school = SchoolFactory()
    ks2 = Measure.objects.get(code="ks2_rwm_exp")
    Result.objects.create(
        measure=ks2,
        area_type=AreaType.SCHOOL,
        school=school,
        academic_year=2016,
        value=45.0,
        cohort=25,
    )
    Result.objects.create(measure=ks2, area_type=AreaType.NATIONAL, academic_year=2016, value=53.0)
    publish()
    row = selectors.school_outcomes(school=school, user=officer).rows[0]
    assert row.gap_text == "-8.0"
    assert row.gap_pupils_text == "2 pupils below"


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_school_outcomes_for_every_signed_in_role(request, school, role, publish):
    # Published performance-table results: every signed-in role may see them.
    user = request.getfixturevalue(role)
    Result.objects.create(
        measure=Measure.objects.get(code="ks2_rwm_exp"),
        area_type=AreaType.SCHOOL,
        school=school,
        academic_year=2016,
        value=60.0,
    )
    publish()
    outcomes = selectors.school_outcomes(school=school, user=user)
    assert [r.value_text for r in outcomes.rows] == ["60.0"]


def test_school_outcomes_hidden_from_a_user_without_the_permission(school):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.school_outcomes(school=school, user=AnonymousUser()) is None


# --- Display filters -----------------------------------------------------------------------


def test_display_filters_never_show_missing_values_as_numbers():
    from django.template import Context, Template

    html = Template(
        "{% load outcomes_display %}{{ a|figure:1 }}|{{ b|figure:0 }}|{{ c|gap:1 }}|"
        "{{ d|figure:1 }}|{{ 'c'|suppression_words }}|{% rag_badge 'red' 'beyond tolerance' %}"
    ).render(Context({"a": 72.65, "b": 74.3, "c": -1.7, "d": None}))
    assert html.split("|")[:5] == ["72.7", "74", "-1.7", "not available", "suppressed"]
    assert '<span class="rag rag--red">Red</span>' in html
    assert "beyond tolerance" in html
