"""Read a rendered page as a person would: parse the HTML into a tree (the standard library's
html.parser; BeautifulSoup and lxml are not installed) and find figures by their labels.

``parse(html)`` returns an ``xml.etree.ElementTree.Element``, so ElementTree's path syntax
finds elements by tag and attribute: ``root.find(".//tr[@data-measure='ks4_p8']")``.
"""

from __future__ import annotations

from html.parser import HTMLParser
from xml.etree.ElementTree import Element

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
# Text a sighted reader does not see on the page (screen-reader extras, scripts).
HIDDEN_CLASSES = {"visually-hidden"}
SKIPPED_TAGS = {"script", "style", "svg"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:  # close it and anything left open inside it
                del self.stack[depth:]
                return

    def handle_data(self, data):
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse(html: str | bytes) -> Element:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


def classes(element: Element) -> set[str]:
    return set(element.get("class", "").split())


def _visible_parts(element: Element):
    if element.tag in SKIPPED_TAGS or classes(element) & HIDDEN_CLASSES:
        return
    yield element.text or ""
    for child in element:
        yield from _visible_parts(child)
        yield child.tail or ""


def text(element: Element | None) -> str:
    """The element's visible text, whitespace collapsed ("" for no element)."""
    if element is None:
        return ""
    return " ".join("".join(_visible_parts(element)).split())


def own_text(element: Element | None) -> str:
    """The text before the element's first child: the figure itself in a cell such as
    ``<td>46.8<div class="hint">cohort 182</div></td>``."""
    if element is None:
        return ""
    return " ".join((element.text or "").split())


def find_all(root: Element, path: str) -> list[Element]:
    return root.findall(path)


def one(root: Element, path: str) -> Element:
    found = root.findall(path)
    assert len(found) == 1, f"{len(found)} elements match {path}"
    return found[0]


def by_class(root: Element, tag: str, name: str) -> list[Element]:
    return [e for e in root.iter(tag) if name in classes(e)]


def labelled_value(root: Element, label: str) -> str:
    """The <dd> of the <dt> whose visible text is ``label`` (a definition list)."""
    for dl in root.iter("dl"):
        terms = list(dl.iter())
        for i, element in enumerate(terms):
            if element.tag == "dt" and text(element) == label:
                for following in terms[i + 1 :]:
                    if following.tag == "dd":
                        return text(following)
    raise AssertionError(f"no <dt>{label}</dt> on the page")


def headings(table: Element) -> list[str]:
    head = table.find(".//thead/tr")
    assert head is not None, "the table has no heading row"
    return [text(cell) for cell in head if cell.tag in {"th", "td"}]


def row_cells(table: Element, tr: Element) -> dict[str, Element]:
    """A row of the table as {column heading's visible text: cell}."""
    cells = [cell for cell in tr if cell.tag in {"th", "td"}]
    return dict(zip(headings(table), cells, strict=False))


def table_rows(table: Element) -> list[dict[str, Element]]:
    """Each body row of a table as {column heading's visible text: cell}."""
    body = table.find("tbody")
    return [row_cells(table, tr) for tr in (body if body is not None else table).findall("tr")]
