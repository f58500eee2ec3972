"""Nightly step: each school's soft-intelligence RAG for its latest term (own snapshot rows).

Registered with pep_portal.nightly when this module is imported (see schools/rules.py).
"""

from __future__ import annotations

from pep_portal.nightly import nightly_step
from schools.models import School, SoftIntelligenceRag

from . import soft_rag
from .selectors import facts_for, latest_term_records


@nightly_step(
    "soft_intelligence_rag",
    order=25,
    snapshot_models=["schools.SoftIntelligenceRag"],
    label="Soft intelligence RAG",
)
def soft_intelligence_rag(*, run_id: int, chunk=None) -> int:
    rows = []
    for school_id, record in latest_term_records(School.objects.all()).items():
        result = soft_rag.soft_rag(facts_for(record, record.school.pupils_on_roll))
        rows.append(
            SoftIntelligenceRag(
                run_id=run_id,
                school_id=school_id,
                academic_year=record.academic_year,
                term=record.term,
                rag=result.rag,
                reasons=list(result.reasons),
            )
        )
    SoftIntelligenceRag.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
