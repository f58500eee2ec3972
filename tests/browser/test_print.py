"""School on a page, printed by Chromium on A4 paper, fits one sheet (the issue allows two).

The demo data is loaded and the school with the most figures in the snapshot (the longest
page) is printed with Chromium's own PDF printer; pypdf counts the pages.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import expect
from pypdf import PdfReader

from outcomes.models import SchoolFigure
from pep_portal.accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import PASSWORD_LABEL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, measure_catalogue):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def _longest_school_page() -> int:
    """The URN of the school with the most figures (all pupils) in the snapshot."""
    row = (
        SchoolFigure.objects.filter(group="all")
        .values("school__urn")
        .annotate(n=Count("id"))
        .order_by("-n", "school__urn")
        .first()
    )
    return row["school__urn"]


def test_school_on_a_page_prints_on_one_a4_sheet(page, demo):
    urn = _longest_school_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("board@pep.example")
    page.get_by_label(PASSWORD_LABEL).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.goto(f"/partnership/dashboards/schools/{urn}/")
    rows = page.locator("table.school-table tbody tr[data-measure]")
    assert rows.count() >= 10  # a full page, not an empty one

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(rows.first).to_be_visible()
    pdf = page.pdf(format="A4")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages == 1, f"school on a page printed on {pages} A4 pages"
    # Every outcome row is on the paper, not cut off.
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    for name in rows.locator("th").all_inner_texts():
        assert " ".join(name.split("(")[0].split()) in text
