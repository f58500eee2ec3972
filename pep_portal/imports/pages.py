"""The page every import starts from: a form with the file; a valid post queues an import
job (read by a worker, never in the request) and sends the officer to the job's page, which
shows its progress, its outcome or the rows it refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .services import import_job_create


def import_upload_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    kind: str | Callable[[dict[str, Any]], str],
    template: str,
    options: Callable[[], dict[str, Any]] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """``kind``: the importer, or how to read it from the form; ``options``: what the
    importer is told besides the file."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = import_job_create(
            kind=kind(data) if callable(kind) else kind,
            uploaded_file=data["file"],
            user=request.user,
            options=options() if options else None,
        )
        return redirect("import_detail", job.pk)
    return render(request, template, {"form": form, **(context or {})})
