"""Every table on every page scrolls inside itself (WCAG 2.2 AA, 1.4.10 Reflow).

A table wider than the screen (a phone, or 320 CSS px at 400% zoom) must scroll inside its
own box, never the page: each ``<table>`` sits in an element of class ``table-wrap``
(``static/css/portal.css``: ``overflow-x: auto``, the first column kept in view;
``static/js/portal.js`` makes the box focusable when it does scroll, so keyboard users can
scroll it too). The ``{% table_or_empty %}`` tag (``pep_portal/platform/templatetags/
portal.py``) renders its table in the same wrapper.

The demo, after its nightly run, is loaded once for the module inside a transaction rolled
back at the end. For each demo login the test starts at home and follows every same-site link
(one page per URL pattern, as ``tests/browser/test_responsive.py`` walks the portal in
Chromium), parses each HTML page (tests/html_pages.py) and names every table not inside a
``.table-wrap``. Pages a link walk cannot reach without a form (an upload's indicator mapping)
are rendered on their own below.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Engine, engines
from django.urls import Resolver404, resolve, reverse

from pep_portal.accounts.models import User
from pep_portal.imports.models import ImportJob

from .conftest import demo_after_nightly
from .html_pages import classes, parse

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "officer@pep.example",
    "admin@pep.example",
    "board@pep.example",
    "head@pep.example",
    "trust@pep.example",
]
# Not pages to walk: sign-out, Django's own admin (not held to our markup), the API itself
# and its generated docs (third-party), static files and the health check.
SKIP = ("/accounts/logout", "/admin/", "/api/", "/static/", "/media/", "/healthz")
MAX_PAGES_PER_ROLE = 150
# Templates with a table that no link from the demo's pages leads to, rendered by their own
# tests at the end of this module.
CHECKED_BELOW = {
    "partnership/dashboards/compare.html",  # schools ticked on the grid
    "outcomes/import_mapping.html",  # an upload with unmapped indicators
    "pep_portal/import_detail.html",  # an upload (the demo is loaded without any)
}
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "outcomes"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo after its nightly run (the dashboards have their snapshot), rolled back when
    the module's tests are done."""
    with demo_after_nightly(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield


def unwrapped_tables(root: Element) -> list[str]:
    """Each table (by its caption or heading row) with no ``.table-wrap`` element around it."""
    found = []

    def visit(element: Element, wrapped: bool) -> None:
        for child in element:
            if child.tag == "table" and not wrapped:
                found.append(_name(child))
            visit(child, wrapped or "table-wrap" in classes(child))

    visit(root, False)
    return found


def _name(table: Element) -> str:
    """The table's caption (screen-reader-only text too), else its first row's cells."""
    caption = table.find("caption")
    if caption is not None:
        return " ".join("".join(caption.itertext()).split())
    row = table.find(".//tr")
    cells = [] if row is None else [" ".join("".join(c.itertext()).split()) for c in row]
    return " | ".join(cells)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.route}|{match.view_name}"


def templates_with_tables() -> set[str]:
    """The names of the portal's own templates (not Django's or a library's) holding a table
    (written out, or made by ``{% table_or_empty %}``)."""
    names = set()
    for directory in map(Path, engines["django"].template_dirs):
        if not directory.is_relative_to(settings.BASE_DIR) or ".venv" in directory.parts:
            continue
        for path in directory.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if "<table" in text or "{% table_or_empty" in text:
                names.add(path.relative_to(directory).as_posix())
    return names


@pytest.fixture
def rendered(monkeypatch) -> set[str]:
    """The names of the templates pages load while the test runs (pages, their layouts and
    includes; the dashboards render their blocks from a cache of their own, so the test
    client's ``response.templates`` does not list them)."""
    names: set[str] = set()
    find_template = Engine.find_template

    def recording(self, name, dirs=None, skip=None):
        names.add(name)
        return find_template(self, name, dirs, skip)

    monkeypatch.setattr(Engine, "find_template", recording)
    return names


def _walk(client, email: str) -> tuple[int, int, list[str]]:
    """Visit every page reachable from home; return (pages, tables, problems)."""
    client.force_login(User.objects.get(email=email))
    seen: set[str] = set()
    queue = deque(["/"])
    pages = tables = 0
    problems = []
    while queue and pages < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        route = _route(urlsplit(url).path)
        if route is None or route in seen:
            continue
        seen.add(route)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue  # a download, an export, or a redirect elsewhere
        pages += 1
        root = parse(response.content)
        tables += len(list(root.iter("table")))
        problems += [f"{email} {url}: {name!r}" for name in unwrapped_tables(root)]
        for a in root.iter("a"):
            parts = urlsplit(a.get("href", ""))
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
                continue
            if "download" not in a.attrib and _route(parts.path) not in seen:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages, tables, problems


def test_unwrapped_tables_are_found():
    page = parse(
        '<main><div class="table-wrap"><table><caption>In</caption></table></div>'
        "<table><caption>Out</caption></table>"
        '<div class="note"><table><thead><tr><th>Bare</th></tr></thead></table></div></main>'
    )
    assert unwrapped_tables(page) == ["Out", "Bare"]


def test_every_table_on_every_page_scrolls_inside_itself_for_every_role(demo, client, rendered):
    counts, problems = {}, []
    for email in DEMO_LOGINS:
        pages, tables, found = _walk(client, email)
        counts[email] = (pages, tables)
        problems += found
    # The walk really walked: each role reached pages with tables.
    assert counts["officer@pep.example"][0] >= 40, counts
    assert all(tables > 0 for _, tables in counts.values()), counts
    assert all(pages < MAX_PAGES_PER_ROLE for pages, _ in counts.values()), counts
    # Every template with a table was on a page the walk checked (or is checked below).
    assert templates_with_tables() - rendered - CHECKED_BELOW == set()
    assert not problems, "tables not in a .table-wrap:\n" + "\n".join(problems)


def _tables_on(client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    root = parse(response.content)
    return len(list(root.iter("table"))), unwrapped_tables(root)


def test_schools_compared_side_by_side_scroll_inside_themselves(demo, client, rendered):
    client.force_login(User.objects.get(email="board@pep.example"))
    grid = parse(client.get(reverse("partnership:schools_grid")).content)
    urns = [i.get("value") for i in grid.iter("input") if "compare-tick" in classes(i)][:2]
    assert len(urns) == 2, urns
    query = "&".join(f"urn={urn}" for urn in urns)
    tables, unwrapped = _tables_on(client, f"{reverse('partnership:schools_compare')}?{query}")
    assert "partnership/dashboards/compare.html" in rendered
    assert tables > 0
    assert unwrapped == []


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/csv")


def test_an_upload_and_its_mapping_step_show_their_tables_inside_themselves(
    demo, client, rendered, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.get(email="officer@pep.example"))
    response = client.post(
        reverse("outcomes:import_results"),
        {"file": _upload("ees_ks4_disadvantaged_2016.csv"), "status": "final"},
    )
    assert response.status_code == 302
    tables, unwrapped = _tables_on(client, response["Location"])  # map the indicators
    assert "outcomes/import_mapping.html" in rendered
    assert tables > 0
    assert unwrapped == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("outcomes:import_results"),
            {"file": _upload("lait_2016.csv"), "status": "final"},
        )
    job = ImportJob.objects.get(original_name="lait_2016.csv")
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    tables, unwrapped = _tables_on(client, reverse("import_detail", args=[job.pk]))
    assert tables == 1  # what changed
    assert unwrapped == []
