"""Reads of the audit log (django-auditlog's LogEntry), for the admins' audit page."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
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
    return qs


def audited_model_choices() -> list[tuple[str, str]]:
    ids = LogEntry.objects.values_list("content_type_id", flat=True).distinct()
    types = ContentType.objects.filter(pk__in=list(ids)).order_by("app_label", "model")
    return [(f"{t.app_label}.{t.model}", f"{t.app_label}: {t.name}") for t in types]
