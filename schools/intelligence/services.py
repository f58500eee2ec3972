"""Writes for a school's own data: the data sharing agreement, soft intelligence per term,
workforce figures per year. Officers record them (or import soft intelligence from a CSV)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from pep_portal.accounts.models import User
from pep_portal.platform.validated import save_validated
from schools.models import DataSharingAgreement, School, SoftIntelligence, Workforce

SOFT_FIELDS = (
    "fixed_term_exclusions",
    "permanent_exclusions",
    "pupils_seeking_move",
    "first_preferences",
    "places_offered",
    "complaints",
    "governor_vacancies",
    "staff_turnover_percent",
    "staff_vacancies",
    "sickness_days_per_teacher",
)
WORKFORCE_FIELDS = (
    "teachers_fte",
    "pupils",
    "average_salary",
    "sickness_days",
    "vacancies",
    "turnover_percent",
)


@transaction.atomic
def agreement_record(
    *,
    school: School,
    version: str,
    signed_by_name: str,
    signed_by_role: str = "",
    signed_on: dt.date,
    user: User | None,
) -> DataSharingAgreement:
    agreement = DataSharingAgreement(
        school=school,
        version=version.strip(),
        signed_by_name=signed_by_name.strip(),
        signed_by_role=signed_by_role.strip(),
        signed_on=signed_on,
        recorded_by=user,
    )
    return save_validated(agreement)


@transaction.atomic
def agreement_withdraw(
    *, agreement: DataSharingAgreement, withdrawn_on: dt.date
) -> DataSharingAgreement:
    agreement.withdrawn_on = withdrawn_on
    agreement.full_clean()
    agreement.save(update_fields=["withdrawn_on"])
    return agreement


@transaction.atomic
def soft_intelligence_record(
    *,
    school: School,
    academic_year: int,
    term: str,
    values: dict[str, Any],
    notes: str = "",
    user: User | None,
    source: str = "officer",
) -> SoftIntelligence:
    """Create or replace the school's soft intelligence for a term."""
    record = (
        SoftIntelligence.objects.filter(school=school, academic_year=academic_year, term=term)
        .select_for_update()
        .first()
    ) or SoftIntelligence(school=school, academic_year=academic_year, term=term)
    for name in SOFT_FIELDS:
        setattr(record, name, values.get(name))
    record.notes = notes
    record.source = source
    record.recorded_by = user
    return save_validated(record)


@transaction.atomic
def workforce_record(
    *, school: School, academic_year: int, values: dict[str, Any], user: User | None
) -> Workforce:
    record = (
        Workforce.objects.filter(school=school, academic_year=academic_year)
        .select_for_update()
        .first()
    ) or Workforce(school=school, academic_year=academic_year)
    for name in WORKFORCE_FIELDS:
        setattr(record, name, values.get(name))
    record.recorded_by = user
    return save_validated(record)
