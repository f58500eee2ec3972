"""The nightly run: a registry of steps that apps plug into, run by Celery workers.

An app adds a step by decorating a function in its ``<app>/nightly.py`` (found by
autodiscovery, like admin.py)::

    from pep_portal.nightly import nightly_step

    def la_chunks(run_id):              # optional: how to fan the step out
        return [[la_id] for la_id in LocalAuthority.objects.values_list("pk", flat=True)]

    @nightly_step("outcomes_schools", order=20, chunks=la_chunks,
                  snapshot_models=["outcomes.SchoolFigure"])
    def outcomes_schools(*, run_id, chunk):
        ...  # write snapshot rows tagged run_id; return how many rows were written

Steps with the same ``order`` form one stage and run in parallel; stages run in order (a
later stage may read what earlier stages of the same run wrote). Each chunk runs in one
transaction, so a chunk is written whole or not at all. Only when every stage has finished
is the run published (see ``services.nightly_run_publish``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.utils.module_loading import autodiscover_modules

ChunkFn = Callable[..., list[Any]]
StepFn = Callable[..., int]


@dataclass(frozen=True)
class NightlyStep:
    name: str
    order: int
    func: StepFn
    chunks: ChunkFn | None = None
    snapshot_models: tuple[str, ...] = field(default_factory=tuple)
    label: str = ""

    def chunk_list(self, run_id: int) -> list[Any]:
        """The JSON-serialisable chunk arguments (ids) the step fans out over."""
        return list(self.chunks(run_id)) if self.chunks else [None]

    def run(self, *, run_id: int, chunk: Any) -> int:
        return int(self.func(run_id=run_id, chunk=chunk) or 0)


_REGISTRY: dict[str, NightlyStep] = {}
_discovered = False


def nightly_step(
    name: str,
    *,
    order: int = 10,
    chunks: ChunkFn | None = None,
    snapshot_models: list[str] | tuple[str, ...] = (),
    label: str = "",
) -> Callable[[StepFn], StepFn]:
    """Register ``func(*, run_id, chunk) -> rows written`` as a nightly step."""

    def register(func: StepFn) -> StepFn:
        _REGISTRY[name] = NightlyStep(
            name=name,
            order=order,
            func=func,
            chunks=chunks,
            snapshot_models=tuple(snapshot_models),
            label=label or name.replace("_", " "),
        )
        return func

    return register


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def discover() -> None:
    """Import every installed app's ``nightly`` module (the only way steps are found; a test
    worker adds its probe step with ``celery worker --include``)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    autodiscover_modules("nightly")


def setting(name: str, default):
    """A nightly setting, read from Django settings (base.py reads the environment).

    NIGHTLY_STALE_SECONDS (1800): an active run silent this long is marked failed.
    NIGHTLY_KEEP_PUBLISHED (3): published snapshots kept besides the current one.
    """
    value = getattr(settings, name, None)
    if value is None:
        value = default
    if isinstance(default, int):
        return int(value)
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def get_step(name: str) -> NightlyStep:
    discover()
    return _REGISTRY[name]


def stages() -> list[list[NightlyStep]]:
    """The registered steps grouped into stages by order (stages run one after another)."""
    discover()
    ordered = sorted(_REGISTRY.values(), key=lambda s: (s.order, s.name))
    return [list(group) for _, group in groupby(ordered, key=lambda s: s.order)]


def snapshot_models() -> list:
    """Every model holding snapshot rows (a ``run`` foreign key to NightlyRun)."""
    discover()
    names = {m for step in _REGISTRY.values() for m in step.snapshot_models}
    return [django_apps.get_model(name) for name in sorted(names)]
