"""Nightly step: the 3Ms signal from each school's latest submitted predictions.

Written to its own snapshot rows (outcomes.PredictionSignal), apart from the data-based
suggestion in outcomes.SchoolSummary: a separate, labelled signal, never merged into it.
Registered with pep_portal.nightly when this module is imported (see outcomes/rules.py).
"""

from __future__ import annotations

from django.db.models import Q

from pep_portal.nightly import nightly_step

from ..models import (
    AreaType,
    Prediction,
    PredictionSignal,
    PredictionSubmission,
    PupilGroup,
    Result,
)
from . import calculations as calc


@nightly_step(
    "predictions_signal",
    order=25,
    snapshot_models=["outcomes.PredictionSignal"],
    label="3Ms signal from schools' predictions",
)
def predictions_signal(*, run_id: int, chunk=None) -> int:
    latest: dict[int, PredictionSubmission] = {}
    for sub in (
        PredictionSubmission.objects.filter(status=PredictionSubmission.Status.SUBMITTED)
        .select_related("collection")
        .order_by("school_id", "-collection__deadline", "-pk")
    ):
        latest.setdefault(sub.school_id, sub)
    if not latest:
        return 0
    predictions: dict[int, list] = {}
    for p in Prediction.objects.filter(
        submission__in=list(latest.values()), pupil_group=PupilGroup.ALL
    ).select_related("measure", "submission"):
        predictions.setdefault(p.submission.school_id, []).append(p)
    wanted = {
        (p.measure_id, p.submission.collection.academic_year - 1)
        for ps in predictions.values()
        for p in ps
    }
    results = {}
    if wanted:
        cond = Q()
        for measure_id, year in wanted:
            cond |= Q(measure_id=measure_id, academic_year=year)
        for area_type, school_id, measure_id, year, value in Result.objects.filter(
            cond,
            Q(area_type=AreaType.NATIONAL)
            | Q(area_type=AreaType.SCHOOL, school_id__in=list(predictions)),
            pupil_group=PupilGroup.ALL,
        ).values_list("area_type", "school_id", "measure_id", "academic_year", "value"):
            results[(area_type, school_id, measure_id, year)] = value
    rows = []
    for school_id, sub in latest.items():
        year = sub.collection.academic_year - 1
        figures = [
            calc.PredictedFigure(
                code=p.measure.code,
                name=p.measure.short_name or p.measure.name,
                unit=p.measure.unit,
                higher_is_better=p.measure.higher_is_better,
                predicted=p.value,
                cohort=p.cohort,
                last_year=results.get((AreaType.SCHOOL, school_id, p.measure_id, year)),
                national=results.get((AreaType.NATIONAL, None, p.measure_id, year)),
            )
            for p in predictions.get(school_id, [])
        ]
        signal = calc.prediction_signal(figures)
        rows.append(
            PredictionSignal(
                run_id=run_id,
                school_id=school_id,
                collection_id=sub.collection_id,
                level=signal.level,
                reasons=list(signal.reasons),
                drops=len(signal.drops),
                marginal=signal.marginal,
            )
        )
    PredictionSignal.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
