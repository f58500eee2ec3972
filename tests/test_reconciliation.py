"""One figure everywhere (issue 15): the demo, after a nightly run, crawled as a board member
and as an officer. Every count (the partnership's schools, schools by overall RAG, schools
without an overall Ofsted grade, 3Ms suggestions) and every figure of three sample schools
(a primary, a secondary and an infant school) and three measures (KS2 RWM, Progress 8,
EYFSP GLD) reads the same on the overview, headlines, key stage pages, the schools grid and
its CSV, school on a page, the register's school page, /outcomes/, categorisation, the board
pack PDF and /api/v1/.

The expected value is never typed here: it is the snapshot's, read once
(tests/snapshot_truth.py) through
the nightly's current run and ``schools.selectors.partnership_schools``, and formatted as the
portal formats figures. Pages are parsed as HTML (tests/html_pages.py) and each figure is
found by its label (a row's measure or school, a column's heading), as a reader finds it.

The demo is loaded once for the module, inside a transaction rolled back at the end.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest
from django.test import TestCase
from pypdf import PdfReader

from outcomes.calculations.formatting import format_gap, format_number, rank_text
from outcomes.models import Measure
from outcomes.selectors import national_decimals, partnership_la
from partnership.categorisation.models import Concern
from partnership.governance import services as governance_services
from partnership.governance.models import BoardPack, Meeting
from pep_portal.accounts.models import User
from pep_portal.platform.rag import FIGURE_RAG_CHOICES, Rag
from schools.models import School
from schools.selectors import partnership_schools

from .conftest import demo_after_nightly
from .html_pages import by_class, one, own_text, parse, row_cells, table_rows, text
from .snapshot_truth import MEASURES, Figure, read_truth

pytestmark = pytest.mark.django_db

ROLES = {"board": "board@pep.example", "officer": "officer@pep.example"}


@pytest.fixture(scope="module")
def truth(django_db_setup, django_db_blocker, tmp_path_factory):
    """load_demo, then the nightly run; the board pack of the next Strategic Board meeting.
    All inside one transaction, rolled back when the module's tests are done."""
    with demo_after_nightly(django_db_blocker, tmp_path_factory.mktemp("media")):
        meeting = Meeting.objects.filter(board__slug="strategic-board").order_by("starts_at").last()
        officer = User.objects.get(email=ROLES["officer"])
        with TestCase.captureOnCommitCallbacks(execute=True):
            governance_services.board_pack_request(meeting=meeting, requested_by=officer)
        yield read_truth()


@pytest.fixture(params=sorted(ROLES))
def reader(request, truth, client):
    client.force_login(User.objects.get(email=ROLES[request.param]))

    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    get.role = request.param
    return get


def page(get, url: str):
    return parse(get(url))


def api(get, url: str) -> list[dict]:
    """Every row of an API list, following its cursor pages."""
    rows = []
    while url:
        body = json.loads(get(url))
        rows += body["results"]
        url = body["next"] and body["next"].replace("http://testserver", "")
    return rows


def grid_csv(get, query: str = "") -> list[dict]:
    body = get(f"/partnership/dashboards/schools/export.csv{query}").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def pack_text(get) -> str:
    pack = BoardPack.objects.filter(status=BoardPack.Status.READY).latest("pk")
    pdf = PdfReader(io.BytesIO(get(f"/partnership/packs/{pack.pk}/download/")))
    return " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def trend_word(cell) -> str:
    """The trend a cell states in words ("" for none: "no trend (fewer than three years)")."""
    (tag,) = by_class(cell, "span", "trend")
    word = text(tag).lstrip("\u25b2\u25bc\u25ba ")
    return "" if word.startswith("no trend") else word


def rag_word(cell) -> str:
    """The RAG a cell shows in words ("No rating" when it shows none)."""
    tags = by_class(cell, "span", "rag")
    return text(tags[0]) if tags else "No rating"


CONCERN_LABEL = dict(Concern.choices)
SHOWN_COUNTS = re.compile(r"Showing (\d+) of (\d+) schools")


# --- Counts ---------------------------------------------------------------------------------


def test_the_snapshot_summarises_exactly_the_partnerships_schools(truth):
    assert len(truth.summaries) == truth.schools
    assert sum(truth.rag.values()) == truth.schools
    assert not partnership_schools().filter(status=School.Status.CLOSED).exists()
    assert School.objects.filter(status=School.Status.CLOSED, la__in_partnership=True).exists()


def test_overview_counts(reader, truth):
    root = page(reader, "/partnership/dashboards/")
    hint = text(one(root, ".//span[@data-fig='without-grade']/.."))
    assert f"of the {truth.schools} schools" in hint
    assert text(one(root, ".//span[@data-fig='without-grade']")) == str(truth.ungraded)
    rag = {
        text(tr.find("th")): own_text(tr.find(".//a"))
        for tr in root.findall(".//table[@aria-labelledby='rag-heading']/tbody/tr")
    }
    assert rag == {label: str(truth.rag[label]) for label in rag}
    assert sum(int(n) for n in rag.values()) == truth.schools
    for tr in root.findall(".//tr[@data-concern]"):
        concern = tr.get("data-concern")
        assert own_text(tr.find("td/a")) == str(truth.suggestions[concern]), concern


def test_grid_and_csv_counts(reader, truth):
    root = page(reader, "/partnership/dashboards/schools/")
    assert SHOWN_COUNTS.search(text(one(root, ".//p[@id='grid-count']"))).groups() == (
        str(truth.schools),
        str(truth.schools),
    )
    assert len(root.findall(".//table[@id='schools-grid']/tbody/tr")) == truth.schools
    rows = grid_csv(reader)
    assert len(rows) == truth.schools
    assert Counter(r["Overall RAG"] for r in rows) == truth.rag
    assert sum(r["Ofsted"].startswith("No overall grade") for r in rows) == truth.ungraded
    suggestions = Counter(r["3Ms suggestion"] for r in rows)
    for concern, n in truth.suggestions.items():
        assert suggestions[CONCERN_LABEL[concern]] == n, concern
    for value, label in FIGURE_RAG_CHOICES:
        shown = text(
            one(
                page(reader, f"/partnership/dashboards/schools/?rag={value}"),
                ".//p[@id='grid-count']",
            )
        )
        assert SHOWN_COUNTS.search(shown).group(1) == str(truth.rag[label]), label
    for concern, n in truth.suggestions.items():
        shown = text(
            one(
                page(reader, f"/partnership/dashboards/schools/?suggestion={concern}"),
                ".//p[@id='grid-count']",
            )
        )
        assert SHOWN_COUNTS.search(shown).group(1) == str(n), concern


def test_a_school_proposed_to_open_is_not_yet_one_of_the_partnerships_schools(reader, truth):
    la = partnership_la()
    School.objects.create(
        urn=999990, name="Harbour Free School", la=la, status=School.Status.PROPOSED_TO_OPEN
    )
    assert partnership_schools().count() == truth.schools
    shown = text(one(page(reader, "/partnership/dashboards/schools/"), ".//p[@id='grid-count']"))
    assert SHOWN_COUNTS.search(shown).groups() == (str(truth.schools), str(truth.schools))


def test_register_counts(reader, truth):
    root = page(reader, "/schools/")
    assert text(root.find(".//main/h2")) == f"{truth.schools} schools"
    note = text(by_class(root, "p", "note")[0])
    assert f"{truth.ungraded} schools last inspected without an overall grade" in note


def test_categorisation_counts(reader, truth):
    root = page(reader, "/partnership/categorisation/")
    rows = table_rows(one(root, ".//main//table"))
    assert len(rows) == truth.schools
    suggestions = Counter(text(r["Nightly suggestion"]) for r in rows)
    for concern, n in truth.suggestions.items():
        assert suggestions[CONCERN_LABEL[concern]] == n, concern


def test_api_counts(reader, truth):
    schools = api(reader, "/api/v1/schools/?page_size=1000")
    assert len(schools) == truth.schools  # open schools by default
    assert sum(s["ofsted_grade"] is None for s in schools) == truth.ungraded
    closed = api(reader, "/api/v1/schools/?status=closed")
    assert closed and all(s["status"] == "closed" for s in closed)  # history on request
    nightly = [
        api_one(reader, f"/api/v1/schools/{s['urn']}/confidential/")["nightly"] for s in schools
    ]
    assert Counter(Rag(n["rag"]).label for n in nightly) == truth.rag
    assert Counter(n["concern_suggestion"] for n in nightly if n["concern_suggestion"]) == (
        truth.suggestions
    )


def api_one(get, url: str) -> dict:
    return json.loads(get(url))


def test_board_pack_counts(reader, truth):
    pack = pack_text(reader)
    for label, n in truth.rag.items():
        assert f"RAG: {label} {n}" in pack, label
    for concern, n in truth.suggestions.items():
        assert f"{CONCERN_LABEL[concern]} {n} suggested by the data" in pack, concern


# --- The partnership's figures for three measures -------------------------------------------


def columns(tr) -> dict:
    """A row's cells by their data-col label."""
    return {td.get("data-col"): td for td in tr.findall("td") if td.get("data-col")}


def assert_la_row(tr, want: Figure, code: str) -> dict:
    cell = columns(tr)
    assert own_text(cell["value"]) == want.value, code
    for name in ("national", "gap", "rank", "quartile"):
        assert text(cell[name]) == getattr(want, name), (code, name)
    return cell


def test_la_figures_on_the_overview_and_key_stage_pages(reader, truth):
    overview = page(reader, "/partnership/dashboards/")
    for code, want in truth.la.items():
        tr = one(overview, f".//tr[@data-measure='{code}']")
        cell = assert_la_row(tr, want, code)
        assert rag_word(cell["rag"]) == want.rag, code
        assert trend_word(cell["trend"]) == want.trend, code
        # The key stage page the row links to.
        url = tr.find("th/a").get("href").split("#")[0]
        section = one(page(reader, url), f".//section[@aria-labelledby='measure-{code}']")
        summary = text(section.find("p"))
        assert summary.startswith(f"{want.year}: {want.value}, quartile {want.quartile}."), code
        assert want.rag in summary, code
        trend = table_rows(section.find(".//table"))
        latest = next(r for r in trend if text(r["Year"]).startswith(str(want.year)))
        assert text(latest[truth.la_name]) == want.value, code
        assert text(latest["England"]) == want.national, code
        assert text(latest["Gap to England"]) == want.gap, code
        assert text(latest["Rank"]) == want.rank, code


def test_la_figures_in_the_headlines(reader, truth):
    root = page(reader, "/partnership/dashboards/headlines/")
    for code, want in truth.la.items():
        sentence = text(one(root, f".//li[@data-measure='{code}']"))
        side = "below" if want.gap.startswith("-") else "above"
        size = want.gap.lstrip("+-")
        assert re.search(rf": {re.escape(size)} (points )?{side} national", sentence), (
            code,
            sentence,
        )


def test_la_figures_on_the_outcomes_page(reader, truth):
    root = page(reader, "/outcomes/")
    for code, want in truth.la.items():
        cell = assert_la_row(one(root, f".//tr[@data-measure='{code}']"), want, code)
        if want.significance:
            assert own_text(cell["significance"]).lower() == want.significance, code


def test_la_figures_in_the_api(reader, truth):
    la = partnership_la().code
    for code, want in truth.la.items():
        (row,) = api(
            reader,
            f"/api/v1/results/?la={la}&area_type=la&measure={code}&year={want.year}&group=all",
        )
        m = truth.measures[code]
        nightly = row["nightly"]
        assert format_number(row["value"], m.decimal_places) == want.value, code
        assert format_number(nightly["national"], national_decimals(m)) == want.national, code
        assert format_gap(nightly["gap"], m.decimal_places) == want.gap, code
        rank = rank_text(nightly["rank"], nightly["rank_of"], joint=bool(nightly["rank_joint"]))
        assert rank == want.rank, code
        assert (nightly["quartile"] or "") == want.quartile, code
        assert Rag(nightly["rag"]).label == want.rag, code
        assert (nightly["significance"] or "") == want.significance, code


def test_la_figures_in_the_board_pack(reader, truth):
    pack = pack_text(reader)
    for code, want in truth.la.items():
        trend = want.trend or "no trend (fewer than three years)"
        line = f"{want.value}; national {want.national}; gap {want.gap}; {want.rank}; {trend}"
        line += f"; RAG {want.rag}"
        assert f"{truth.measures[code].name} ({want.year}) {line}" in pack, code


# --- Three sample schools -------------------------------------------------------------------


def _sample_figures(truth):
    for label, school in truth.samples.items():
        for code in MEASURES:
            want = truth.school.get((school.urn, code))
            if want is not None:
                yield label, school, code, want


def test_sample_schools_cover_the_three_measures(truth):
    covered = {code for _, _, code, _ in _sample_figures(truth)}
    assert covered == set(MEASURES)


def test_school_figures_on_the_grid_and_its_csv(reader, truth):
    root = page(reader, "/partnership/dashboards/schools/")
    rows = {r["URN"]: r for r in grid_csv(reader)}
    for label, school, code, want in _sample_figures(truth):
        tr = one(root, f".//tr[@data-urn='{school.urn}']")
        cell = one(tr, f"td[@data-col='{code}']")
        assert own_text(cell) == want.value, (label, code)
        assert rag_word(cell) == want.rag, (label, code)
        heading = truth.measures[code].short_name
        assert rows[str(school.urn)][heading] == want.value, (label, code)
        assert rows[str(school.urn)][f"{heading} RAG"] == want.rag, (label, code)
    for label, school in truth.samples.items():
        summary = truth.summaries[school.urn]
        tr = one(root, f".//tr[@data-urn='{school.urn}']")
        assert rag_word(one(tr, "td[@data-col='rag']")) == Rag(summary.rag).label, label
        assert text(one(tr, "td[@data-col='suggestion']")) == CONCERN_LABEL[summary.concern]
        assert rows[str(school.urn)]["Overall RAG"] == Rag(summary.rag).label, label


def test_school_figures_on_school_on_a_page(reader, truth):
    for label, school, code, want in _sample_figures(truth):
        root = page(reader, f"/partnership/dashboards/schools/{school.urn}/")
        cell = columns(one(root, f".//tr[@data-measure='{code}']"))
        assert own_text(cell["value"]) == want.value, (label, code)
        assert text(cell["national"]) == want.national, (label, code)
        assert text(cell["gap"]) == want.gap, (label, code)
        assert text(cell["la"]) == truth.la[code].value, (label, code)
        assert rag_word(cell["rag"]) == want.rag, (label, code)
        assert trend_word(cell["history"]) == want.trend, (label, code)
        if want.significance:
            assert want.significance in text(cell["value"]), (label, code)
    for label, school in truth.samples.items():
        root = page(reader, f"/partnership/dashboards/schools/{school.urn}/")
        summary = truth.summaries[school.urn]
        assert rag_word(one(root, ".//dd[@data-fig='overall-rag']")) == Rag(summary.rag).label
        assert text(one(root, ".//dd[@data-fig='suggestion']")).startswith(
            CONCERN_LABEL[summary.concern]
        ), label


def test_school_figures_on_the_register_school_page(reader, truth):
    for label, school, code, want in _sample_figures(truth):
        row = _register_row(reader, school, code)
        assert text(row[str(want.year)]) == want.value, (label, code)
        assert text(row[f"LA {want.year}"]) == truth.la[code].value, (label, code)
        assert text(row[f"National {want.year}"]) == want.national, (label, code)
        assert own_text(row["Gap to national"]) == want.gap, (label, code)
        if want.significance:
            assert want.significance in text(row["Progress"]).lower(), (label, code)


def _register_row(get, school: School, code: str) -> dict:
    root = page(get, f"/schools/{school.urn}/")
    table = one(root, ".//section[@aria-labelledby='school-outcomes-heading']//table")
    return row_cells(table, one(table, f".//tr[@data-measure='{code}']"))


def test_register_school_page_states_the_snapshots_trend(reader, truth):
    for label, school, code, want in _sample_figures(truth):
        row = _register_row(reader, school, code)
        assert text(row["Three-year trend"]) == want.trend, (label, code)


def test_school_figures_in_the_api(reader, truth):
    for label, school, code, want in _sample_figures(truth):
        (row,) = api(
            reader,
            f"/api/v1/results/?urn={school.urn}&measure={code}&year={want.year}&group=all",
        )
        m = truth.measures[code]
        nightly = row["nightly"]
        assert format_number(row["value"], m.decimal_places) == want.value, (label, code)
        assert format_number(nightly["national"], national_decimals(m)) == want.national
        assert format_gap(nightly["gap"], m.decimal_places) == want.gap, (label, code)
        assert Rag(nightly["rag"]).label == want.rag, (label, code)
        assert (nightly["significance"] or "") == want.significance, (label, code)
    for label, school in truth.samples.items():
        summary = truth.summaries[school.urn]
        nightly = api_one(reader, f"/api/v1/schools/{school.urn}/confidential/")["nightly"]
        assert nightly["rag"] == summary.rag, label
        assert nightly["concern_suggestion"] == summary.concern, label
        assert nightly["concern_reasons"] == summary.concern_reasons, label


def test_school_suggestions_on_the_categorisation_pages(reader, truth):
    rows = {
        text(r["School"]): r
        for r in table_rows(one(page(reader, "/partnership/categorisation/"), ".//main//table"))
    }
    for label, school in truth.samples.items():
        summary = truth.summaries[school.urn]
        row = rows[school.name]
        assert text(row["Nightly suggestion"]) == CONCERN_LABEL[summary.concern], label
        root = page(reader, row["School"].find("a").get("href"))
        shown = text(root.find(".//main/h2/../p/strong"))
        assert shown == CONCERN_LABEL[summary.concern], label
        for reason in summary.concern_reasons:
            assert reason in text(root.find(".//main")), (label, reason)


# --- Key stages a school does not teach -----------------------------------------------------


def test_no_page_shows_a_result_for_a_key_stage_the_school_does_not_teach(reader, truth):
    infant = truth.samples["infant"]
    junior = partnership_schools().filter(statutory_low_age=7, statutory_high_age=11).first()
    not_taught = {infant: ("ks2", "ks4"), junior: ("eyfsp", "phonics", "ks1", "ks4")}
    stages = {m.code: m.key_stage for m in Measure.objects.all()}
    grid = page(reader, "/partnership/dashboards/schools/")
    for school, absent in not_taught.items():
        codes = {code for code, ks in stages.items() if ks in absent}
        results = api(reader, f"/api/v1/results/?urn={school.urn}&page_size=1000")
        assert results, school.name
        assert not {r["measure"] for r in results} & codes, school.name
        on_page = page(reader, f"/partnership/dashboards/schools/{school.urn}/")
        shown = {tr.get("data-measure") for tr in on_page.findall(".//tr[@data-measure]")}
        assert shown and not shown & codes, school.name
        register = page(reader, f"/schools/{school.urn}/")
        listed = {tr.get("data-measure") for tr in register.findall(".//tr[@data-measure]")}
        assert listed and not listed & codes, school.name
        tr = one(grid, f".//tr[@data-urn='{school.urn}']")
        for td in tr.findall("td[@data-col]"):
            if td.get("data-col") in codes:
                assert own_text(td) == "no figure", (school.name, td.get("data-col"))
