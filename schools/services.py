"""Writes for the register besides the importers (which write in bulk, see importers.py)."""

from __future__ import annotations

from django.db import transaction

from pep_portal.platform.validated import save_validated

from .models import LocalAuthority


@transaction.atomic
def local_authority_save(
    *, code: int, name: str, region: str = "", gss_code: str = "", in_partnership: bool = False
) -> LocalAuthority:
    """Create or update an LA by its DfE code."""
    la = LocalAuthority.objects.filter(code=code).first() or LocalAuthority(code=code)
    la.name = name
    la.region = region
    la.gss_code = gss_code
    la.in_partnership = in_partnership
    return save_validated(la)
