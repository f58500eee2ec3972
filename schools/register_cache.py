"""The register's summaries, cached per register version and viewer scope (issue 20).

The register page (``/schools/``) shows, besides one page of schools, figures over the whole
register: the Ofsted summary (20,000 schools' latest inspections) and the filters' LA and
trust lists. They, and the page's rendered filters and list (``{% cache %}`` in
``school_list.html``: nothing in them depends on the viewer beyond the scope), change only
when the register does, so they are kept in Django's cache under a key made of:

- the register version (:func:`register_version`), which changes on every register change:
  - the latest register import (GIAS or Ofsted file) to finish, from its ``ImportJob``
    (written after the import's transaction commits: uploads, run by a worker);
  - the latest ``School.updated_at`` (every school saved or bulk-written, including the
    GIAS importer's updates and the England generator's inserts) and the latest inspection
    id (inspections added in bulk, on any path);
  - a generation in the cache bumped when a school, trust, LA or inspection is saved or
    deleted one at a time (the admin, services) and at the end of each register import
    (command-line imports too: renamed LAs and trusts, regraded inspections), as the
    dashboards' page cache does for its live rows;
- what the read computes, with its parameters (the filters; for the page's rendered list,
  its whole query string);
- the viewer's scope (:func:`schools.selectors.register_scope`: what of the register the
  user may see), so an entry computed for one scope is never served to another.

Entries live ``REGISTER_CACHE_SECONDS`` (default an hour, which also bounds how long a change
made outside all of the above, such as a raw SQL update, can go unseen); 0 turns the cache
off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from pep_portal.imports.models import ImportJob

from .models import LocalAuthority, OfstedInspection, School, Trust

T = TypeVar("T")

KEY_VERSION = 1
GENERATION_KEY = "register:generation"
# The importers that write the register (schools/importers/: GIAS and Ofsted files).
REGISTER_IMPORT_KINDS = ("gias", "ofsted")


def timeout() -> int:
    return settings.REGISTER_CACHE_SECONDS


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def register_changed(**kwargs) -> None:
    """The register changed: every cached register read misses from now on.

    Bumped at once (this process and, through a shared cache, every other) and again when the
    transaction commits, so a read made between the change and its commit (which still sees
    the old rows) is not kept under the new generation. Also the signal receiver for single
    saves and deletes (``connect_signals``)."""
    _bump()
    transaction.on_commit(_bump)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (LocalAuthority, Trust, School, OfstedInspection):
        for signal in (post_save, post_delete):
            signal.connect(
                register_changed, sender=model, dispatch_uid=f"register-{model.__name__}"
            )


def register_version() -> tuple:
    """The register's version: one query (three index probes on PostgreSQL, with the
    indexes on ``School.updated_at`` and the inspections' primary key) and one cache read."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(finished_at) FROM {ImportJob._meta.db_table}"  # noqa: S608
            f" WHERE kind IN ({', '.join(['%s'] * len(REGISTER_IMPORT_KINDS))})),"
            f" (SELECT MAX(updated_at) FROM {School._meta.db_table}),"
            f" (SELECT MAX(id) FROM {OfstedInspection._meta.db_table})",
            list(REGISTER_IMPORT_KINDS),
        )
        finished, updated, inspection = cursor.fetchone()
    return (str(finished), str(updated), inspection, cache.get(GENERATION_KEY) or 0)


def key(name: str, *, version: tuple, scope: tuple, params: Hashable) -> str:
    """The cache key of one register read (or rendered fragment) for this register version,
    viewer scope and parameters."""
    digest = hashlib.blake2b(
        repr((KEY_VERSION, name, version, scope, params)).encode(), digest_size=20
    ).hexdigest()
    return f"register:{digest}"


def cached(
    name: str, *, version: tuple, scope: tuple, params: Hashable, compute: Callable[[], T]
) -> T:
    """``compute()``, from the cache for this register version, scope and parameters."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    key_ = key(name, version=version, scope=scope, params=params)
    value = cache.get(key_)
    if value is None:
        value = compute()
        cache.set(key_, value, seconds)
    return value
