"""Writes the imports of published data need besides the results themselves: the LAs met
in files, the mappings of EES / LAIT indicators to measures, and uploads kept aside until an
officer maps their indicators (under MEDIA_ROOT, never served).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from pep_portal.imports.models import ImportJob
from pep_portal.imports.services import import_job_create
from pep_portal.platform.validated import save_validated
from schools.models import LocalAuthority

if TYPE_CHECKING:
    from pep_portal.accounts.models import User

from .models import (
    IndicatorMapping,
    MappingSource,
    Measure,
)

# --- Local authorities met in published files -----------------------------------------------


@transaction.atomic
def local_authority_ensure(
    *, code: int, name: str, region: str = "", gss_code: str = ""
) -> tuple[LocalAuthority, bool]:
    """The LA with this DfE code, created (named as the file names it) if the register lacks it.

    An existing LA is never renamed by a results file: the register import owns LA details.
    """
    la = LocalAuthority.objects.filter(code=code).first()
    if la is not None:
        return la, False
    la = LocalAuthority(
        code=code, name=(name or f"LA {code}").strip()[:120], region=region[:80], gss_code=gss_code
    )
    la.full_clean()
    la.save()
    return la, True


# --- Indicator mappings (EES / LAIT) ----------------------------------------------------------


@transaction.atomic
def indicator_mapping_save(
    *,
    source: str,
    indicator: str,
    filters: dict[str, str] | None,
    measure: Measure,
    pupil_group: str,
    field: str = "value",
    user: User | None = None,
) -> IndicatorMapping:
    """Create or replace the mapping of one indicator (+ filter values) to a measure and group."""
    filters = {str(k).strip(): str(v).strip() for k, v in (filters or {}).items()}
    if source == MappingSource.LAIT:
        filters = {}
    key = IndicatorMapping.make_filters_key(filters)
    mapping = IndicatorMapping.objects.filter(
        source=source, indicator=indicator.strip(), filters_key=key
    ).first() or IndicatorMapping(source=source, indicator=indicator.strip())
    mapping.filters = filters
    mapping.measure = measure
    mapping.pupil_group = pupil_group
    mapping.field = field
    if mapping.pk is None:
        mapping.created_by = user
    return save_validated(mapping)


# --- Uploads waiting for an officer's EES mapping -----------------------------------------------

PENDING_DIR = "imports/pending"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def pending_upload_store(*, uploaded_file: UploadedFile) -> str:
    """Keep an upload aside (under MEDIA_ROOT, never served) until it is queued; a token."""
    token = uuid.uuid4().hex
    default_storage.save(f"{PENDING_DIR}/{token}.upload", uploaded_file)
    return token


def pending_upload_path(token: str) -> str:
    if not _TOKEN.match(token or ""):
        raise ValueError("Not an upload token.")
    return default_storage.path(f"{PENDING_DIR}/{token}.upload")


def pending_upload_queue(
    *,
    token: str,
    original_name: str,
    user: User | None,
    kind: str = "results",
    options: dict[str, Any] | None = None,
    mappings: list[dict[str, Any]] | None = None,
) -> ImportJob:
    """Save any EES mappings the officer made, then queue the import of the kept upload."""
    path = pending_upload_path(token)
    with transaction.atomic():
        for m in mappings or []:
            indicator_mapping_save(source=MappingSource.EES, user=user, **m)
        with open(path, "rb") as fh:
            job = import_job_create(
                kind=kind,
                uploaded_file=UploadedFile(
                    fh, name=Path(original_name).name, size=Path(path).stat().st_size
                ),
                user=user,
                options=options,
            )
    default_storage.delete(f"{PENDING_DIR}/{token}.upload")
    return job
