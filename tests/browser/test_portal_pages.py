"""The portal-wide pages in Chromium: home for every role, users, invitations, imports, errors.

Each page is checked with axe-core (WCAG 2.2 AA), screenshotted and must log no console error.
"""

import pytest
from plotly.offline import get_plotlyjs_version

from pep_portal.imports.models import ImportJob
from tests.browser.conftest import _fail_on_browser_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNED_IN_ROLES = [
    "board_member",
    "officer",
    "portal_admin",
    "head",
    "school_colleague",
    "trust_user",
]
STAFF_ROLES = {"officer", "portal_admin"}


def _nav_labels(page) -> list[str]:
    return page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_home_page_for_each_role(page_as, role, request, check_a11y, screenshot):
    page = page_as(role)
    response = page.goto("/")
    assert response.status == 200
    user = request.getfixturevalue(role)
    assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {user.first_name}"
    main = page.locator("main").inner_text()
    assert user.get_role_display().lower() in main.lower()
    if user.school:
        assert user.school.name in main
    if user.trust:
        assert user.trust.name in main
    nav = _nav_labels(page)
    assert nav[0] == "Home"
    assert page.get_by_role("link", name="Home", exact=True).get_attribute("aria-current") == "page"
    staff = role in STAFF_ROLES
    assert ("Users" in nav) is staff
    assert ("Imports" in nav) is staff
    check_a11y(page, f"home-{role}")
    screenshot(page, f"home-{role}")


def test_home_reflows_on_a_phone(page_as, screenshot):
    page = page_as("officer")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "home-officer-phone")


def test_officer_sees_the_users_list(page_as, board_member, head, check_a11y, screenshot):
    page = page_as("officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Users"
    table = page.get_by_role("table", name="Portal accounts")
    assert board_member.email in table.inner_text()
    assert head.school.name in table.get_by_role("row").filter(has_text=head.email).inner_text()
    check_a11y(page, "users")
    screenshot(page, "users")


def test_invite_form_errors_are_accessible(page_as, check_a11y, screenshot):
    page = page_as("officer")
    page.goto("/users/")
    page.get_by_role("link", name="Invite a user").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Invite a user"
    # Officers cannot invite administrators.
    roles = page.get_by_label("Role").locator("option").all_inner_texts()
    assert "Administrator" not in roles and "Headteacher" in roles
    check_a11y(page, "user-invite")
    screenshot(page, "user-invite")

    page.get_by_label("Role").select_option("headteacher")
    page.get_by_role("button", name="Send invitation").click()
    school_field = page.locator(".field", has=page.get_by_label("School"))
    assert "Choose the school this person acts for." in school_field.inner_text()
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"
    check_a11y(page, "user-invite-errors")
    screenshot(page, "user-invite-errors")


def test_officer_sees_the_imports_list(page_as, officer, check_a11y, screenshot):
    ImportJob.objects.create(
        kind="test",
        original_name="edubasealldata.csv",
        status=ImportJob.Status.SUCCEEDED,
        rows_read=42,
        created_by=officer,
        summary={"created": 40, "updated": 2},
    )
    page = page_as("officer")
    page.goto("/imports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Imports"
    row = page.get_by_role("table", name="Recent imports").get_by_role("row").nth(1)
    assert "edubasealldata.csv" in row.inner_text() and "42" in row.inner_text()
    check_a11y(page, "imports")
    screenshot(page, "imports")

    row.get_by_role("link", name="edubasealldata.csv").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import of edubasealldata.csv"
    check_a11y(page, "import-detail")
    screenshot(page, "import-detail")


def test_failed_import_lists_its_errors_accessibly(page_as, officer, check_a11y, screenshot):
    job = ImportJob.objects.create(
        kind="test",
        original_name="ks2.csv",
        status=ImportJob.Status.FAILED,
        created_by=officer,
        errors=[{"row": 7, "column": "URN", "message": "“12x” is not a number."}],
    )
    page = page_as("officer")
    page.goto(f"/imports/{job.pk}/")
    alert = page.get_by_role("alert")
    assert "nothing was imported" in alert.inner_text()
    assert "Row 7, column “URN”: “12x” is not a number." in alert.inner_text()
    check_a11y(page, "import-failed")
    screenshot(page, "import-failed")


@pytest.mark.console_errors_allowed(r"status of 403 \(Forbidden\)")
def test_forbidden_page_is_accessible(page_as, check_a11y, screenshot):
    page = page_as("board_member")
    response = page.goto("/users/")
    assert response.status == 403
    assert "You do not have permission" in page.get_by_role("heading", level=1).inner_text()
    check_a11y(page, "403")
    screenshot(page, "403")


@pytest.mark.console_errors_allowed(r"status of 404 \(Not Found\)")
def test_not_found_page_is_accessible(page_as, check_a11y, screenshot):
    page = page_as("head")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    check_a11y(page, "404")
    screenshot(page, "404")


def test_a_console_error_fails_the_test(page, request):
    """The page fixture's guard, on a real page: a script's console error fails the test."""
    page.goto("/accounts/login/")
    page.evaluate("console.error('boom from a chart script')")
    page.evaluate("0")
    with pytest.raises(pytest.fail.Exception, match="boom from a chart script"):
        _fail_on_browser_errors(request.node, page.browser_errors)


@pytest.mark.console_errors_allowed(r"boom from a chart script")
def test_a_test_may_allow_the_console_errors_it_expects(page, request):
    page.goto("/accounts/login/")
    page.evaluate("console.error('boom from a chart script')")
    page.evaluate("0")
    assert len(page.browser_errors.messages) == 1
    _fail_on_browser_errors(request.node, page.browser_errors)  # does not fail


def test_an_uncaught_script_error_fails_the_test(page, request):
    page.goto("/accounts/login/")
    page.evaluate("setTimeout(() => { throw new Error('chart data missing') }, 0)")
    page.wait_for_timeout(50)
    with pytest.raises(pytest.fail.Exception, match="uncaught page error: .*chart data missing"):
        _fail_on_browser_errors(request.node, page.browser_errors)


def test_officer_reaches_the_django_admin(page_as, screenshot):
    # The admin is Django's own: we check it works without console errors, but do not hold its
    # markup to our axe rules (we do not own it and it is for staff only).
    page = page_as("officer")
    response = page.goto("/admin/")
    assert response.status == 200
    assert page.get_by_role("heading", name="Site administration").is_visible()
    screenshot(page, "admin")


@pytest.mark.urls("tests.browser.plotly_urls")
def test_plotly_include_loads_the_portals_copy_and_draws(page, check_a11y, screenshot):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    response = page.goto("/test-only/plotly/")
    assert response.status == 200
    assert page.evaluate("typeof window.Plotly") == "object"
    assert page.evaluate("window.Plotly.version") == get_plotlyjs_version()
    page.evaluate(
        """() => Plotly.newPlot('chart', [{x: ['2016', '2017'], y: [61, 64], type: 'bar'}],
                                {title: {text: 'KS2 RWM %'}})"""
    )
    page.locator("#chart .main-svg").first.wait_for()
    # plotly.js came from this portal, and nothing was fetched from anywhere else.
    assert any(u.endswith("/static/vendor/plotly.min.js") for u in requested)
    assert all(u.startswith(page.url.split("/test-only/")[0]) for u in requested)
    check_a11y(page, "plotly-test-page")
    screenshot(page, "plotly-test-page")
