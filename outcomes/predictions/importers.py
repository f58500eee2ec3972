"""A school's predictions return, read and saved by a background import job (never in the
request): the head uploads, the job page shows progress and the outcome, with the row errors
bounded (pep_portal.imports.ImportRejected)."""

from __future__ import annotations

from pep_portal.accounts.models import User
from pep_portal.imports.framework import register_importer
from schools.models import School

from ..models import DataCollection
from . import services

KIND = "predictions"


@register_importer(KIND, "Predictions return (the collection's template, CSV or XLSX)")
def import_predictions(
    path: str, *, progress, collection_id: int, school_id: int, user_id=None, return_url=""
) -> dict:
    collection = DataCollection.objects.get(pk=collection_id)
    school = School.objects.get(pk=school_id)
    user = User.objects.filter(pk=user_id).first()
    rows = services.read_upload(path, path)
    progress(len(rows))
    submission = services.predictions_save(
        collection=collection, school=school, rows=rows, user=user
    )
    return {
        "rows": len(rows),
        "predictions saved in your draft (check it, then submit)": submission.predictions.count(),
    }
