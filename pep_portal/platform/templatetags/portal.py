"""Template tags every app's templates share (``{% load portal %}``)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_block_tag
def table_or_empty(content, rows, empty, empty_class="", table_class="", labelledby=""):
    """A table that may have no rows: the block (its caption, head and body) inside
    ``<table class="table">`` in its scrolling wrapper (``.table-wrap``: a wide table scrolls
    inside itself, its first column kept in view), or, where ``rows`` is empty, the sentence
    ``empty`` in its place::

        {% table_or_empty questions empty="No questions yet." %}
        <caption>…</caption><thead>…</thead><tbody>{% for q in questions %}…{% endfor %}</tbody>
        {% endtable_or_empty %}

    ``table_class`` adds classes to the table; ``labelledby`` names the id of the heading that
    labels a table without a caption.
    """
    if rows:
        classes = f"table {table_class}".strip()
        labelled = format_html(' aria-labelledby="{}"', labelledby) if labelledby else ""
        return format_html(
            '<div class="table-wrap"><table class="{}"{}>{}</table></div>',
            classes,
            labelled,
            content,
        )
    if empty_class:
        return format_html('<p class="{}">{}</p>', empty_class, empty)
    return format_html("<p>{}</p>", empty)
