"""Sections that the apps above the register add to a school's page.

The school page belongs to the register, but what the portal knows of a school (its
results, for one) belongs to the apps above it. Each such app contributes in its own
``school_page.py`` with ``@school_panel(order=...)``: a function ``(*, school, user, request)
-> str | None`` returning the section's HTML (rendered from its own template, through its
own selectors, scoped by the user), or None when there is nothing for this user. The page
finds those modules with Django's ``autodiscover_modules("school_page")``: the register never
imports the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString

PanelFunction = Callable[..., SafeString | None]


@dataclass(frozen=True)
class SchoolPanel:
    order: int
    name: str
    render: PanelFunction


SCHOOL_PANELS: dict[str, SchoolPanel] = {}


def school_panel(order: int) -> Callable[[PanelFunction], PanelFunction]:
    """Register a section of the school page (lower ``order`` first)."""

    def register(func: PanelFunction) -> PanelFunction:
        name = f"{func.__module__}.{func.__qualname__}"
        SCHOOL_PANELS[name] = SchoolPanel(order=order, name=name, render=func)
        return func

    return register


def school_panels(*, school, user, request=None) -> list[SafeString]:
    """The sections every app contributes to this school's page, for this user, in order."""
    autodiscover_modules("school_page")
    rendered = []
    for panel in sorted(SCHOOL_PANELS.values(), key=lambda p: (p.order, p.name)):
        html = panel.render(school=school, user=user, request=request)
        if html:
            rendered.append(html)
    return rendered
