"""Reads for categorisation decisions and letters of concern, scoped by the user's role."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from pep_portal.accounts.roles import (
    is_school_staff,
    is_staff_officer,
    is_trust_user,
    sees_whole_partnership,
)
from schools.models import School

from ..selectors import partnership_schools
from .models import CategorisationDecision, CategorisationReview, LetterOfConcern

logger = logging.getLogger(__name__)


# --- Categorisation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernSuggestion:
    category: str
    reasons: list[str]
    as_of: dt.date | None = None


SuggestionSource = Callable[..., ConcernSuggestion | None]
_SUGGESTION_SOURCES: list[SuggestionSource] = []


def register_concern_suggestion_source(source: SuggestionSource) -> SuggestionSource:
    """The nightly run registers ``source(*, school) -> ConcernSuggestion | None`` here."""
    if source not in _SUGGESTION_SOURCES:
        _SUGGESTION_SOURCES.append(source)
    return source


def concern_suggestion(*, school: School) -> ConcernSuggestion | None:
    """The nightly 3Ms suggestion for a school, or None until the nightly run has produced one.

    Sources: anything registered with ``register_concern_suggestion_source``, then
    ``outcomes.selectors.concern_suggestion(school=...)`` if that exists. Until the nightly
    snapshots exist there is no suggestion, and pages say so.
    """
    sources = list(_SUGGESTION_SOURCES)
    try:
        outcomes_selectors = importlib.import_module("outcomes.selectors")
    except ImportError:
        outcomes_selectors = None
    fallback = getattr(outcomes_selectors, "concern_suggestion", None)
    if callable(fallback):
        sources.append(fallback)
    for source in sources:
        try:
            found = source(school=school)
        except Exception:
            logger.exception("3Ms suggestion source failed for school %s", school.pk)
            continue
        if found is None:
            continue
        if isinstance(found, ConcernSuggestion):
            return found
        category = (
            getattr(found, "category", None)
            or getattr(found, "level", None)
            or (found.get("category") if isinstance(found, dict) else None)
        )
        if category:
            reasons = getattr(found, "reasons", None) or (
                found.get("reasons", []) if isinstance(found, dict) else []
            )
            return ConcernSuggestion(category=str(category), reasons=list(reasons))
    return None


def categorisation_history(*, school: School) -> QuerySet[CategorisationDecision]:
    return school.categorisations.select_related("review", "review__meeting", "recorded_by")


def latest_categorisation(
    *, school: School, as_of: dt.date | None = None
) -> CategorisationDecision | None:
    qs = school.categorisations.select_related("review")
    if as_of is not None:
        qs = qs.filter(decided_on__lte=as_of)
    return qs.order_by("-decided_on", "-review__review_date", "-pk").first()


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
