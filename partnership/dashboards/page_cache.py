"""Dashboard pages served from the published snapshot: rendered once per snapshot and scope.

The snapshot changes only when a nightly run publishes, so the page's own blocks (title,
head, content, scripts) are rendered once and kept in Django's cache under a key made of:

- the published run (id and switch time): a new run publishes -> new keys, old ones age out;
- the page (view name and its normalised query string);
- the viewer's scope: role, superuser, school, trust, whether the user sits on the
  operational group (the confidentiality predicate ``sees_all_confidential``), and the
  page's own answers (for example, on a school page, whether the user may see that school's
  confidential data). Two board members share a page; a head never gets a board member's.

The shell (``base.html``: the signed-in user's name, main navigation, sign-out form with its
CSRF token, flash messages) is rendered per request around the cached blocks, so no user's
name or token is ever served to another.

Conditional GET: ``ETag`` is a digest of the cached blocks plus the user and session, and
``Last-Modified`` the later of the blocks' render time and the user's last sign-in; a match
answers 304. ``Cache-Control: private, no-cache`` keeps shared proxies out.

A page also shows a few live rows (3Ms decisions, school, trust and LA names, the measures,
statistical neighbours, provisional flags and past years' published results): the key holds
a generation bumped when one of those rows is saved or deleted (signals) or written in bulk
(``versioned_cache.rows_changed``: the importers, command-line ones too), and the time the
latest import job finished. Entries live ``DASHBOARD_PAGE_CACHE_SECONDS`` (default an hour);
0 turns the cache off.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.context import make_context
from django.template.loader import get_template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode
from django.utils.http import http_date
from django.utils.safestring import mark_safe

from pep_portal.api.base import make_etag, not_modified
from pep_portal.imports.selectors import last_import_finished_at
from pep_portal.nightly.selectors import current_run_stamp
from pep_portal.platform import versioned_cache
from schools.intelligence.access import sees_all_confidential

SHELL_TEMPLATE = "partnership/dashboards/_cached_shell.html"
BLOCKS = ("title", "extra_head", "content", "extra_body")
KEY_VERSION = 1
# Bumped when a live row a dashboard shows changes; every cached page misses from then on.
GENERATION = versioned_cache.Generation("dashpage")


def timeout() -> int:
    return settings.DASHBOARD_PAGE_CACHE_SECONDS


def live_generation() -> int:
    return GENERATION.value()


def connect_signals() -> None:
    from outcomes.models import Measure, Result
    from partnership.categorisation.models import CategorisationDecision, CategorisationReview
    from schools.models import LocalAuthority, School, StatisticalNeighbour, Trust

    GENERATION.connect(
        (
            CategorisationDecision,
            CategorisationReview,
            School,
            Trust,
            LocalAuthority,
            StatisticalNeighbour,
            Measure,
            Result,
        )
    )


def viewer_scope(user, extra: Iterable = ()) -> tuple:
    """Everything about the viewer a dashboard page may depend on (named predicates only)."""
    return (
        user.role,
        bool(user.is_superuser),
        user.school_id,
        user.trust_id,
        bool(sees_all_confidential(user)),
        *extra,
    )


def page_key(request, *, run_stamp, scope: tuple) -> str:
    # The raw query string: every value of a repeated parameter counts (another order of
    # the same parameters only misses).
    query = request.META.get("QUERY_STRING", "")
    name = request.resolver_match.view_name if request.resolver_match else request.path
    digest = hashlib.blake2b(
        repr((KEY_VERSION, run_stamp, name, request.path, query, scope)).encode(),
        digest_size=20,
    ).hexdigest()
    return f"dashpage:{digest}"


def render_blocks(request, template_name: str, context: dict) -> dict[str, str]:
    """Render the named blocks of a template (its extends chain resolved) to strings."""
    template = get_template(template_name).template
    ctx = make_context(context, request)
    out: dict[str, str] = {}
    with ctx.render_context.push_state(template), ctx.bind_template(template):
        block_context = BlockContext()
        node_by_name: dict[str, BlockNode] = {}
        current = template
        while True:
            blocks = {n.name: n for n in current.nodelist.get_nodes_by_type(BlockNode)}
            block_context.add_blocks(blocks)
            for name, node in blocks.items():
                node_by_name.setdefault(name, node)
            extends = current.nodelist.get_nodes_by_type(ExtendsNode)
            if not extends:
                break
            current = extends[0].get_parent(ctx)
        ctx.render_context[BLOCK_CONTEXT_KEY] = block_context
        for name in BLOCKS:
            node = node_by_name.get(name)
            out[name] = node.render(ctx) if node is not None else ""
    return out


def _respond(request, entry: dict) -> HttpResponse:
    user = request.user
    etag = make_etag(entry["digest"], user.pk, request.session.session_key)
    modified = max(entry["rendered_at"], user.last_login.timestamp() if user.last_login else 0)
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Cache-Control": "private, no-cache",
    }
    if not_modified(request, etag, datetime.fromtimestamp(modified, tz=UTC)):
        response = HttpResponseNotModified()
    else:
        blocks = {name: mark_safe(html) for name, html in entry["blocks"].items()}  # noqa: S308
        response = render(request, SHELL_TEMPLATE, {"page_blocks": blocks})
    for header, value in headers.items():
        response[header] = value
    return response


def cached_page(
    request,
    template_name: str,
    context_fn: Callable[[], dict],
    *,
    scope_extra: Iterable = (),
) -> HttpResponse:
    """The page from the cache for this snapshot and scope, rendering it on a miss."""
    seconds = timeout()
    if seconds <= 0:  # the cache off: no key to make, so no stamp to read
        return render(request, template_name, context_fn())
    run_id, switched_at = current_run_stamp()
    if run_id is None:
        return render(request, template_name, context_fn())
    key = page_key(
        request,
        run_stamp=(
            run_id,
            switched_at.isoformat() if switched_at else None,
            live_generation(),
            str(last_import_finished_at()),
        ),
        scope=viewer_scope(request.user, scope_extra),
    )
    entry = cache.get(key)
    if entry is None:
        blocks = render_blocks(request, template_name, context_fn())
        digest = hashlib.blake2b(repr(sorted(blocks.items())).encode(), digest_size=16)
        entry = {"blocks": blocks, "digest": digest.hexdigest(), "rendered_at": time.time()}
        cache.set(key, entry, seconds)
    return _respond(request, entry)
