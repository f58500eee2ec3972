"""Private files: what people upload (consultation attachments, board papers, action-plan
evidence) and what the portal makes for them (board packs).

They are stored under MEDIA_ROOT with random names and never served by the web server: the
only way out is a view that checks login and the named permission for the file's object,
then answers with :func:`private_file_response`. That one response sends the file as a
download (``Content-Disposition: attachment``, so a browser never renders it in the portal's
origin), with ``nosniff`` and ``Cache-Control: private, no-store`` so no shared cache keeps
a copy; a file missing from storage is a 404, not a server error.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from .uploads import CheckedUpload


class PrivateFile(models.Model):
    """What every uploaded private file records besides its bytes. Each concrete model
    declares its own ``file`` (its folder under MEDIA_ROOT) and what it belongs to."""

    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def download_response(self) -> FileResponse:
        return private_file_response(
            self.file, filename=self.original_name, content_type=self.content_type
        )


_F = TypeVar("_F", bound=PrivateFile)


def private_file_save(
    record: _F, checked: CheckedUpload, *, uploaded_by: Any, stored_name: str = ""
) -> _F:
    """Store a checked upload (``uploads.check_upload``) as ``record``'s file and save the
    record; a record that fails its own checks leaves no file behind."""
    record.original_name = checked.name[:255]
    record.content_type = checked.content_type
    record.size = checked.size
    record.uploaded_by = uploaded_by
    record.file.save(stored_name or checked.name, ContentFile(checked.data), save=False)
    try:
        record.full_clean()
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def private_file_response(
    file: FieldFile,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
    missing: str = "The file is missing from storage.",
) -> FileResponse:
    """The one answer that sends a private file; the caller has checked the permission."""
    if not file:
        raise Http404(missing)
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or file.name.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
