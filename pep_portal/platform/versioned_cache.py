"""Reads and page fragments cached under a version of the data they come from (issue 20).

A page whose figures change only when its data does (the register, the LA outcomes) keeps
them in Django's cache under a key made of the data's version, what is cached, its
parameters and the viewer's scope, so a change misses at once and one viewer's entry is
never served to a viewer of another scope. The version is the app's to make: database
stamps that every bulk write moves (latest ids, ``updated_at``, finished import jobs),
plus a :class:`Generation` bumped on single saves and deletes (signals) and, for writes that
send no signal (``bulk_create``, ``bulk_update``, a queryset's ``update()``, raw SQL, COPY),
by :func:`rows_changed`, which every such write in the apps calls with the models it wrote.

Works the same with the locmem cache (each process its own) and Redis (shared): a generation
only adds misses, and the database stamps are read afresh on every request. With the locmem
cache a bump reaches only the process that made it, so a command run in another process is
seen through the database stamps alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

KEY_VERSION = 1

# The generations connected to each model (by its label), for rows_changed.
_WATCHERS: dict[str, dict[str, Generation]] = {}


class Generation:
    """A counter in the cache that a data change bumps, part of that data's version."""

    def __init__(self, name: str) -> None:
        self.key = f"{name}:generation"

    def value(self) -> int:
        return cache.get(self.key) or 0

    def _bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:
            cache.set(self.key, 1, None)

    def bump(self, **kwargs) -> None:
        """The data changed: every entry keyed by this generation misses from now on.

        Bumped at once (this process and, through a shared cache, every other) and again
        when the transaction commits, so a read made between the change and its commit
        (which still sees the old rows) is not kept under the new generation. Also the
        signal receiver of :meth:`connect`."""
        self._bump()
        transaction.on_commit(self._bump)

    def connect(self, models: Iterable) -> None:
        """Bump on every single save or delete of these models (the admin, services), and
        on every :func:`rows_changed` naming one of them."""
        from django.db.models.signals import post_delete, post_save

        for model in models:
            _WATCHERS.setdefault(model._meta.label, {})[self.key] = self
            for signal in (post_save, post_delete):
                signal.connect(
                    self.bump, sender=model, dispatch_uid=f"{self.key}-{model._meta.label}"
                )


def rows_changed(*models) -> None:
    """Rows of these models were written without model signals (``bulk_create``,
    ``bulk_update``, a queryset's ``update()``, raw SQL, COPY): bump every generation
    connected to any of them, as one save would (at once and again on commit).

    The writer names only its own models; which cached pages show them (perhaps an app
    above it) is theirs to declare with :meth:`Generation.connect`."""
    generations = {
        generation.key: generation
        for model in models
        for generation in _WATCHERS.get(model._meta.label, {}).values()
    }
    for generation in generations.values():
        generation.bump()


def key(name: str, *, version: Hashable, scope: Hashable, params: Hashable) -> str:
    """The cache key of one read (or rendered fragment) for this data version, viewer scope
    and parameters."""
    digest = hashlib.blake2b(
        repr((KEY_VERSION, name, version, scope, params)).encode(), digest_size=20
    ).hexdigest()
    return f"versioned:{digest}"


def cached(
    name: str,
    *,
    version: Hashable,
    scope: Hashable,
    params: Hashable,
    compute: Callable[[], T],
    seconds: int,
) -> T:
    """``compute()``, from the cache for this data version, scope and parameters (kept
    ``seconds``; 0 or less: not cached)."""
    if seconds <= 0:
        return compute()
    key_ = key(name, version=version, scope=scope, params=params)
    value = cache.get(key_)
    if value is None:
        value = compute()
        cache.set(key_, value, seconds)
    return value


class VersionedCache:
    """One app's versioned reads: its generation, and keys and entries under its name, kept
    for ``seconds()`` (a setting, read on every call so tests can change it)."""

    def __init__(self, name: str, *, seconds: Callable[[], int]) -> None:
        self.name = name
        self.generation = Generation(name)
        self.seconds = seconds

    def key(self, name: str, *, version: Hashable, scope: Hashable, params: Hashable) -> str:
        return key(f"{self.name}:{name}", version=version, scope=scope, params=params)

    def cached(
        self,
        name: str,
        *,
        version: Hashable,
        scope: Hashable,
        params: Hashable,
        compute: Callable[[], T],
    ) -> T:
        return cached(
            f"{self.name}:{name}",
            version=version,
            scope=scope,
            params=params,
            compute=compute,
            seconds=self.seconds(),
        )
