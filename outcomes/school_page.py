"""The school page's Outcomes section (``schools.panels``): the school's results beside its
LA's and national, for users who may see them."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from schools.panels import school_panel

from .selectors import school_outcomes


@school_panel(order=10)
def outcomes_section(*, school, user, request=None) -> SafeString | None:
    found = school_outcomes(school=school, user=user)
    if found is None:
        return None
    html = render_to_string("outcomes/_school_outcomes.html", {"outcomes": found}, request)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine (autoescaped)
