"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures for every app's browser tests (put yours in tests/browser/test_<app>_pages.py and
mark them ``pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]``):

- ``browser``: one headless Chromium for the whole session (/usr/bin/chromium, never a
  downloaded build). Missing Chromium skips locally and fails in CI (require_service).
- ``page``: a fresh browser context per test, opened on the live server, so
  ``page.goto("/schools/")`` works. Console errors and uncaught page errors fail the test;
  a test that expects one (a 403 page logs "Failed to load resource ... 403") says so with
  ``@pytest.mark.console_errors_allowed(r"regex", ...)``.
- ``login_as(page, user)``: signs in through the real login form.
- ``page_as("officer")``: a page signed in as that fixture's user (like ``client_as``).
- ``check_a11y(page, name)``: axe-core with the WCAG 2.0/2.1/2.2 A and AA rules; fails with a
  readable list of violations (rule, impact, help, the elements).
- ``screenshot(page, name)``: a full-page PNG in tests/artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, require_service

CHROMIUM = os.environ.get("PEP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORTS = ARTIFACTS / "axe"
# The WCAG 2.2 AA conformance target, as axe-core tags its rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
# "Password" or "Password:" (Django adds a label suffix), never "Password (again)".
PASSWORD_LABEL = re.compile(r"^Password:?$")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "console_errors_allowed(*patterns): regexes of browser console errors this test expects",
    )


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"


@pytest.fixture(scope="session")
def _playwright():
    # Playwright's sync API runs an asyncio loop in this thread; Django's ORM refuses to run
    # while a loop is running unless told that this (test-only) use is safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    yield manager
    manager.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    """One headless Chromium for the session (Debian's; Playwright never downloads one)."""
    available = Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is not None
    require_service("Chromium", available, f"no browser at {CHROMIUM} (apt-get install chromium)")
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class BrowserErrors:
    """Console errors and uncaught exceptions seen by one page."""

    def __init__(self):
        self.messages: list[str] = []

    def console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            self.messages.append(f"console error: {message.text} ({where})")

    def page_error(self, error) -> None:
        self.messages.append(f"uncaught page error: {error}")

    def unexpected(self, allowed: list[str]) -> list[str]:
        return [m for m in self.messages if not any(re.search(p, m) for p in allowed)]


@pytest.fixture
def page(browser, live_server, request):
    """A fresh context and page on the live server; any console or page error fails the test."""
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = BrowserErrors()
    page.on("console", errors.console)
    page.on("pageerror", errors.page_error)
    page.browser_errors = errors
    yield page
    context.close()
    # Errors that arrived after the test's last step (pytest_runtest_call checked the rest).
    _fail_on_browser_errors(request.node, errors)


def _fail_on_browser_errors(item, errors: BrowserErrors) -> None:
    allowed = [
        pattern for marker in item.iter_markers("console_errors_allowed") for pattern in marker.args
    ]
    unexpected = errors.unexpected(allowed)
    errors.messages.clear()
    if unexpected:
        pytest.fail(
            "The browser reported errors:\n" + "\n".join(f"  - {m}" for m in unexpected),
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) when its page logged a console error."""
    result = yield
    page = getattr(item, "funcargs", {}).get("page")
    errors = getattr(page, "browser_errors", None)
    if errors is not None:
        if not page.is_closed():
            page.evaluate("0")  # let Playwright deliver any console events still on the wire
        _fail_on_browser_errors(item, errors)
    return result


def _login(page, user, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


@pytest.fixture
def login_as():
    """login_as(page, user[, password]): sign in through the login form, like a person."""
    return _login


@pytest.fixture
def page_as(page, request):
    """page_as("officer") -> the page, signed in as that fixture's user."""

    def _page_as(role: str):
        if role != "anonymous":
            _login(page, request.getfixturevalue(role))
        return page

    return _page_as


@pytest.fixture(scope="session")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact') or 'n/a'}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def check_a11y(_axe):
    """check_a11y(page, name): fail with every WCAG 2.2 A/AA violation axe-core finds."""

    def _check(page, name: str, *, context=None) -> None:
        results = _axe.run(
            page,
            context=context,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        violations = results.response["violations"]
        AXE_REPORTS.mkdir(parents=True, exist_ok=True)
        (AXE_REPORTS / f"{_safe_name(name)}.json").write_text(
            json.dumps(violations, indent=2), encoding="utf-8"
        )
        if violations:
            pytest.fail(
                f"Accessibility violations on {name} ({page.url}):\n"
                + format_violations(violations),
                pytrace=False,
            )

    return _check


@pytest.fixture
def screenshot():
    """screenshot(page, name) -> path of a full-page PNG in tests/artifacts/screenshots/."""

    def _screenshot(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_safe_name(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _screenshot
