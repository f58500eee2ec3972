"""A head uploads predictions with one bad row, sees why, fixes it, submits; an officer sees
the school's predictions in the predictions view. axe on every page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.predictions.conftest import collection, last_year, measures, sign  # noqa: F401, F811

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).resolve().parent.parent / "predictions" / "data"


def test_head_uploads_fixes_and_submits_and_officer_sees_it(
    page,
    login_as,
    check_a11y,
    screenshot,
    collection,  # noqa: F811
    last_year,  # noqa: F811
    school,
    head,
    officer,
):
    login_as(page, head)
    page.goto("/outcomes/predictions/collections/")
    check_a11y(page, "collections (head)")
    page.get_by_role("link", name=re.compile("Not started")).click()
    check_a11y(page, "predictions form (head)")

    # The file is read by a background job: its page shows the outcome and links back.
    page.get_by_label("File").set_input_files(str(DATA / "predictions_one_bad_row.csv"))
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Row 3, column “predicted_pupils”")
    expect(summary).to_contain_text("14 predicted pupils is more than the cohort of 12")
    check_a11y(page, "predictions upload job with row errors")
    screenshot(page, "predictions-upload-error")
    page.get_by_role("link", name="Back to your predictions").click()

    page.get_by_label("File").set_input_files(str(DATA / "predictions_fixed.csv"))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("predictions saved in your draft")).to_be_visible()
    page.get_by_role("link", name="Back to your predictions").click()
    expect(
        page.get_by_label(
            "Predicted pupils, KS2: % expected standard in reading, writing and maths, Disadvantaged"
        )
    ).to_have_value("5")
    page.get_by_role("button", name="Submit to the LA").click()
    expect(page.get_by_text("Predictions submitted to the LA.")).to_be_visible()
    check_a11y(page, "predictions form submitted")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/"))
    login_as(page, officer)
    page.goto("/outcomes/predictions/")
    row = page.get_by_role("row").filter(has_text=school.name).filter(has_text="KS2 RWM")
    expect(row).to_contain_text("60.0")
    check_a11y(page, "predictions overview (officer)")
    page.goto(f"/outcomes/predictions/collections/{collection.pk}/")
    expect(page.get_by_role("row").filter(has_text=school.name)).to_contain_text("Submitted")
    check_a11y(page, "collection returns (officer)")
    page.goto(f"/outcomes/predictions/schools/{school.urn}/")
    check_a11y(page, "school predictions (officer)")
    screenshot(page, "predictions-school")
