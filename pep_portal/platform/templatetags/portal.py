"""Template tags every app's templates share (``{% load portal %}``)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_block_tag
def table_or_empty(content, rows, empty, empty_class=""):
    """The table inside the tag in its scrolling wrapper (``.table-wrap``: a wide table scrolls
    inside itself, its first column kept in view), or, where ``rows`` is empty, the sentence
    ``empty`` in its place::

        {% table_or_empty questions empty="No questions yet." %}
        <table class="table">…{% for q in questions %}…{% endfor %}…</table>
        {% endtable_or_empty %}
    """
    if rows:
        return format_html('<div class="table-wrap">{}</div>', content)
    if empty_class:
        return format_html('<p class="{}">{}</p>', empty_class, empty)
    return format_html("<p>{}</p>", empty)
