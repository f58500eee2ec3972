"""Reads of the audit log (django-auditlog's LogEntry), for the admins' audit page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from auditlog.cid import correlation_id
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
    "access": LogEntry.Action.ACCESS,
}


def audit_entry_list(
    *,
    user,
    actor: str = "",
    model: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    job: int | None = None,
) -> QuerySet[LogEntry]:
    if not user.has_perm("pep_portal.view_audit_log"):
        return LogEntry.objects.none()
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if actor:
        qs = qs.filter(actor__email__icontains=actor)
    if model and "." in model:
        app_label, model_name = model.split(".", 1)
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if action in ACTIONS:
        qs = qs.filter(action=ACTIONS[action])
    if date_from:
        qs = qs.filter(timestamp__date__gte=date_from)
    if date_to:
        qs = qs.filter(timestamp__date__lte=date_to)
    if job:
        qs = qs.filter(cid=f"import-job-{job}")
    return qs


def audited_model_choices(*, also: str = "") -> list[tuple[str, str]]:
    """The audit page's "What" list: every model django-auditlog tracks or the log has
    entries for (bulk writes: audit_bulk), and ``also`` when it names an installed model (a
    link to one the log has no entries for yet: the page shows none, not an error)."""
    ids = set(LogEntry.objects.values_list("content_type_id", flat=True).distinct())
    ids |= {t.pk for t in ContentType.objects.get_for_models(*auditlog.get_models()).values()}
    if also.count(".") == 1:
        app_label, model_name = also.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            pass
        else:
            ids.add(ContentType.objects.get_for_model(model).pk)
    types = ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")
    return [(f"{t.app_label}.{t.model}", f"{t.app_label}: {t.name}") for t in types]


# --- Bulk writes --------------------------------------------------------------------------------
# bulk_create / bulk_update / queryset deletes send no model signals, so django-auditlog does
# not see them. Importers and services that write in bulk record what they created, changed
# and removed here, with old and new values, linked to the import job they run in (the job id
# is in each entry's additional_data and its correlation id, ``import-job-<id>``).

_IMPORT_JOB: ContextVar[tuple[int | None, object]] = ContextVar(
    "audit_import_job", default=(None, None)
)
_MASKED = "••••••"


@contextmanager
def import_job_context(job_id: int | None, actor=None):
    """While an import job runs: its bulk entries carry the job id and its uploader."""
    token = _IMPORT_JOB.set((job_id, actor))
    # Entries django-auditlog writes from signals meanwhile carry the same correlation id.
    cid_token = correlation_id.set(f"import-job-{job_id}" if job_id else None)
    try:
        with set_actor(actor) if actor is not None else nullcontext():
            yield
    finally:
        correlation_id.reset(cid_token)
        _IMPORT_JOB.reset(token)


def current_import_job() -> int | None:
    return _IMPORT_JOB.get()[0]


def _text(value) -> str:
    return "None" if value is None else str(value)


def _fields(model) -> list:
    excluded = set(getattr(settings, "AUDITLOG_EXCLUDE_TRACKING_FIELDS", ()))
    return [f for f in model._meta.concrete_fields if f.name not in excluded and not f.primary_key]


def audit_bulk(
    model,
    *,
    created: Iterable = (),
    changed: Iterable[tuple[object, dict]] = (),
    removed: Iterable = (),
    actor=None,
) -> int:
    """Write audit entries for bulk writes of ``model``.

    created and removed: model instances (with their values); changed: (instance, {field
    name: (old, new)}). Returns the number of entries written.
    """
    job_id, job_actor = _IMPORT_JOB.get()
    actor = actor or job_actor
    content_type = ContentType.objects.get_for_model(model)
    fields = _fields(model)
    extra = {"import_job": job_id} if job_id else None
    cid = f"import-job-{job_id}" if job_id else None

    def entry(obj, action, changes):
        pk = obj.pk
        return LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk if isinstance(pk, int) else None,
            object_repr=str(obj)[:1000],
            action=action,
            changes=changes,
            changes_text="",
            actor=actor if getattr(actor, "pk", None) else None,
            actor_email=getattr(actor, "email", None) or None,
            additional_data=extra,
            cid=cid,
        )

    entries = [
        entry(
            o,
            LogEntry.Action.CREATE,
            {f.name: ["None", _text(f.value_from_object(o))] for f in fields},
        )
        for o in created
    ]
    entries += [
        entry(o, LogEntry.Action.UPDATE, {k: [_text(a), _text(b)] for k, (a, b) in diff.items()})
        for o, diff in changed
        if diff
    ]
    entries += [
        entry(
            o,
            LogEntry.Action.DELETE,
            {f.name: [_text(f.value_from_object(o)), "None"] for f in fields},
        )
        for o in removed
    ]
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


# Field names that hold secrets: never shown on the audit page, whatever an entry holds.
SECRET_FIELDS = frozenset({"password", "secret", "key", "token", "digest", "token_key"})


def _mask(value):
    if value in (None, "None", "") or str(value).startswith(_MASKED):
        return value
    return _MASKED


def masked_changes(entry: LogEntry) -> dict:
    """An entry's changes for display, with any secret field's values masked."""
    changes = entry.changes_dict or {}
    return {
        field: [_mask(v) for v in change] if field in SECRET_FIELDS else change
        for field, change in changes.items()
    }


def audit_secret_rotated(obj, *, field: str, actor=None) -> None:
    """Log that a secret (a calendar link, a token) was replaced, without either value."""
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=str(obj)[:1000],
        action=LogEntry.Action.UPDATE,
        changes={field: [_MASKED, f"{_MASKED} (rotated)"]},
        changes_text="",
        actor=actor if getattr(actor, "pk", None) else None,
        actor_email=getattr(actor, "email", None) or None,
    )


def audit_summary(model, *, description: str, counts: dict, actor=None) -> None:
    """One entry for a set-based write too large to log row by row (a national results file
    is millions of rows; the results app keeps each changed row's previous values as a
    revision), with the counts, linked to the import job it ran in."""
    job_id, job_actor = _IMPORT_JOB.get()
    actor = actor or job_actor
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="*",
        object_id=None,
        object_repr=description[:1000],
        action=LogEntry.Action.UPDATE,
        changes={name: ["", str(count)] for name, count in counts.items() if count},
        changes_text="",
        actor=actor if getattr(actor, "pk", None) else None,
        actor_email=getattr(actor, "email", None) or None,
        additional_data={"import_job": job_id} if job_id else None,
        cid=f"import-job-{job_id}" if job_id else None,
    )
