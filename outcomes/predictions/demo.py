"""Demo: two KS2 prediction collections for Portsmouth primaries (one closed with returns,
one open). Idempotent and deterministic apart from the open collection's deadline (a month
after it is first loaded). Expose: load_predictions_demo(stdout=None)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pep_portal.platform.demo import demo_loader
from schools.models import School

from ..calculations.phases import KS2, key_stages_taught
from ..models import DataCollection, Measure, PredictionSubmission
from . import services

SCHOOLS = 8
MEASURES = (
    "ks2_read_exp",
    "ks2_writ_exp",
    "ks2_mat_exp",
    "ks2_rwm_exp",
    "ks2_read_prog",
    "ks2_mat_prog",
)
GROUPS = ["all", "disadvantaged", "boys", "sen_support"]


def _schools():
    """Open Portsmouth schools that teach key stage 2 (never an infant school)."""
    candidates = School.objects.filter(la__code=851, status="open").order_by("urn")
    return [
        s
        for s in candidates
        if KS2 in key_stages_taught(s.statutory_low_age, s.statutory_high_age, s.phase)
    ][:SCHOOLS]


def _rows(index: int, collection):
    """Predictable predictions: cohort 30 (12 disadvantaged), varying by school."""
    rows = []
    for slot in services.collection_slots(collection):
        cohort = {"all": 30, "disadvantaged": 12, "boys": 15, "sen_support": 5}[slot.group]
        if slot.measure.unit == "percent":
            share = (0.45 + 0.05 * (index % 6)) * (0.8 if slot.group != "all" else 1.0)
            rows.append(
                (
                    None,
                    {
                        "measure_code": slot.measure.code,
                        "pupil_group": slot.group,
                        "cohort": cohort,
                        "predicted_pupils": round(cohort * share),
                    },
                )
            )
        else:
            value = round(-1.5 + 0.6 * (index % 6) - (0.5 if slot.group != "all" else 0), 1)
            rows.append(
                (
                    None,
                    {
                        "measure_code": slot.measure.code,
                        "pupil_group": slot.group,
                        "cohort": cohort,
                        "predicted_value": value,
                    },
                )
            )
    return rows


def _new_collection(
    title: str, *, term: str, deadline: dt.datetime, measures, schools
) -> DataCollection | None:
    """The demo's KS2 2017 collection ``title``, created now; None if it was loaded before."""
    if DataCollection.objects.filter(title=title).exists():
        return None
    return services.collection_create(
        title=title,
        key_stage="ks2",
        academic_year=2017,
        term=term,
        measures=measures,
        groups=GROUPS,
        schools=schools,
        deadline=deadline,
        user=None,
    )


@demo_loader(order=70)
@transaction.atomic
def load_predictions_demo(stdout=None) -> None:
    schools = _schools()
    measures = list(Measure.objects.filter(code__in=MEASURES))
    if not schools or not measures:
        return
    london = timezone.get_default_timezone()
    closed = _new_collection(
        "KS2 predictions, autumn term 2016",
        term="autumn",
        deadline=dt.datetime(2016, 12, 9, 17, 0, tzinfo=london),
        measures=measures,
        schools=schools,
    )
    if closed is not None:
        before = closed.deadline - dt.timedelta(days=2)
        for i, school in enumerate(schools[1:-1], start=1):  # the first and last never sent one
            services.predictions_save(
                collection=closed,
                school=school,
                rows=_rows(i, closed),
                user=None,
                submit=True,
                now=before,
            )
    open_one = _new_collection(
        "KS2 predictions, spring term 2017",
        term="spring",
        deadline=timezone.now() + dt.timedelta(days=30),
        measures=measures,
        schools=schools,
    )
    if open_one is not None:
        for i, school in enumerate(schools[2:5], start=2):
            services.predictions_save(
                collection=open_one,
                school=school,
                rows=_rows(i + 1, open_one),
                user=None,
                submit=i != 4,
            )
    if stdout:
        stdout.write(
            f"predictions: 2 collections, "
            f"{PredictionSubmission.objects.filter(status='submitted').count()} returns submitted"
        )
