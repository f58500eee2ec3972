"""Soft intelligence (RAG rules, import) and the anonymised workforce comparison."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from schools.intelligence import soft_rag
from schools.intelligence.services import workforce_record
from schools.models import SoftIntelligence
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _file(tmp_path, name, school, other):
    text = (DATA / f"{name}.csv.tmpl").read_bytes()
    text = text.replace(b"{URN1}", str(school.urn).encode()).replace(
        b"{URN2}", str(other.urn).encode()
    )
    path = tmp_path / f"{name}.csv"
    path.write_bytes(text)  # Windows-1252 (the café), with a blank line
    return str(path)


def test_soft_rag_rules():
    assert soft_rag.soft_rag(soft_rag.Facts()).rag == "none"
    assert soft_rag.soft_rag(soft_rag.Facts(complaints=0)).rag == "green"
    amber = soft_rag.soft_rag(soft_rag.Facts(pupils=400, permanent_exclusions=1))
    assert amber.rag == "amber" and "Permanent exclusions" in amber.reasons[0]
    assert soft_rag.soft_rag(soft_rag.Facts(staff_turnover_percent=25)).rag == "red"
    three = soft_rag.Facts(permanent_exclusions=1, complaints=2, governor_vacancies=2)
    assert soft_rag.soft_rag(three).rag == "red"
    undersubscribed = soft_rag.Facts(first_preferences=40, places_offered=60)
    assert soft_rag.soft_rag(undersubscribed).rag == "red"  # 66.7% of places, below 75%


def test_import_rejects_bad_cells_with_row_and_column_and_writes_nothing(
    tmp_path, school, other_school
):
    with pytest.raises(ImportRejected) as caught:
        import_file(
            kind="soft_intelligence", path=_file(tmp_path, "soft_bad", school, other_school)
        )
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {(4, "fixed_term_exclusions"), (4, "staff_turnover_percent")}
    assert not SoftIntelligence.objects.exists()


def test_import_names_a_repeated_column_and_writes_nothing(tmp_path, school, other_school):
    good = Path(_file(tmp_path, "soft_good", school, other_school))
    lines = good.read_bytes().split(b"\n")
    lines[0] = lines[0].rstrip(b"\r") + b",Complaints"  # the same column, other capitals
    good.write_bytes(b"\n".join(lines))

    with pytest.raises(ImportRejected) as caught:
        import_file(kind="soft_intelligence", path=str(good))

    assert [str(e) for e in caught.value.errors] == [
        "row 1: The header repeats the column(s) 'complaints': give each column once."
    ]
    assert not SoftIntelligence.objects.exists()


def test_import_writes_every_row_of_a_good_file(tmp_path, school, other_school):
    summary = import_file(
        kind="soft_intelligence", path=_file(tmp_path, "soft_good", school, other_school)
    )
    assert summary["created"] == 2
    record = SoftIntelligence.objects.get(school=school)
    assert (record.term, record.permanent_exclusions, record.notes) == (
        "autumn",
        1,
        "Café complaint resolved",
    )
    assert SoftIntelligence.objects.get(school=other_school).term == "spring"
    # Importing again replaces, never duplicates.
    import_file(kind="soft_intelligence", path=_file(tmp_path, "soft_good", school, other_school))
    assert SoftIntelligence.objects.count() == 2


@pytest.fixture
def workforce(school, other_school, sign):
    peers = [SchoolFactory(name=f"Lighthouse Primary {i}", la=school.la) for i in range(3)]
    everyone = [school, other_school, *peers]
    for i, s in enumerate(everyone):
        sign(s)
        workforce_record(
            school=s,
            academic_year=2018,
            user=None,
            values={
                "teachers_fte": Decimal("20.0"),
                "pupils": 400 + 20 * i,
                "average_salary": 36000 + 500 * i,
                "sickness_days": 3.0 + i,
                "vacancies": i,
                "turnover_percent": 10.0 + i,
            },
        )
    return everyone


def test_a_heads_comparison_never_names_another_school(client, head, school, workforce):
    client.force_login(head)
    html = client.get(reverse("schools:workforce_comparison", args=[school.urn])).content.decode()
    assert "Harbour Primary School (this school)" in html
    for other in workforce[1:]:
        assert other.name not in html
        assert str(other.urn) not in html
    assert "School A" in html and "School D" in html
    assert "20.0" in html  # its own ratio, 400 pupils / 20 FTE


def test_position_in_the_distribution(client, head, school, workforce):
    from schools.intelligence.selectors import workforce_comparison

    data = workforce_comparison(school=school, user=head)
    ratio = next(m for m in data.metrics if m.name.startswith("Pupils per teacher"))
    # Ratios 20, 21, 22, 23, 24: this school has the lowest, so 5th of 5, bottom quarter.
    assert (ratio.position.rank, ratio.position.n, ratio.position.quartile) == (5, 5, 4)
    assert ratio.median_text == "22.0"
    assert [e.named for e in ratio.entries] == [False, False, False, False, True]


def test_a_trust_user_sees_their_trusts_schools_named_and_others_anonymised(
    client, trust_user, school, workforce
):
    client.force_login(trust_user)
    html = client.get(reverse("schools:workforce_comparison", args=[school.urn])).content.decode()
    assert school.name in html
    for other in workforce[1:]:
        assert other.name not in html


def test_officers_see_every_school_named(client, officer, school, workforce):
    client.force_login(officer)
    html = client.get(reverse("schools:workforce_comparison", args=[school.urn])).content.decode()
    for s in workforce:
        assert s.name in html


def _add_2019_figures(school):
    workforce_record(
        school=school,
        academic_year=2019,
        user=None,
        values={"teachers_fte": Decimal("20.0"), "pupils": 500},
    )


def test_a_chosen_year_is_compared(client, officer, school, workforce):
    _add_2019_figures(school)
    client.force_login(officer)
    url = reverse("schools:workforce_comparison", args=[school.urn])
    assert "2019: 1 schools in" in client.get(url).content.decode()  # the latest by default
    html = client.get(url, {"year": "2018"}).content.decode()
    assert "2018: 5 schools in" in html
    assert '<option value="2018" selected>' in html


@pytest.mark.parametrize("year", ["abc", "1999", "²"])
def test_a_year_it_cannot_compare_is_named_and_no_figures_are_shown(
    client, officer, school, workforce, year
):
    # It used to compare the latest year's figures as if that year had been asked for
    # (and "²", a digit to str.isdigit() but not to int(), was a server error).
    _add_2019_figures(school)
    client.force_login(officer)
    url = reverse("schools:workforce_comparison", args=[school.urn])
    response = client.get(url, {"year": year})
    assert response.status_code == 200
    html = response.content.decode()
    assert "These filters could not be applied" in html
    assert f"Year: “{year}” is not a year this school has workforce figures for" in html
    assert "schools in" not in html and "20.0" not in html
    assert "No workforce figures recorded" not in html
    assert '<option value="2019">' in html  # the years it has, to choose from


def test_schools_without_an_agreement_are_left_out_of_a_heads_comparison(
    client, head, school, other_school, workforce
):
    other_school.agreements.update(withdrawn_on=dt.date(2016, 9, 2))
    from schools.intelligence.selectors import workforce_comparison

    data = workforce_comparison(school=school, user=head)
    assert data.schools_compared == 4


def test_board_members_get_soft_intelligence_counts_only(
    client, board_member, og_member, workforce
):
    from schools.intelligence.services import soft_intelligence_record

    for s in workforce:
        soft_intelligence_record(
            school=s, academic_year=2017, term="autumn", values={"complaints": 5}, user=None
        )
    client.force_login(board_member)
    html = client.get(reverse("schools:intelligence_overview")).content.decode()
    assert "Schools red" in html
    for s in workforce:
        assert s.name not in html
    client.force_login(og_member)
    html = client.get(reverse("schools:intelligence_overview")).content.decode()
    assert all(s.name in html for s in workforce)


@pytest.mark.parametrize(
    ("urn", "year", "complaints", "column"),
    [
        ("9" * 4301, "2017", "1", "urn"),  # found by fuzzing: int() of a 4,301-digit string
        ("²", "2017", "1", "urn"),  # "²".isdigit() is True, int("²") fails
        ("{URN}", "²⁰¹⁷", "1", "academic_year"),
        ("{URN}", "2017", "9" * 5000, "complaints"),
    ],
)
def test_import_gives_row_errors_for_absurd_numbers(
    tmp_path, school, urn, year, complaints, column
):
    path = tmp_path / "absurd.csv"
    urn = urn.replace("{URN}", str(school.urn))
    path.write_text(f"urn,academic_year,term,complaints\n{urn},{year},autumn,{complaints}\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(kind="soft_intelligence", path=str(path))
    assert (2, column) in {(e.row, e.column) for e in caught.value.errors}
    assert not SoftIntelligence.objects.exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_import_rejects_values_that_are_not_finite_numbers(tmp_path, school, value):
    path = tmp_path / "nan.csv"
    path.write_text(
        f"urn,academic_year,term,staff_turnover_percent\n{school.urn},2017,autumn,{value}\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(kind="soft_intelligence", path=str(path))
    assert (2, "staff_turnover_percent") in {(e.row, e.column) for e in caught.value.errors}
    assert not SoftIntelligence.objects.exists()
