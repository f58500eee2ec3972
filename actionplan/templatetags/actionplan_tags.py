"""Display helpers: a RAG badge always carries its colour name as text."""

from django import template
from django.utils.html import format_html

from actionplan import rag as ragmod

register = template.Library()


@register.simple_tag
def rag_badge(value, prefix=""):
    """<span class="rag rag--red">Red</span>; "Not assessed" when there is no colour."""
    if not value:
        return format_html('<span class="rag rag--none">{}</span>', "Not assessed")
    rag = ragmod.Rag(value)
    label = f"{prefix}{rag.label}" if prefix else rag.label
    return format_html('<span class="rag rag--{}">{}</span>', rag.value, label)


@register.filter
def rag_label(value):
    return ragmod.Rag(value).label if value else "Not assessed"
