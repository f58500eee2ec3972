"""Reads for categorisation decisions and letters of concern, scoped by the user's role."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import QuerySet
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


# The latest 3Ms decision of the school named by the outer query's column ``{school}`` (as
# :func:`latest_categorisations` orders them): its id, for a page that reads the decision
# with its own rows in SQL written once (the school page, issue 20). The same SQL as the
# ORM's for that ordering on SQLite and PostgreSQL (each orders NULLs its own way, as there).
LATEST_DECISION_SQL = (
    '(SELECT U0."id" FROM "partnership_categorisationdecision" U0 '
    'INNER JOIN "partnership_categorisationreview" U1 ON (U0."review_id" = U1."id") '
    'WHERE U0."school_id" = ({school}) '
    'ORDER BY U0."decided_on" DESC, U1."review_date" DESC, U0."id" DESC LIMIT 1)'
)


class DecisionFromRow:
    """The decision's shown fields in a row joined to the decision as ``d``."""

    SHOWN = ("id", "category", "decided_on", "rationale")
    COLUMNS = ", ".join(f'd."{name}"' for name in SHOWN)

    @classmethod
    def fields(cls) -> list:
        return [CategorisationDecision._meta.get_field(name) for name in cls.SHOWN]

    @staticmethod
    def decision(values, *, school_id: int) -> CategorisationDecision | None:
        """The decision of those columns (its shown fields only); None without one."""
        pk, category, decided_on, rationale = values
        if pk is None:
            return None
        return CategorisationDecision(
            pk=pk,
            school_id=school_id,
            category=category,
            decided_on=decided_on,
            rationale=rationale,
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
