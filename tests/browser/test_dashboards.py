"""A board member reads the dashboards in real Chromium: every page, its charts drawn by
plotly (no console errors), the grid filtered and sorted, the export downloaded, the school
page in print preview; axe-core on every page and a screenshot of each."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pep_portal.nightly.models import NightlyRun
from tests.dashboards import data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_STAGES = ["early-years", "ks2", "ks4", "attendance", "16-19"]


@pytest.fixture
def dashboards(school, other_school, trust):
    from pep_portal.nightly import services

    built = data.build(schools=[school, other_school])
    # Autocommit (transactional test): the eager run starts as soon as it is committed.
    run = services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND)
    run.refresh_from_db()
    assert run.status == NightlyRun.Status.SUCCEEDED, run.errors
    return built


def expect_charts_drawn(page, count: int) -> None:
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(count)
    for i in range(count):
        expect(charts.nth(i).locator("svg.main-svg").first).to_be_attached()


def test_board_member_reads_every_dashboard_page(
    page_as, check_a11y, screenshot, dashboards, trust
):
    page = page_as("board_member")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("City overview: Portsmouth")
    expect(page.locator("#snapshot")).to_contain_text("Provisional")
    expect_charts_drawn(page, 1)
    row = page.locator('tr[data-measure="ks2_mat_exp"]')
    expect(row).to_contain_text("63.7")
    expect(row).to_contain_text("17th of 21")
    expect(row).to_contain_text("Red")
    check_a11y(page, "dashboards overview")
    screenshot(page, "dashboards-overview")

    page.get_by_role("navigation", name="Dashboards").get_by_role("link", name="Headlines").click()
    expect(page.locator("#challenges + ul")).to_contain_text(
        "KS2 maths: 6.3 points below national, gap widened by 1.2, rank fell 12 places."
    )
    page.get_by_role("button", name="Copy the headlines").click()
    expect(page.locator("#copy-status")).not_to_be_empty()
    check_a11y(page, "dashboards headlines")
    screenshot(page, "dashboards-headlines")

    for slug in KEY_STAGES:
        page.goto(f"/partnership/dashboards/key-stages/{slug}/")
        if slug == "ks2":
            # KS2 maths: trend, group gaps and the ranked distribution.
            expect_charts_drawn(page, 3)
            expect(page.locator('[data-role="ranked-summary"]')).to_contain_text(
                "Portsmouth is 17th of 21"
            )
        elif slug == "attendance":
            expect_charts_drawn(page, 2)  # overall absence: trend and ranked (no groups)
        else:
            expect(page.locator(".note")).to_contain_text("There are no")
        check_a11y(page, f"dashboards key stage {slug}")
        screenshot(page, f"dashboards-key-stage-{slug}")

    page.goto(f"/partnership/dashboards/trusts/{trust.pk}/")
    expect(page.locator("#schools-grid tbody tr")).to_have_count(1)
    check_a11y(page, "dashboards trust page")
    screenshot(page, "dashboards-trust")


def grid_names(page) -> list[str]:
    return [n.strip() for n in page.locator("#schools-grid tbody th").all_inner_texts()]


def test_board_member_filters_sorts_and_exports_the_grid(
    page_as, check_a11y, screenshot, dashboards
):
    page = page_as("board_member")
    page.goto("/partnership/dashboards/schools/")
    expect(page.locator("#schools-grid tbody tr")).to_have_count(4)
    check_a11y(page, "dashboards schools grid")
    screenshot(page, "dashboards-grid")

    page.get_by_label("Overall RAG").select_option("green")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#grid-count")).to_have_text("Showing 3 of 4 schools.")
    assert "Weak Primary" not in grid_names(page)

    page.get_by_role("link", name="KS2 maths", exact=True).click()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("KS2 maths")
    assert grid_names(page) == [
        "Strong Primary",
        "Harbour Primary School",
        "Spinnaker Primary School",
    ]
    page.get_by_role("link", name="KS2 maths", exact=True).click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("KS2 maths")
    shown = grid_names(page)
    assert shown[0] == "Spinnaker Primary School"
    assert re.search(r"rag=green", page.url)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("schools-grid-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[1] for r in rows[1:]] == shown
    check_a11y(page, "dashboards schools grid sorted")
    screenshot(page, "dashboards-grid-filtered-sorted")


def test_school_page_prints_on_paper(page_as, check_a11y, screenshot, dashboards):
    page = page_as("board_member")
    page.goto("/partnership/dashboards/schools/")
    page.get_by_role("link", name="Weak Primary").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weak Primary")
    expect(page.locator('tr[data-measure="ks2_mat_exp"]')).to_contain_text("-30.0")
    expect(page.locator('[data-fig="decision"]')).to_contain_text("Maximum concern")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    check_a11y(page, "dashboards school page")
    screenshot(page, "dashboards-school-page")

    page.emulate_media(media="print")
    expect(page.locator(".dash-nav")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    expect(page.locator('tr[data-measure="ks2_mat_exp"]')).to_be_visible()
    screenshot(page, "dashboards-school-page-print")
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf[:4] == b"%PDF"
