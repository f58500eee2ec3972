"""The home page: each person's tasks first, then their own things, each with its date.

Every app (the portal too) contributes sections in its own ``home.py`` with ``@home_section(order=...)``: a
function ``(*, user, now) -> HomeSection | None`` that reads through the app's selectors,
scoped by the user, and returns None when the section is not for this user. The home view
finds those modules with Django's ``autodiscover_modules("home")`` (the portal never
imports the apps above it), collects the sections and shows the tasks before the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

TASK = "task"  # something to do, with a deadline
MINE = "mine"  # the person's own things: my school, my trust, my meetings, my dashboards


@dataclass(frozen=True)
class HomeItem:
    title: str
    url: str
    when: dt.datetime | dt.date | None = None
    when_label: str = "Due"  # "Due", "Closes", "Meeting", "Finished"...
    detail: str = ""
    overdue: bool = False
    links: tuple[tuple[str, str], ...] = ()  # further links: (label, url)

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, dt.datetime)


@dataclass
class HomeSection:
    key: str
    heading: str
    kind: str = TASK
    items: list[HomeItem] = field(default_factory=list)
    summary: str = ""  # one line above the items, e.g. "2 consultations to answer"
    empty: str = ""  # shown when there are no items (a section with no items and no text hides)
    more_url: str = ""
    more_label: str = ""
    order: int = 100

    @property
    def shown(self) -> bool:
        return bool(self.items or self.empty or self.summary)


Provider = Callable[..., "HomeSection | None"]
_PROVIDERS: list[tuple[int, Provider]] = []
_discovered = False


def home_section(order: int = 100) -> Callable[[Provider], Provider]:
    """Register a section provider; ``order`` sorts sections of the same kind."""

    def register(func: Provider) -> Provider:
        if all(f is not func for _, f in _PROVIDERS):
            _PROVIDERS.append((order, func))
        return func

    return register


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("home")
        _discovered = True


def home_sections(*, user, now: dt.datetime | None = None) -> dict[str, list[HomeSection]]:
    """The user's sections: ``{"tasks": [...], "mine": [...]}``, each sorted by its order."""
    _discover()
    now = now or timezone.now()
    tasks: list[HomeSection] = []
    mine: list[HomeSection] = []
    for order, provider in sorted(_PROVIDERS, key=lambda p: p[0]):
        section = provider(user=user, now=now)
        if section is None or not section.shown:
            continue
        section.order = order
        (tasks if section.kind == TASK else mine).append(section)
    return {"tasks": tasks, "mine": mine}


def days_until(when: dt.datetime | dt.date, now: dt.datetime) -> int:
    """Whole days from today to ``when`` (negative when past), in local dates."""
    day = timezone.localtime(when).date() if isinstance(when, dt.datetime) else when
    return (day - timezone.localtime(now).date()).days
