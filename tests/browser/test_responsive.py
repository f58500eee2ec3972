"""Every page each role can reach, on a 390 px phone, with the demo data loaded.

For each demo login the test starts at home and follows every same-site link (one page per
URL pattern, so the walk is bounded), and on each HTML page checks:

- the document is no wider than the viewport (wide tables scroll inside themselves);
- axe-core finds no WCAG 2.2 A/AA violation;
- the page answered 200 and logged no console error (the ``page`` fixture's guard).

It also checks the collapsed navigation: the "Menu" button opens and closes it, and with
JavaScript off the navigation is shown without a button.
"""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from pep_portal.accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import PASSWORD_LABEL, VIEWPORT
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DEMO_LOGINS = [
    "board@pep.example",
    "officer@pep.example",
    "admin@pep.example",
    "head@pep.example",
    "colleague@pep.example",
    "trust@pep.example",
]
# Not pages to walk: sign-out, Django's own admin (not held to our markup), the API's JSON
# and its generated docs (Swagger UI / Redoc are third-party), files and static assets.
SKIP = re.compile(r"^/(accounts/logout|admin/|api/|static/|media/|healthz)")
# Safety net for a walk that finds far more patterns than the portal has.
MAX_PAGES_PER_ROLE = 150


@pytest.fixture
def demo(transactional_db, measure_catalogue):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def _login(page, email: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(VIEWPORT)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.set_viewport_size(PHONE)


def _route(path: str) -> str | None:
    """The URL pattern a path resolves to (one visit per pattern), or None if none does."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.route}|{match.view_name}"


def _links(page) -> list[str]:
    return page.eval_on_selector_all(
        "a[href]",
        """els => els.filter(a => !a.hasAttribute('download'))
                  .map(a => a.href)""",
    )


def _walk(page, base: str, email: str, check_a11y) -> tuple[list[str], list[str]]:
    """Visit every page reachable from home; return (pages visited, problems found)."""
    seen_routes: set[str] = set()
    queue = deque(["/"])
    visited, problems = [], []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        route = _route(urlsplit(path).path)
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        head = page.request.get(base + path, max_redirects=0)
        kind = head.headers.get("content-type", "")
        if head.status in (301, 302) or not kind.startswith("text/html"):
            continue  # a download, an export, or a redirect elsewhere
        response = page.goto(path)
        visited.append(path)
        if response.status != 200:
            problems.append(f"{email} {path}: status {response.status}")
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        if width > inner:
            wide = page.evaluate(
                """() => Array.from(document.querySelectorAll('body *'))
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')"""
            )
            problems.append(f"{email} {path}: document {width}px wide at {inner}px ({wide})")
        try:
            check_a11y(page, f"phone {email} {path}")
        except pytest.fail.Exception as exc:
            problems.append(str(exc))
        for href in _links(page):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(base).netloc or SKIP.match(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if _route(parts.path) not in seen_routes:
                queue.append(target)
    return visited, problems


def test_every_page_fits_a_phone_for_every_role(page, live_server, demo, check_a11y):
    problems, counts = [], {}
    for email in DEMO_LOGINS:
        _login(page, email)
        visited, found = _walk(page, live_server.url, email, check_a11y)
        counts[email] = len(visited)
        problems += found
    # Each role reaches a fair part of the portal (the walk really walked).
    assert counts["officer@pep.example"] >= 40, counts
    assert counts["head@pep.example"] >= 8, counts
    assert all(n < MAX_PAGES_PER_ROLE for n in counts.values()), counts
    assert not problems, "\n".join(problems)


def test_menu_button_opens_and_closes_the_navigation_on_a_phone(page_as, check_a11y):
    page = page_as("officer")
    page.set_viewport_size(PHONE)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    button = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    # The header is one line: the page's heading is on the first screen.
    assert page.locator(".site-header").bounding_box()["height"] < 80
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Users")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    check_a11y(page, "phone menu open")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    nav_link = nav.get_by_role("link", name="Users")
    button.click()
    nav_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")


def test_wide_table_scrolls_inside_itself_with_its_first_column_in_view(page_as):
    page = page_as("officer")
    page.set_viewport_size(PHONE)
    page.goto("/users/")
    table = page.get_by_role("table", name="Portal accounts")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")
    assert table.get_attribute("tabindex") == "0"  # keyboard users can scroll it
    first = table.locator("tbody tr").first.locator("th, td").first
    left = first.bounding_box()["x"]
    table.evaluate("t => { t.scrollLeft = 200; }")
    assert abs(first.bounding_box()["x"] - left) < 1  # sticky
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_navigation_stays_usable_without_javascript(browser, live_server, officer):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(officer.email)
        page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Users")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
