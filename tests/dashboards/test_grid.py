"""The schools grid: every school with its RAG cells, filters and sorting by GET
parameters, and CSV / XLSX exports of exactly what the page shows."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def shown(html: str) -> list[list[str]]:
    """The grid's body rows as the reader sees them: one list of cell texts per row."""
    body = re.search(r'<table[^>]*id="schools-grid".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr data-urn.*?</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def names(html: str) -> list[str]:
    return [r[0] for r in shown(html)]


def get(client, **params):
    return client.get(reverse("partnership:schools_grid"), params).content.decode()


def test_grid_lists_every_partnership_school_with_rag_cells(snapshot, client_as):
    html = get(client_as("board_member"))
    assert names(html) == sorted(
        ["Weak Primary", "Strong Primary", "Harbour Primary School", "Spinnaker Primary School"]
    )
    weak = next(r for r in shown(html) if r[0] == "Weak Primary")
    # School, phase, trust, Ofsted, overall RAG, KS2 maths, absence, suggestion, decision
    assert weak[1] == "Primary"
    assert weak[2] == "None (not in a trust)"
    assert weak[3].startswith("Requires improvement")
    # attainment red, Requires improvement, high absence: amber (no progress figure, so no
    # "well below average" rule can make it red; README "School RAG")
    assert weak[4].startswith("Amber")
    assert weak[5].startswith("40.0 Red")
    assert weak[6].startswith("6.1 Red")
    assert weak[7] == "Moderate concern"
    assert weak[8] == "Maximum concern (01 Nov 2016)"
    harbour = next(r for r in shown(html) if r[0] == "Harbour Primary School")
    assert harbour[2] == "Solent Academies Trust"
    assert "Showing 4 of 4 schools." in html


def test_grid_filters_by_rag_category_trust_and_phase(snapshot, client_as, trust):
    client = client_as("officer")
    assert names(get(client, rag="amber")) == ["Weak Primary"]
    assert names(get(client, rag="red")) == []
    assert names(get(client, category="maximum")) == ["Weak Primary"]
    assert "Weak Primary" not in names(get(client, category="none"))
    assert names(get(client, suggestion="minimum")) == sorted(
        ["Strong Primary", "Harbour Primary School", "Spinnaker Primary School"]
    )
    assert names(get(client, trust=trust.pk)) == ["Harbour Primary School"]
    assert names(get(client, phase="secondary")) == []
    html = get(client, phase="secondary")
    assert "No schools match these filters." in html and "Showing 0 of 0 schools." in html


def test_an_invalid_filter_is_reported_naming_field_and_value_and_lists_no_schools(
    snapshot, client_as
):
    # Not the whole grid: that would look like the answer to "the purple schools".
    html = get(client_as("officer"), rag="purple")
    assert "Select a valid choice. purple is not one of the available choices." in html
    assert "These filters could not be applied" in html
    assert "Overall RAG: Select a valid choice. purple is not one" in html
    assert names(html) == []
    assert "Showing 0 of 4 schools." in html


def test_an_export_with_an_invalid_filter_is_refused_saying_why(snapshot, client_as):
    response = client_as("officer").get(
        reverse("partnership:schools_grid_export", args=["csv"]), {"phase": "tertiary"}
    )
    assert response.status_code == 400
    assert "Phase: Select a valid choice. tertiary is not one" in response.content.decode()


def test_grid_sorts_by_any_column_both_ways(snapshot, client_as):
    client = client_as("board_member")
    # KS2 maths, best first: Strong 80, Harbour 72, Spinnaker 71, Weak 40.
    assert names(get(client, sort="ks2_mat_exp")) == [
        "Strong Primary",
        "Harbour Primary School",
        "Spinnaker Primary School",
        "Weak Primary",
    ]
    assert names(get(client, sort="-ks2_mat_exp"))[0] == "Weak Primary"
    # Absence is lower-is-better: Harbour 4.0 first, Weak 6.1 last.
    by_absence = names(get(client, sort="abs_overall_pct"))
    assert by_absence[0] == "Harbour Primary School" and by_absence[-1] == "Weak Primary"
    assert names(get(client, sort="rag"))[0] == "Weak Primary"
    assert names(get(client, sort="-name"))[0] == "Weak Primary"


@pytest.mark.parametrize("sort", ["nonsense", "-nonsense", "ks2_maths", "--name"])
def test_a_sort_it_cannot_apply_is_named_and_lists_no_schools(snapshot, client_as, sort):
    # It used to list the schools by name, which under a sort by a measure (a bookmark with
    # a misspelt code) reads as that measure's ranking.
    html = get(client_as("board_member"), sort=sort, rag="green")
    assert "These filters could not be applied" in html
    assert (
        f"Sort: “{sort}” is not a column the grid can be sorted by (choose a column heading "
        "to sort by it)."
    ) in html
    assert names(html) == []
    assert "Showing 0 of 4 schools." in html
    # The headings still sort, keeping the other filters.
    assert 'href="?rag=green&amp;sort=ks2_mat_exp"' in html


def test_an_export_with_a_sort_it_cannot_apply_is_refused_saying_why(snapshot, client_as):
    response = client_as("officer").get(
        reverse("partnership:schools_grid_export", args=["csv"]), {"sort": "nonsense"}
    )
    assert response.status_code == 400
    assert "Sort: “nonsense” is not a column" in response.content.decode()


def test_sort_headers_say_which_way_the_table_is_sorted(snapshot, client_as):
    html = get(client_as("board_member"), sort="-ks2_mat_exp", rag="green")
    header = re.search(
        r'<th scope="col" class="num" aria-sort="descending"><a href="([^"]+)">KS2 maths', html
    )
    assert header, "the sorted column's header carries aria-sort"
    assert "sort=ks2_mat_exp" in header.group(1) and "rag=green" in header.group(1)
    # Filtering again keeps the sort.
    assert '<input type="hidden" name="sort" value="-ks2_mat_exp"' in html


def test_csv_export_is_exactly_what_is_shown(snapshot, client_as):
    client = client_as("board_member")
    params = {"sort": "-ks2_mat_exp", "suggestion": "minimum"}
    html = get(client, **params)
    response = client.get(reverse("partnership:schools_grid_export", args=["csv"]), params)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header == [
        "URN",
        "School",
        "Phase",
        "Trust",
        "Ofsted",
        "Overall RAG",
        "KS2 maths",
        "KS2 maths RAG",
        "Overall absence",
        "Overall absence RAG",
        "3Ms suggestion",
        "3Ms decision",
    ]
    assert [r[1] for r in body] == names(html)
    page_rows = shown(html)
    for exported, on_page in zip(body, page_rows, strict=True):
        assert exported[1:6] == [
            on_page[0],
            on_page[1],
            on_page[2],
            on_page[3],
            on_page[4].split()[0],
        ]
        # The cell shows the figure and its RAG word (and, for screen readers, the reason).
        assert on_page[5].startswith(f"{float(exported[6]):.1f} {exported[7]}")
        assert exported[10:] == on_page[7:]


def test_xlsx_export_matches_the_page_and_keeps_numbers_as_numbers(snapshot, client_as):
    client = client_as("officer")
    html = get(client, rag="amber")
    response = client.get(
        reverse("partnership:schools_grid_export", args=["xlsx"]), {"rag": "amber"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert [r[1] for r in values[1:]] == names(html) == ["Weak Primary"]
    assert values[1][6] == 40.0 and values[1][7] == "Red"


def test_export_escapes_text_that_a_spreadsheet_would_run(snapshot, client_as):
    snapshot["weak"].name = '=HYPERLINK("http://evil")'
    snapshot["weak"].save()
    response = client_as("officer").get(
        reverse("partnership:schools_grid_export", args=["csv"]), {"rag": "amber"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_unknown_export_format_is_404(snapshot, client_as):
    assert client_as("officer").get("/partnership/dashboards/schools/export.pdf").status_code == 404


def test_trust_page_shows_its_schools_and_aggregates(snapshot, client_as, trust):
    html = (
        client_as("trust_user")
        .get(reverse("partnership:trust_page", args=[trust.pk]))
        .content.decode()
    )
    assert names(html) == ["Harbour Primary School"]
    assert 'data-fig="schools">1</span>' in html
    assert re.search(r'data-fig="good-or-better">1</span> of 1 with', html)
    assert 'data-fig="pupils-pct">100.0%' in html
    green = re.search(r'<tr data-rag="green">.*?<td class="num">(\d+)</td>', html, re.S).group(1)
    assert green == "1"
