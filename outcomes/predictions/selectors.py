"""Reads for in-year predictions, scoped by the user's role and the data sharing agreements
(schools/intelligence/access.py): a list never holds a school the user may not see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from pep_portal.accounts.roles import (
    is_board_member,
    is_school_staff,
    is_staff_officer,
    is_trust_user,
)
from pep_portal.nightly.selectors import current_run_id
from pep_portal.platform import disclosure
from pep_portal.platform.notifications import sent_list
from schools.intelligence.access import (
    agreement_school_ids,
    may_see_school_confidential,
    sits_on_operational_group,
    visible_school_ids,
)
from schools.models import School

from ..calculations import formatting as fmt
from ..models import (
    AreaType,
    DataCollection,
    Prediction,
    PredictionSignal,
    PredictionSubmission,
    PupilGroup,
    Result,
)
from ..selectors import national_decimals
from . import calculations as calc
from .models import CHASE_TOPIC
from .services import is_open


def collection_list(*, user) -> QuerySet[DataCollection]:
    qs = DataCollection.objects.all()
    if is_staff_officer(user) or sits_on_operational_group(user) or is_board_member(user):
        return qs
    if is_school_staff(user):
        return qs.filter(schools=user.school_id)
    if is_trust_user(user):
        return qs.filter(schools__trust_id=user.trust_id).distinct()
    return qs.none()


def collection_get(*, user, pk: int) -> DataCollection | None:
    return collection_list(user=user).filter(pk=pk).first()


def submission_for(*, collection: DataCollection, school: School) -> PredictionSubmission | None:
    return (
        PredictionSubmission.objects.filter(collection=collection, school=school)
        .prefetch_related("predictions__measure")
        .first()
    )


# --- Officers: who has submitted ----------------------------------------------------------


@dataclass
class SchoolReturn:
    school: School
    status: str  # submitted / draft / missing
    status_text: str
    late: bool
    submitted_at: dt.datetime | None
    chased_on: dt.date | None
    chased_today: bool


def last_chased(*, collection: DataCollection) -> dict[int, dt.date]:
    """The day each school of the collection was last chased, by school id."""
    chased: dict[int, dt.date] = {}
    for school_id, day in sent_list(topic=CHASE_TOPIC, subject=collection).values_list(
        "recipient_id", "occasion"
    ):
        sent_on = dt.date.fromisoformat(day)
        chased[school_id] = max(sent_on, chased.get(school_id, sent_on))
    return chased


def collection_returns(*, collection: DataCollection, user, now=None) -> list[SchoolReturn]:
    """Every school asked, with its return's state; officers only (empty for anyone else)."""
    if not is_staff_officer(user):
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = not is_open(collection, now)
    subs = {s.school_id: s for s in collection.submissions.all()}
    chased = last_chased(collection=collection)
    rows = []
    for school in collection.schools.order_by("name"):
        sub = subs.get(school.pk)
        status = sub.status if sub else "missing"
        submitted = status == PredictionSubmission.Status.SUBMITTED
        text = {
            "submitted": "Submitted",
            "draft": "Draft, not submitted",
            "missing": "Nothing yet",
        }[status]
        rows.append(
            SchoolReturn(
                school=school,
                status=status,
                status_text=text + (" (late)" if closed and not submitted else ""),
                late=closed and not submitted,
                submitted_at=sub.submitted_at if sub else None,
                chased_on=chased.get(school.pk),
                chased_today=chased.get(school.pk) == today,
            )
        )
    rows.sort(key=lambda r: (r.status == "submitted", r.school.name))
    return rows


# --- A school's predictions beside last year's results -------------------------------------


@dataclass
class PredictionRow:
    measure_name: str
    group_label: str
    cohort: int | None
    predicted_text: str
    pupils_text: str
    last_year_text: str
    la_text: str
    national_text: str
    change_text: str
    drop: bool
    marginal: bool


@dataclass
class SchoolPredictions:
    school: School
    collection: DataCollection | None
    submission: PredictionSubmission | None
    comparison_year: int | None
    rows: list[PredictionRow] = field(default_factory=list)
    collections: list[DataCollection] = field(default_factory=list)


def _results(measure_ids, year, group_filter, *, school_ids=(), la_ids=()) -> dict:
    """(area, id, measure_id, group) -> value for the given year (LA, national, schools)."""
    area = Q(area_type=AreaType.NATIONAL)
    if la_ids:
        area |= Q(area_type=AreaType.LA, la_id__in=la_ids)
    if school_ids:
        area |= Q(area_type=AreaType.SCHOOL, school_id__in=school_ids)
    out = {}
    for area_type, school_id, la_id, measure_id, group, value, cohort in Result.objects.filter(
        area, measure_id__in=measure_ids, academic_year=year, **group_filter
    ).values_list(
        "area_type", "school_id", "la_id", "measure_id", "pupil_group", "value", "cohort"
    ):
        key_id = school_id if area_type == AreaType.SCHOOL else la_id
        out[(area_type, key_id, measure_id, group)] = (value, cohort)
    return out


def school_collections(*, school: School) -> list[DataCollection]:
    return list(
        DataCollection.objects.filter(
            submissions__school=school,
            submissions__status=PredictionSubmission.Status.SUBMITTED,
        ).order_by("-deadline")
    )


def school_predictions(
    *, school: School, user, collection: DataCollection | None = None
) -> SchoolPredictions | None:
    """The latest submitted predictions (or the given collection's) beside last year's
    results, the LA's and national. None when the user may not see the school's data."""
    if not may_see_school_confidential(user, school):
        return None
    collections = school_collections(school=school)
    if collection is None:
        collection = collections[0] if collections else None
    submission = (
        PredictionSubmission.objects.filter(collection=collection, school=school).first()
        if collection
        else None
    )
    if collection is None or submission is None:
        return SchoolPredictions(school, collection, submission, None, collections=collections)
    year = collection.academic_year - 1
    predictions = list(submission.predictions.select_related("measure"))
    results = _results(
        {p.measure_id for p in predictions},
        year,
        {"pupil_group__in": {p.pupil_group for p in predictions}},
        school_ids=[school.pk],
        la_ids=[school.la_id],
    )
    rows = []
    for p in sorted(
        predictions, key=lambda p: (p.measure.sort_order, p.measure.code, p.pupil_group)
    ):
        m = p.measure
        last = results.get((AreaType.SCHOOL, school.pk, m.pk, p.pupil_group), (None, None))[0]
        la = results.get((AreaType.LA, school.la_id, m.pk, p.pupil_group), (None, None))[0]
        nat = results.get((AreaType.NATIONAL, None, m.pk, p.pupil_group), (None, None))[0]
        figure = calc.PredictedFigure(
            m.code, m.name, m.unit, m.higher_is_better, p.value, p.cohort, last, nat
        )
        delta = None if p.value is None or last is None else p.value - last
        rows.append(
            PredictionRow(
                measure_name=m.name,
                group_label=PupilGroup(p.pupil_group).label,
                cohort=p.cohort,
                predicted_text=fmt.format_number(p.value, m.decimal_places),
                pupils_text=(
                    f"{p.predicted_pupils} of {p.cohort}"
                    if p.predicted_pupils is not None and p.cohort
                    else ""
                ),
                last_year_text=fmt.format_number(last, m.decimal_places),
                la_text=fmt.format_number(la, m.decimal_places),
                national_text=fmt.format_number(nat, national_decimals(m)),
                change_text=fmt.format_gap(delta, m.decimal_places),
                drop=p.pupil_group == PupilGroup.ALL and calc.is_drop(figure),
                marginal=p.pupil_group == PupilGroup.ALL and calc.is_marginal(figure),
            )
        )
    return SchoolPredictions(school, collection, submission, year, rows, collections)


# --- The Operational Group's view -----------------------------------------------------------


@dataclass
class OverviewRow:
    school: School
    measure_name: str
    predicted_text: str
    last_year_text: str
    change_text: str
    national_text: str
    drop: bool
    marginal: bool


@dataclass
class Overview:
    collection: DataCollection
    comparison_year: int
    rows: list[OverviewRow]
    aggregates_only: bool
    schools_asked: int
    schools_submitted: int
    aggregates: list[dict]
    drops: int | None  # None: withheld (the small-number rule, pep_portal.disclosure)
    marginal: int | None
    suppressed_note: str = ""
    withheld: str = ""


def _submitted_predictions(collection, school_ids, group=PupilGroup.ALL):
    return list(
        Prediction.objects.filter(
            submission__collection=collection,
            submission__status=PredictionSubmission.Status.SUBMITTED,
            submission__school_id__in=school_ids,
            pupil_group=group,
        ).select_related("measure", "submission__school")
    )


def prediction_overview(*, collection: DataCollection, user) -> Overview:
    """Per school (those the user may see), each measure's prediction for all pupils against
    last year and national, with who predicts a drop and who is marginal for KS2 RWM; and
    aggregates across schools with an agreement (shown when at least 3 schools)."""
    asked = collection.schools.all()
    visible = visible_school_ids(user=user, schools=asked)
    shared = agreement_school_ids(asked)
    year = collection.academic_year - 1
    predictions = _submitted_predictions(collection, visible | shared)
    results = _results(
        {p.measure_id for p in predictions},
        year,
        {"pupil_group": PupilGroup.ALL},
        school_ids=[p.submission.school_id for p in predictions],
    )
    rows = []
    per_measure: dict[int, list] = {}
    drop_schools, marginal_schools = set(), set()
    for p in sorted(
        predictions,
        key=lambda p: (p.submission.school.name, p.measure.sort_order, p.measure.code),
    ):
        m, school = p.measure, p.submission.school
        last = results.get((AreaType.SCHOOL, school.pk, m.pk, PupilGroup.ALL), (None, None))[0]
        nat = results.get((AreaType.NATIONAL, None, m.pk, PupilGroup.ALL), (None, None))[0]
        figure = calc.PredictedFigure(
            m.code, m.name, m.unit, m.higher_is_better, p.value, p.cohort, last, nat
        )
        drop, marginal = calc.is_drop(figure), calc.is_marginal(figure)
        if school.pk in shared:
            per_measure.setdefault(m.pk, [m, [], [], nat])
            per_measure[m.pk][1].append(p.value)
            per_measure[m.pk][2].append(last)
            if drop:
                drop_schools.add(school.pk)
            if marginal:
                marginal_schools.add(school.pk)
        if school.pk in visible:
            rows.append(
                OverviewRow(
                    school=school,
                    measure_name=m.short_name or m.name,
                    predicted_text=fmt.format_number(p.value, m.decimal_places),
                    last_year_text=fmt.format_number(last, m.decimal_places),
                    change_text=fmt.format_gap(
                        None if p.value is None or last is None else p.value - last,
                        m.decimal_places,
                    ),
                    national_text=fmt.format_number(nat, national_decimals(m)),
                    drop=drop,
                    marginal=marginal,
                )
            )
    aggregates = []
    note = ""
    for m, predicted, last, nat in per_measure.values():
        known = [v for v in predicted if v is not None]
        if not disclosure.enough_schools(len(known)):
            note = (
                f"Aggregates are shown only where at least {disclosure.min_schools()} schools "
                "with a data sharing agreement have submitted."
            )
            continue
        prior = [v for v in last if v is not None]
        mean = sum(known) / len(known)
        mean_last = sum(prior) / len(prior) if prior else None
        aggregates.append(
            {
                "measure": m.short_name or m.name,
                "schools": len(known),
                "predicted": fmt.format_number(mean, m.decimal_places),
                "last_year": fmt.format_number(mean_last, m.decimal_places),
                "change": fmt.format_gap(
                    None if mean_last is None else mean - mean_last, m.decimal_places
                ),
                "national": fmt.format_number(nat, national_decimals(m)),
            }
        )
    # Counts across schools: over the schools with an agreement that returned predictions
    # (not those merely asked), withheld below the small-number rule.
    returned = {p.submission.school_id for p in predictions} & set(shared)
    submitted = collection.submissions.filter(status=PredictionSubmission.Status.SUBMITTED)
    return Overview(
        collection=collection,
        comparison_year=year,
        rows=rows,
        aggregates_only=not visible,
        schools_asked=asked.count(),
        schools_submitted=submitted.count(),
        aggregates=aggregates,
        drops=disclosure.aggregate(len(drop_schools), schools=len(returned)),
        marginal=disclosure.aggregate(len(marginal_schools), schools=len(returned)),
        withheld=disclosure.withheld_note(),
        suppressed_note=note,
    )


# --- Accuracy, once results are published ---------------------------------------------------


@dataclass
class AccuracyRow:
    school: School
    measure_name: str
    group_label: str
    predicted_text: str
    actual_text: str
    difference_text: str


@dataclass
class Accuracy:
    collection: DataCollection
    rows: list[AccuracyRow]
    published: bool
    mean_absolute_error: list[dict]


def prediction_accuracy(*, collection: DataCollection, user) -> Accuracy:
    visible = visible_school_ids(user=user, schools=collection.schools.all())
    predictions = [
        p
        for group in {g for g in collection.groups}
        for p in _submitted_predictions(collection, visible, group)
    ]
    results = _results(
        {p.measure_id for p in predictions},
        collection.academic_year,
        {"pupil_group__in": collection.groups},
        school_ids=list(visible),
    )
    rows, errors = [], {}
    published = False
    for p in sorted(
        predictions,
        key=lambda p: (
            p.submission.school.name,
            p.measure.sort_order,
            p.measure.code,
            p.pupil_group,
        ),
    ):
        m = p.measure
        actual = results.get((AreaType.SCHOOL, p.submission.school_id, m.pk, p.pupil_group))
        value = actual[0] if actual else None
        published = published or actual is not None
        diff = calc.accuracy(p.value, value)
        errors.setdefault(m, []).append(diff)
        rows.append(
            AccuracyRow(
                school=p.submission.school,
                measure_name=m.short_name or m.name,
                group_label=PupilGroup(p.pupil_group).label,
                predicted_text=fmt.format_number(p.value, m.decimal_places),
                actual_text=fmt.format_number(value, m.decimal_places)
                if actual
                else "Not published yet",
                difference_text=fmt.format_gap(diff, m.decimal_places),
            )
        )
    mae = [
        {
            "measure": m.short_name or m.name,
            "error": fmt.format_number(calc.mean_absolute_error(d), m.decimal_places),
            "n": sum(1 for x in d if x is not None),
        }
        for m, d in errors.items()
        if any(x is not None for x in d)
    ]
    return Accuracy(collection, rows, published, mae)


# --- For the dashboards: the separate 3Ms signal from predictions ---------------------------


def prediction_signal(*, school: School, user=None) -> PredictionSignal | None:
    """The nightly predictions signal for a school (current snapshot), labelled apart from the
    data-based 3Ms suggestion. None when there is none, or the user may not see the school's
    confidential data (pass user=None only from code that has checked already)."""
    if user is not None and not may_see_school_confidential(user, school):
        return None
    run_id = current_run_id()
    if run_id is None:
        return None
    return (
        PredictionSignal.objects.filter(run_id=run_id, school=school)
        .select_related("collection")
        .first()
    )
