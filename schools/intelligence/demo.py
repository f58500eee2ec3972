"""Demo: data sharing agreements, a term of soft intelligence and a year of workforce figures
for Portsmouth primaries. Idempotent and deterministic. Expose: load_intelligence_demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from pep_portal.platform.demo import demo_loader
from schools.models import DataSharingAgreement, School

from .services import agreement_record, soft_intelligence_record, workforce_record

SCHOOLS = 20


@demo_loader(order=60)
@transaction.atomic
def load_intelligence_demo(stdout=None) -> None:
    schools = list(
        School.objects.filter(la__code=851, phase="primary", status="open").order_by("urn")[
            :SCHOOLS
        ]
    )
    for i, school in enumerate(schools):
        if (
            i % 7 != 6
            and not DataSharingAgreement.objects.filter(school=school, version="2016.1").exists()
        ):
            agreement_record(
                school=school,
                version="2016.1",
                signed_by_name="Chair of governors",
                signed_by_role="Chair of the governing body",
                signed_on=dt.date(2016, 9, 1) + dt.timedelta(days=i),
                user=None,
            )
        soft_intelligence_record(
            school=school,
            academic_year=2017,
            term="autumn",
            user=None,
            source="officer",
            values={
                "fixed_term_exclusions": (i * 7) % 40,
                "permanent_exclusions": 1 if i % 9 == 4 else 0,
                "pupils_seeking_move": i % 6,
                "first_preferences": 45 + (i * 5) % 30,
                "places_offered": 60,
                "complaints": i % 4,
                "governor_vacancies": (i * 3) % 5,
                "staff_turnover_percent": 8.0 + (i * 3) % 20,
                "staff_vacancies": i % 3,
                "sickness_days_per_teacher": round(3.0 + (i % 5) * 1.3, 1),
            },
        )
        workforce_record(
            school=school,
            academic_year=2016,
            user=None,
            values={
                "teachers_fte": Decimal(12 + i % 8) + Decimal("0.5"),
                "pupils": 210 + 30 * (i % 10),
                "average_salary": 34500 + 350 * ((i * 7) % 13),
                "sickness_days": round(2.5 + (i % 6) * 0.9, 1),
                "vacancies": i % 3,
                "turnover_percent": 6.0 + (i * 5) % 18,
            },
        )
    if stdout:
        stdout.write(f"intelligence: {len(schools)} schools with soft intelligence and workforce")
