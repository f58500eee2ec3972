"""Reads for categorisation decisions and letters of concern, scoped by the user's role."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from outcomes.models import SchoolSummary
from pep_portal.accounts.roles import (
    is_school_staff,
    is_staff_officer,
    is_trust_user,
    sees_whole_partnership,
)
from pep_portal.nightly.selectors import current_run
from schools.models import School
from schools.selectors import partnership_schools

from .models import CategorisationDecision, CategorisationReview, LetterOfConcern

logger = logging.getLogger(__name__)


# --- Categorisation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernSuggestion:
    """The nightly run's 3Ms suggestion for a school, with its reasons."""

    category: str
    reasons: list[str]
    as_of: dt.date | None = None


def concern_suggestions(*, school_ids: list[int]) -> dict[int, ConcernSuggestion]:
    """The 3Ms suggestions of the published nightly snapshot, by school id (one query).

    Schools without a suggestion in the snapshot (or before the first run) are absent.
    """
    run = current_run()
    if run is None or not school_ids:
        return {}
    as_of = timezone.localdate(run.finished_at) if run.finished_at else None
    return {
        school_id: ConcernSuggestion(category=concern, reasons=list(reasons or []), as_of=as_of)
        for school_id, concern, reasons in SchoolSummary.objects.filter(
            run_id=run.pk, school_id__in=school_ids
        )
        .exclude(concern="")
        .values_list("school_id", "concern", "concern_reasons")
    }


def concern_suggestion(*, school: School) -> ConcernSuggestion | None:
    """The nightly 3Ms suggestion for a school, or None until a nightly run has produced one."""
    return concern_suggestions(school_ids=[school.pk]).get(school.pk)


def categorisation_history(*, school: School) -> QuerySet[CategorisationDecision]:
    return school.categorisations.select_related("review", "review__meeting", "recorded_by")


def latest_categorisation(
    *, school: School, as_of: dt.date | None = None
) -> CategorisationDecision | None:
    qs = school.categorisations.select_related("review")
    if as_of is not None:
        qs = qs.filter(decided_on__lte=as_of)
    return qs.order_by("-decided_on", "-review__review_date", "-pk").first()


# The latest decision's fields a page shows (school on a page).
DECISION_SHOWN = ("pk", "category", "decided_on", "rationale")


def with_latest_categorisation(qs: QuerySet, *, school: str = "school_id") -> QuerySet:
    """``qs`` with each row's school's latest 3Ms decision (as :func:`latest_categorisation`
    orders them) read in the same query: its shown fields (``DECISION_SHOWN``) as one JSON
    object, ``latest_decision``, so the decision is one subquery, not one per field (Django
    builds each subquery's SQL anew on every request: four cost the school page ~0.8 ms of
    CPU). :func:`latest_categorisation_of` turns a row's into the decision."""
    latest = CategorisationDecision.objects.filter(school_id=OuterRef(school)).order_by(
        "-decided_on", "-review__review_date", "-pk"
    )
    shown = JSONObject(**{name: name for name in DECISION_SHOWN})
    return qs.annotate(latest_decision=Subquery(latest.values(shown=shown)[:1]))


def latest_categorisation_of(row, *, school_id: int) -> CategorisationDecision | None:
    """The decision read by :func:`with_latest_categorisation` (its shown fields only)."""
    shown = row.latest_decision
    if shown is None:
        return None
    return CategorisationDecision(
        pk=shown["pk"],
        school_id=school_id,
        category=shown["category"],
        decided_on=dt.date.fromisoformat(shown["decided_on"]),
        rationale=shown["rationale"],
    )


def latest_categorisations(
    *, as_of: dt.date | None = None, school_ids: list[int] | None = None
) -> dict[int, CategorisationDecision]:
    """Each school's latest 3Ms decision (as of a date): what the dashboards show."""
    qs = CategorisationDecision.objects.select_related("review")
    if as_of is not None:
        qs = qs.filter(decided_on__lte=as_of)
    if school_ids is not None:
        qs = qs.filter(school_id__in=school_ids)
    latest: dict[int, CategorisationDecision] = {}
    for decision in qs.order_by("school_id", "-decided_on", "-review__review_date", "-pk"):
        latest.setdefault(decision.school_id, decision)
    return latest


def categorisation_school_list(*, user) -> QuerySet[School]:
    """Schools whose categorisation the user may see."""
    schools = partnership_schools().select_related("trust", "la")
    if sees_whole_partnership(user):
        return schools
    if is_school_staff(user):
        return School.objects.filter(pk=user.school_id).select_related("trust", "la")
    if is_trust_user(user):
        return School.objects.filter(trust_id=user.trust_id).select_related("trust", "la")
    return schools.none()


def categorisation_review_list() -> QuerySet[CategorisationReview]:
    return CategorisationReview.objects.select_related("meeting", "meeting__board")


def categorisation_counts(*, as_of: dt.date | None = None) -> dict[str, int]:
    counts = {"minimum": 0, "moderate": 0, "maximum": 0}
    for decision in latest_categorisations(as_of=as_of).values():
        counts[decision.category] += 1
    return counts


# --- Letters of concern -----------------------------------------------------------------------


def letter_list(*, user) -> QuerySet[LetterOfConcern]:
    qs = LetterOfConcern.objects.select_related("school", "trust", "template")
    return qs if is_staff_officer(user) else qs.none()
