"""The schools grid's body rows as HTML, built in Python.

A grid of a large LA has thousands of cells, each with a RAG badge; rendering them through
template tags costs several times more than building the same markup here once (see
bench/dashboards.py). The markup is exactly what ``_grid_table.html`` used to render, and
every value is escaped by ``format_html``.
"""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from schools.models import Phase

from .selectors import RAG_WORDS, Grid
from .selectors.grid import GridCell

RAG_COLOURS = ("red", "amber", "green")
# What School.get_phase_display() says, without its per-call choices lookup.
PHASE_WORDS = dict(Phase.choices)


def rag_badge(colour: str, reason: str = "") -> str:
    """Same markup as outcomes_display's rag_badge tag (the word always shown)."""
    colour = colour if colour in RAG_COLOURS else "none"
    badge = f'<span class="rag rag--{colour}">{RAG_WORDS.get(colour, "No rating")}</span>'
    if reason:
        badge += f'<span class="visually-hidden">: {escape(reason)}</span>'
    return badge


def _extra(lines: list[str]) -> str:
    if not lines:
        return ""
    return '<span class="cell-extra">' + "<br>".join(escape(t) for t in lines) + "</span>"


def _cell_html(c: GridCell) -> str:
    """The cell's <td>, kept on the cell (a remembered cell is shown again)."""
    c.html = (
        f'<td class="num cell cell--{c.rag}" data-col="{escape(c.code)}">{escape(c.text)}'
        + (f"<br>{rag_badge(c.rag, c.reason)}" if c.rag in RAG_COLOURS else "")
        + _extra(c.extra_lines)
        + "</td>"
    )
    return c.html


def grid_rows_html(grid: Grid, *, compare_form: str = "") -> list[SafeString]:
    """One <tr> per row; every text from the database goes through html.escape. With
    ``compare_form``, each school's cell has a "compare" checkbox belonging to that form."""
    base = reverse("partnership:school_page", args=[0]).rsplit("0/", 1)[0]
    rows = []
    for r in grid.rows:
        cells = "".join(c.html or _cell_html(c) for c in r.cells)
        school = r.school
        tick = ""
        if compare_form:
            tick = (
                f'<input type="checkbox" class="compare-tick" name="urn" value="{school.urn}"'
                f' id="compare-{school.urn}" form="{escape(compare_form)}"'
                f' aria-label="Compare {escape(school.name)}">'
            )
        rows.append(
            mark_safe(  # noqa: S308 - every interpolated text is escaped above or here
                f'<tr data-urn="{school.urn}"><th scope="row">{tick}'
                f'<a href="{base}{school.urn}/">{escape(school.name)}</a></th>'
                f"<td>{escape(PHASE_WORDS.get(school.phase, school.phase))}</td>"
                f"<td>{escape(r.trust_name)}</td><td>{escape(r.ofsted_text)}</td>"
                f'<td data-col="rag">{rag_badge(r.rag, r.rag_reason)}</td>{cells}'
                f'<td data-col="suggestion">{escape(r.suggestion_text)}</td>'
                f'<td data-col="decision">{escape(r.decision_text)}</td></tr>'
            )
        )
    return rows
