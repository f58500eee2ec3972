"""The register's summaries, cached per register version and viewer scope (issue 20).

The register page (``/schools/``) shows, besides one page of schools, figures over the whole
register: the Ofsted summary (20,000 schools' latest inspections) and the filters' LA and
trust lists. They, and the page's rendered filters and list (``{% cache %}`` in
``school_list.html``: nothing in them depends on the viewer beyond the scope), change only
when the register does, so they are kept in Django's cache under a key made of (``pep_portal.platform.versioned_cache``):

- the register version (:func:`register_version`), which changes on every register change:
  - the latest register import (GIAS or Ofsted file) to finish, from its ``ImportJob``
    (written after the import's transaction commits: uploads, run by a worker);
  - the latest ``School.updated_at`` (every school saved or bulk-written, including the
    GIAS importer's updates and the England generator's inserts) and the latest inspection
    id (inspections added in bulk, on any path);
  - a generation in the cache bumped when a school, trust, LA or inspection is saved or
    deleted one at a time (the admin, services) and when they are written in bulk
    (``versioned_cache.rows_changed``: the end of each register import, command-line
    imports too: renamed LAs and trusts, regraded inspections), as the dashboards' page
    cache does for its live rows;
- what the read computes, with its parameters (the filters; for the page's rendered list,
  its whole query string);
- the viewer's scope (:func:`schools.selectors.register_scope`: what of the register the
  user may see), so an entry computed for one scope is never served to another.

Entries live ``REGISTER_CACHE_SECONDS`` (default an hour, which also bounds how long a change
made outside all of the above, such as a raw SQL update, can go unseen); 0 turns the cache
off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from pep_portal.imports.models import ImportJob
from pep_portal.platform import versioned_cache

from .models import LocalAuthority, OfstedInspection, School, Trust

# The importers that write the register (schools/importers/: GIAS and Ofsted files).
REGISTER_IMPORT_KINDS = ("gias", "ofsted")


def timeout() -> int:
    return settings.REGISTER_CACHE_SECONDS


CACHE = versioned_cache.VersionedCache("register", seconds=timeout)
GENERATION = CACHE.generation


def connect_signals() -> None:
    GENERATION.connect((LocalAuthority, Trust, School, OfstedInspection))


def register_stamps_sql() -> tuple[str, list]:
    """The register's database stamps as a SELECT list of three scalar subqueries, with
    its parameters: for a page whose version also holds the register's, in one query."""
    kinds = ", ".join(["%s"] * len(REGISTER_IMPORT_KINDS))
    return (
        f"(SELECT MAX(finished_at) FROM {ImportJob._meta.db_table} WHERE kind IN ({kinds})),"
        f" (SELECT MAX(updated_at) FROM {School._meta.db_table}),"
        f" (SELECT MAX(id) FROM {OfstedInspection._meta.db_table})",
        list(REGISTER_IMPORT_KINDS),
    )


def register_version(stamps: tuple | None = None) -> tuple:
    """The register's version: one query (three index probes on PostgreSQL, with the
    indexes on ``School.updated_at`` and the inspections' primary key) and one cache read.
    stamps: the three values of ``register_stamps_sql()``, when read already."""
    if stamps is None:
        sql, params = register_stamps_sql()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}", params)  # noqa: S608
            stamps = cursor.fetchone()
    finished, updated, inspection = stamps
    return (str(finished), str(updated), inspection, GENERATION.value())


# The cache key of one read or rendered fragment, and a read from the cache, for this
# version, viewer scope and parameters.
key = CACHE.key
cached = CACHE.cached
