"""Figures other apps put into a meeting's board pack.

The board pack carries a "Dashboard figures" section. Any app (the dashboards, the nightly
run) fills it by registering a provider at import time, e.g. in its AppConfig.ready()::

    from partnership.governance.pack_figures import FigureSection, register_pack_figures

    @register_pack_figures
    def outcomes_headlines(*, as_of):   # as_of: the meeting's date
        return [FigureSection("KS2 headline figures", [("RWM expected standard", "53%")])]

A provider returns a list of FigureSection (title, rows of (label, value), optional note).
A provider that fails is reported in the pack, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class FigureSection:
    title: str
    rows: list[tuple[str, str]]
    note: str = ""
    columns: tuple[str, str] = ("Figure", "Value")
    extra: list[str] = field(default_factory=list)


Provider = Callable[..., list[FigureSection]]
_PROVIDERS: list[Provider] = []


def register_pack_figures(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister_pack_figures(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def dashboard_figures(*, as_of: dt.date) -> list[FigureSection]:
    sections: list[FigureSection] = []
    for provider in list(_PROVIDERS):
        name = getattr(provider, "__qualname__", repr(provider))
        try:
            sections.extend(provider(as_of=as_of))
        except Exception:
            logger.exception("Board pack figures provider %s failed", name)
            sections.append(
                FigureSection(
                    title=f"Figures not available ({name})",
                    rows=[],
                    note="This section could not be produced when the pack was generated.",
                )
            )
    return sections
