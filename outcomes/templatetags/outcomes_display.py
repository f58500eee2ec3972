"""Display filters for outcomes figures, for any template that shows them.

{% load outcomes_display %}
{{ result.value|figure:measure.decimal_places }}   -> "47.6", or "not available"
{{ gap|gap:1 }}                                    -> "-5.4" / "+0.4"
{% rag_badge "red" "5.4 below national" %}         -> a badge with its word, never colour alone

Values are formatted by ``outcomes.calculations.formatting``: a suppressed or missing value
is always words, never a number.
"""

from django import template
from django.utils.html import format_html

from outcomes.calculations import formatting
from pep_portal.platform.rag import RAG_WORDS

register = template.Library()


@register.filter
def figure(value, precision=1):
    return formatting.format_number(value, int(precision))


@register.filter
def gap(value, precision=1):
    return formatting.format_gap(value, int(precision))


@register.filter
def suppression_words(state):
    return formatting.missing_text(state)


@register.simple_tag
def rag_badge(colour, reason=""):
    """A RAG badge: the colour's word is always shown; the reason as a visually hidden note."""
    colour = colour if colour in RAG_WORDS else "none"
    word = RAG_WORDS.get(colour, "No rating")
    if reason:
        return format_html(
            '<span class="rag rag--{}">{}</span><span class="visually-hidden">: {}</span>',
            colour,
            word,
            reason,
        )
    return format_html('<span class="rag rag--{}">{}</span>', colour, word)
